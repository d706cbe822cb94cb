package occtoclient

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
	"golang.org/x/text/encoding/japanese"
)

// File is the XML file an answer carried: its ZIP entry name and its bytes as stored.
type File struct {
	Name string
	Data []byte
}

// unpack reads an answer body: Base64 text (line breaks allowed) of a ZIP with one entry.
func unpack(body []byte) (File, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(body)))
	if err != nil {
		return File{}, fmt.Errorf("the answer is not Base64: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return File{}, fmt.Errorf("the answer is not a ZIP: %w", err)
	}
	if len(zr.File) != 1 {
		return File{}, fmt.Errorf("the answer's ZIP holds %d files, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return File{}, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return File{}, fmt.Errorf("unzipping %s: %w", zr.File[0].Name, err)
	}
	return File{Name: zr.File[0].Name, Data: data}, nil
}

var declaredEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// Text is the file as UTF-8, decoded from the encoding its XML declaration names.
func (f File) Text() (string, error) { return DecodeXML(f.Data) }

// DecodeXML converts an XML document to UTF-8 from the encoding its declaration names:
// UTF-8 (or none) or Shift_JIS.
func DecodeXML(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	label := ""
	if m := declaredEncoding.FindSubmatch(data); m != nil {
		label = strings.ToLower(string(m[1]))
	}
	switch label {
	case "", "utf-8", "utf8":
		if !utf8.Valid(data) {
			return "", errors.New("the XML is not valid UTF-8")
		}
		return string(data), nil
	case "shift_jis", "shift-jis", "sjis", "windows-31j", "cp932", "ms932":
		out, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("decoding Shift_JIS: %w", err)
		}
		return string(out), nil
	}
	return "", fmt.Errorf("the XML declares an encoding this client does not read: %s", label)
}

// Document parses the file.
func (f File) Document() (*etree.Document, error) {
	text, err := f.Text()
	if err != nil {
		return nil, err
	}
	return parseXML([]byte(text))
}

// parseXML parses UTF-8 XML whatever its declaration says (it was decoded already).
func parseXML(data []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, err
	}
	return doc, nil
}

// childText is the text of e's child tag ("" when absent).
func childText(e *etree.Element, tag string) string {
	if c := e.SelectElement(tag); c != nil {
		return c.Text()
	}
	return ""
}
