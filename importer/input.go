package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/unicode/norm"

	"github.com/chanhlo/planbot/plan"
)

// Size limits: a plan is a few dozen pages.
const (
	maxFileSize = 32 << 20 // bytes read from the caller
	maxXMLSize  = 64 << 20 // uncompressed word/document.xml
)

// errNotText is the message for a file that is neither text nor .docx.
const errNotText = "%s không phải văn bản (txt/md/docx)."

// fileLabel names the file in a message: "Tệp “kh.txt”" or "Tệp".
func fileLabel(name string) string {
	if name == "" {
		return "Tệp"
	}
	return "Tệp “" + name + "”"
}

// readText reads the document and returns its text as NFC lines, detecting
// .docx by content rather than by name.
func readText(r io.Reader, name string) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, plan.Errorf(plan.EInvalid, "%s quá lớn (trên %d MB).", fileLabel(name), maxFileSize>>20)
	}
	var text string
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, plan.Errorf(plan.EInvalid, "%s không có nội dung.", fileLabel(name))
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		text, err = docxText(data)
		if err != nil {
			return nil, plan.Errorf(plan.EInvalid, errNotText+" Tệp nén không chứa nội dung Word.", fileLabel(name))
		}
	case bytes.HasPrefix(data, []byte("%PDF")):
		blocks, err := readPDFBlocks(data, name)
		if err != nil {
			return nil, err
		}
		text = strings.Join(blockLines(blocks), "\n")
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return nil, plan.Errorf(plan.EInvalid, "%s là Word 97-2003 (.doc), chưa đọc được. Xin lưu lại thành .docx.", fileLabel(name))
	default:
		text, err = decodeText(data)
		if err != nil {
			return nil, plan.Errorf(plan.EInvalid, errNotText, fileLabel(name))
		}
	}
	text = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"))
	if strings.TrimSpace(text) == "" {
		return nil, plan.Errorf(plan.EInvalid, "%s không có nội dung.", fileLabel(name))
	}
	return strings.Split(text, "\n"), nil
}

// decodeText returns data as text: UTF-8 (with or without BOM) or UTF-16/32
// with a BOM. Anything else, or text full of control characters, is not a
// plan.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		b, err := utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", err
		}
		data = b
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", err
		}
		data = b
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return "", errors.New("not UTF-8")
	}
	s := string(data)
	control := 0
	for _, r := range s {
		if r == 0 {
			return "", errors.New("NUL byte")
		}
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			control++
		}
	}
	if control*20 > utf8.RuneCountInString(s) {
		return "", errors.New("binary")
	}
	return s, nil
}

// docxText extracts the paragraphs of word/document.xml, one line each:
// <w:t> is text, <w:tab/> a tab, <w:br/> and <w:cr/> a line break.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("open docx: %w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return "", errors.New("docx: no word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("open word/document.xml: %w", err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxXMLSize))
	var out, para strings.Builder
	inText, sawBody := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("parse word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "body":
				sawBody = true
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			case "p":
				para.Reset()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				out.WriteString(para.String())
				out.WriteString("\n\n")
				para.Reset()
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	if !sawBody {
		return "", errors.New("docx: no w:body")
	}
	return out.String(), nil
}
