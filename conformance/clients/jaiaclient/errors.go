package jaiaclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// AuthMessage is the upstream's answer to an expired or unknown token and to a call the user
// has no permission for: 「認証に失敗したためアクセスできません。」 (§1-3, §1-5).
const AuthMessage = "認証に失敗したためアクセスできません。"

// APIError is an answer that is not a success: an HTTP status other than 2xx, or a result
// other than 0.
type APIError struct {
	APIID  string // the API called, e.g. STORE_CREATE
	Status int    // the HTTP status
	Result int    // the envelope's result (1 on every failure the manual shows)
	Code   int    // the envelope's code
	// Messages are the errorMessageList's strings; an import's row errors are in Rows.
	Messages []string
	Rows     []RowError
	// Counts are an import's total/success/error, when the answer has them.
	Counts *ImportCounts
	// Body is the raw answer when it was not a JAIA envelope.
	Body string
}

// maxErrorMessages bounds the messages Error quotes; AllMessages has every one.
const maxErrorMessages = 20

// RowError is one message about one CSV row; row 1 is the header, data starts at row 2.
type RowError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jaia %s: HTTP %d", e.APIID, e.Status)
	if e.Body != "" {
		fmt.Fprintf(&b, ", not a JAIA answer: %q", clip(e.Body, 200))
		return b.String()
	}
	fmt.Fprintf(&b, ", result %d, code %d", e.Result, e.Code)
	all := e.AllMessages()
	if len(all) > maxErrorMessages {
		all = append(all[:maxErrorMessages:maxErrorMessages], fmt.Sprintf("… %d more", len(all)-maxErrorMessages))
	}
	if len(all) > 0 {
		b.WriteString(": " + strings.Join(all, " / "))
	}
	if e.Counts != nil {
		fmt.Fprintf(&b, " (total %d, success %d, error %d)", e.Counts.Total, e.Counts.Success, e.Counts.Error)
	}
	return b.String()
}

// AllMessages are the messages and the row errors ("row 2: …"), in the upstream's order.
func (e *APIError) AllMessages() []string {
	out := append([]string(nil), e.Messages...)
	for _, r := range e.Rows {
		out = append(out, fmt.Sprintf("row %d: %s", r.Row, r.Message))
	}
	return out
}

// IsAuthFailure reports whether err is the upstream's authentication failure: an expired,
// replaced or unknown token, or a call without permission.
func IsAuthFailure(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.Body != "" {
		return false
	}
	return e.Code == http.StatusUnauthorized || e.Status == http.StatusUnauthorized
}

// envelope is the JAIA answer: result, code, errorMessageList and the payload of the API.
type envelope struct {
	Result           *int            `json:"result"`
	Code             int             `json:"code"`
	ErrorMessageList json.RawMessage `json:"errorMessageList"`
	// ErrorMessage is the key the manual's login, logout and some update samples use.
	ErrorMessage json.RawMessage `json:"errorMessage"`
	Metadata     json.RawMessage `json:"metadata"`
	MetadataList json.RawMessage `json:"metadataList"`
	Total        *int            `json:"total"`
	PageNumber   *int            `json:"pageNumber"`
}

// decodeEnvelope reads an answer and returns it when it is a success (HTTP 2xx and result
// 0); otherwise an *APIError with everything the answer says.
func decodeEnvelope(apiID string, status int, body []byte) (*envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || env.Result == nil {
		return nil, &APIError{APIID: apiID, Status: status, Result: -1, Body: string(body)}
	}
	if status >= 200 && status < 300 && *env.Result == 0 {
		return &env, nil
	}
	e := &APIError{APIID: apiID, Status: status, Result: *env.Result, Code: env.Code}
	list := env.ErrorMessageList
	if len(list) == 0 || string(list) == "null" {
		list = env.ErrorMessage
	}
	var items []json.RawMessage
	_ = json.Unmarshal(list, &items)
	for _, raw := range items {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			e.Messages = append(e.Messages, s)
			continue
		}
		var r RowError
		if json.Unmarshal(raw, &r) == nil && r.Message != "" {
			e.Rows = append(e.Rows, r)
			continue
		}
		e.Messages = append(e.Messages, string(raw))
	}
	var counts ImportCounts
	if len(env.Metadata) > 0 && json.Unmarshal(env.Metadata, &counts) == nil && counts.Total > 0 {
		e.Counts = &counts
	}
	return nil, e
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
