package occto

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
)

// redacted replaces a password in the journal.
const redacted = "REDACTED"

// RedactBody hides the password parameter of a journaled request and keeps everything else
// as sent, so a conformance spec still sees that a password was there.
func (m *Mock) RedactBody(contentType string, body []byte) []byte {
	mediaType, params, _ := mime.ParseMediaType(contentType)
	if mediaType == "multipart/form-data" {
		if out, err := redactMultipart(body, params["boundary"]); err == nil {
			return out
		}
		return body
	}
	pairs := strings.Split(string(body), "&")
	changed := false
	for i, pair := range pairs {
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil && k == "password" {
			pairs[i], changed = key+"="+redacted, true
		}
	}
	if !changed {
		return body
	}
	return []byte(strings.Join(pairs, "&"))
}

// redactMultipart rewrites the body with the same boundary and parts, the password part's
// content replaced.
func redactMultipart(body []byte, boundary string) ([]byte, error) {
	if boundary == "" {
		return nil, errors.New("no boundary")
	}
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, err
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		if part.FormName() == "password" {
			data = []byte(redacted)
		}
		w, err := mw.CreatePart(textproto.MIMEHeader(part.Header))
		if err != nil {
			return nil, err
		}
		_, _ = w.Write(data)
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
