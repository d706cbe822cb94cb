package occto

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// form is a request's parameters: OCCTO reads them from the POST body, form-encoded
// (application/x-www-form-urlencoded) or, for the register API's file, multipart/form-data.
// The query string is not read (NOTES.md).
type form struct {
	values   url.Values
	file     []byte
	fileName string
}

func (f form) get(name string) string { return f.values.Get(name) }

var errUnreadableForm = errors.New("the request body is not a form")

// readForm parses the body the core read once.
func readForm(r *http.Request) (form, error) {
	body := core.Body(r)
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		return readMultipart(body, params["boundary"])
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return form{}, errUnreadableForm
	}
	f := form{values: values}
	if v, ok := values["file"]; ok && len(v) > 0 {
		f.file = []byte(v[0])
	}
	f.fileName = values.Get("filename")
	return f, nil
}

func readMultipart(body []byte, boundary string) (form, error) {
	if boundary == "" {
		return form{}, errUnreadableForm
	}
	f := form{values: url.Values{}}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return form{}, errUnreadableForm
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return form{}, errUnreadableForm
		}
		if part.FormName() == "file" {
			f.file = data
			if f.fileName == "" {
				f.fileName = part.FileName()
			}
			continue
		}
		f.values.Add(part.FormName(), string(data))
	}
	if name := f.values.Get("filename"); name != "" {
		f.fileName = name
	}
	return f, nil
}

// fromDate reads the optional `from` parameter, YYYYMMDD in JST: the zero time when absent.
func fromDate(f form) (time.Time, *apiError) {
	v := f.get("from")
	if v == "" {
		return time.Time{}, nil
	}
	t, ok := parseTime(layoutDate, v)
	if !ok {
		return time.Time{}, errBadParam("from")
	}
	return t, nil
}
