package jaia

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/upmock/upmock/mocks/core"
)

// msg renders catalogue message id with its placeholders ({0}, {1}).
func (c *Catalogue) msg(id string, args ...string) string {
	s, ok := c.Messages[id]
	if !ok {
		panic("jaia: no message " + id)
	}
	for i, a := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", a)
	}
	return s
}

// apiError is a failed call: the status (= the envelope's code) and its messages.
type apiError struct {
	status int // the envelope's code, and the HTTP status unless httpStatus is set
	// httpStatus, when set, is the HTTP status of an envelope whose code differs: an export's
	// abnormal end is HTTP 200 with code 500 (§1-10's table).
	httpStatus int
	msgs       []string
	emptyAppID bool       // the export's empty-appId row, which the table answers with HTTP 500
	rows       []rowError // import file errors
	counts     *importCounts
}

func (e *apiError) Error() string { return strconv.Itoa(e.status) + " " + strings.Join(e.msgs, " ") }

func fail(status int, msgs ...string) *apiError { return &apiError{status: status, msgs: msgs} }

// abnormalExportEnd is an export's 異常終了: HTTP 200 with the error envelope (§1-10's table:
// 「異常終了の場合 ステータスコード : 200」; a CSV download commits its status before it can
// fail, so a client reads result).
func abnormalExportEnd(e *apiError) *apiError {
	c := *e
	c.httpStatus = http.StatusOK
	return &c
}

type rowError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

type importCounts struct {
	Total   int `json:"total"`
	Success int `json:"success"`
	Error   int `json:"error"`
	// UserInfo is USER_IMPORT_CREATE's list of generated user IDs.
	UserInfo []userInfo `json:"userInfo,omitempty"`
}

type userInfo struct {
	UserMail string `json:"userMail"`
	UserID   string `json:"userId"`
}

// reply is a successful answer. The envelope keys follow NOTES.md "Envelope".
type reply struct {
	metadata     any // written as null when hasMetadata and nil
	hasMetadata  bool
	metadataList any
	total, page  *int
}

// field is one key/value of the envelope in the manual's order.
type field struct {
	key string
	val any
}

// writeEnvelope is the one writer of the JAIA envelope: HTTP status = code.
func writeEnvelope(w http.ResponseWriter, r *http.Request, status int, fields []field) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshalNoEscape(f.val)
		if err != nil {
			v = []byte("null")
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	core.Annotate(r, "code", strconv.Itoa(status))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// writeOK writes result 0 / code 200 with errorMessageList null.
func writeOK(w http.ResponseWriter, r *http.Request, rep reply) {
	fields := []field{{"result", 0}, {"code", 200}, {"errorMessageList", nil}}
	if rep.total != nil {
		fields = append(fields, field{"total", *rep.total}, field{"pageNumber", *rep.page})
	}
	if rep.metadataList != nil {
		fields = append(fields, field{"metadataList", rep.metadataList})
	}
	if rep.hasMetadata {
		fields = append(fields, field{"metadata", rep.metadata})
	}
	writeEnvelope(w, r, 200, fields)
}

// writeError writes result 1 with the error's messages (or file-row objects and counts).
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	var list any = e.msgs
	if e.rows != nil {
		list = e.rows
	}
	fields := []field{{"result", 1}, {"code", e.status}, {"errorMessageList", list}}
	if e.counts != nil {
		fields = append(fields, field{"metadata", e.counts})
	}
	if len(e.msgs) > 0 {
		core.Annotate(r, "message", e.msgs[0])
	}
	status := e.status
	if e.httpStatus != 0 {
		status = e.httpStatus
	}
	writeEnvelope(w, r, status, fields)
}
