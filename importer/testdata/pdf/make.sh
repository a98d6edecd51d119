#!/bin/sh
# Regenerates the PDF fixtures of pdf_test.go with LibreOffice (not needed
# to run the tests): sh make.sh from this folder.
set -e
here=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plan=../../../configs/plans/ke-hoach-de-an-06-chanh-lo-2023.txt

# The sample plan as LibreOffice imports plain text (monospace, one
# paragraph a line).
cp "$plan" "$tmp/plan-txt.txt"
# The sample plan as an official would set it: serif 13 pt, justified,
# first-line indent, bold title, a running header and a page number.
python3 make_html.py "$plan" >"$tmp/plan.html"
cp table.html "$tmp/table.html"
# A scan: one page that is only an image (written by hand).
python3 make_scan.py scanned.pdf
cd "$tmp"
soffice --headless --convert-to pdf plan-txt.txt >/dev/null 2>&1
soffice --headless --infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export plan.html table.html >/dev/null 2>&1
cp plan-txt.pdf plan.pdf table.pdf "$here/"
