package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

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

// readText reads the document and returns its blocks in reading order,
// NFC, detecting .docx by content rather than by name. A text file is one
// block holding all its lines.
func readText(r io.Reader, name string) ([]docBlock, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, plan.Errorf(plan.EInvalid, "%s quá lớn (trên %d MB).", fileLabel(name), maxFileSize>>20)
	}
	var blocks []docBlock
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, plan.Errorf(plan.EInvalid, "%s không có nội dung.", fileLabel(name))
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		blocks, err = docxBlocks(data)
		if err != nil {
			return nil, plan.Errorf(plan.EInvalid, errNotText+" Tệp nén không chứa nội dung Word.", fileLabel(name))
		}
	case bytes.HasPrefix(data, []byte("%PDF")):
		// Tables come as tables, read as task lists like Word's.
		if blocks, err = readPDFBlocks(data, name); err != nil {
			return nil, err
		}
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return nil, plan.Errorf(plan.EInvalid, "%s là Word 97-2003 (.doc), chưa đọc được. Xin lưu lại thành .docx.", fileLabel(name))
	default:
		text, err := decodeText(data)
		if err != nil {
			return nil, plan.Errorf(plan.EInvalid, errNotText, fileLabel(name))
		}
		blocks = []docBlock{{Text: text}}
	}
	empty := true
	for i := range blocks {
		blocks[i] = normalizeBlock(blocks[i])
		empty = empty && blockBlank(blocks[i])
	}
	if empty {
		return nil, plan.Errorf(plan.EInvalid, "%s không có nội dung.", fileLabel(name))
	}
	return blocks, nil
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
