package occto

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// Character encodings a message may declare. XML 1.0 lets a document declare its encoding;
// the EDI standard's messages in circulation are UTF-8 or Shift_JIS, so those two (and the
// Windows names of Shift_JIS) are read. Anything else is 提出エラー E002.
const (
	encUTF8     = "UTF-8"
	encShiftJIS = "Shift_JIS"
)

var shiftJISLabels = map[string]bool{
	"shift_jis": true, "shift-jis": true, "sjis": true, "x-sjis": true,
	"windows-31j": true, "cp932": true, "ms932": true, "ms_kanji": true, "csshiftjis": true,
}

var declaredEncoding = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// toUTF8 returns the message as UTF-8 and the encoding it declared, or a finding.
func toUTF8(raw []byte) ([]byte, string, *Finding) {
	raw = bytes.TrimPrefix(raw, utf8BOM)
	label := ""
	if m := declaredEncoding.FindSubmatch(bytes.TrimLeft(raw, " \t\r\n")); m != nil {
		label = string(m[1])
	}
	switch l := strings.ToLower(label); {
	case l == "" || l == "utf-8" || l == "utf8":
		if !utf8.Valid(raw) {
			f := findEncoding.at("", "", "UTF-8として読めないバイトがあります")
			return nil, encUTF8, &f
		}
		return raw, encUTF8, nil
	case shiftJISLabels[l]:
		out, err := io.ReadAll(japanese.ShiftJIS.NewDecoder().Reader(bytes.NewReader(raw)))
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			f := findEncoding.at("", "", "Shift_JISとして読めないバイトがあります")
			return nil, encShiftJIS, &f
		}
		return out, encShiftJIS, nil
	default:
		f := findEncoding.at("", "", label)
		return nil, label, &f
	}
}

// passThrough is the etree charset reader for a document already converted to UTF-8, whose
// declaration may still name Shift_JIS.
func passThrough(_ string, input io.Reader) (io.Reader, error) { return input, nil }
