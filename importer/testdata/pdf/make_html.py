"""Writes the sample plan (Markdown-ish text) as HTML for LibreOffice."""
import html
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
out = ["""<!DOCTYPE html><html><head><meta charset="utf-8">
<style>
@page { size: 21cm 29.7cm; margin: 2cm 2cm 2cm 3cm; }
body { font-family: 'Liberation Serif'; font-size: 13pt; }
p { text-align: justify; text-indent: 1cm; margin: 0 0 6pt 0; line-height: 115%; }
p.c { text-align: center; text-indent: 0; }
</style></head><body>
<div title="header"><p class="c">UBND PHƯỜNG CHÁNH LỘ - Kế hoạch Đề án 06 năm 2023</p></div>
"""]
for line in text.split("\n"):
    line = line.strip()
    if not line:
        continue
    cls = ' class="c"' if line in ("KẾ HOẠCH",) or line.startswith("**") or line.endswith("**") else ""
    body = html.escape(line)
    body = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", body)
    body = re.sub(r"\*(.+?)\*", r"<i>\1</i>", body)
    body = body.replace("*", "")
    out.append(f"<p{cls}>{body}</p>")
out.append("""<div title="footer"><p class="c">Trang <sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield></p></div>
</body></html>""")
print("\n".join(out))
