package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"sort"
	"strings"

	"github.com/upmock/upmock/conformance/control"
)

// jaiaOp matches journal entries of one API ID (the OpenAPI operationId is the API ID).
func jaiaOp(apiID string) func(control.Entry) bool {
	return func(e control.Entry) bool { return e.Operation == apiID }
}

// jaiaCommonItems reads a journaled request's common items: the JSON body, or an import's
// multipart "body" part.
func jaiaCommonItems(e control.Entry) (map[string]any, error) {
	raw := []byte(e.Body)
	if mt, params, err := mime.ParseMediaType(e.Headers.Get("Content-Type")); err == nil && strings.HasPrefix(mt, "multipart/") {
		raw = nil
		r := multipart.NewReader(strings.NewReader(e.Body), params["boundary"])
		for {
			part, err := r.NextPart()
			if err != nil {
				if e.BodyTruncated {
					return nil, errors.New("no \"body\" part in the journaled first 64 KiB of the request")
				}
				return nil, errors.New("the multipart request has no \"body\" part")
			}
			if part.FormName() == "body" {
				if raw, err = io.ReadAll(part); err != nil {
					return nil, fmt.Errorf("reading the \"body\" part: %w", err)
				}
				break
			}
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object: %w", err)
	}
	return doc, nil
}

// jaiaAnswer is a journaled JAIA envelope.
type jaiaAnswer struct {
	Result     *int            `json:"result"`
	Code       int             `json:"code"`
	List       json.RawMessage `json:"errorMessageList"`
	Metadata   json.RawMessage `json:"metadata"`
	Total      *int            `json:"total"`
	PageNumber *int            `json:"pageNumber"`
}

func jaiaAnswerOf(e control.Entry) jaiaAnswer {
	var a jaiaAnswer
	_ = json.Unmarshal([]byte(e.ResponseBody), &a)
	return a
}

// messages are the errorMessageList's texts (import row errors as "row N: …").
func (a jaiaAnswer) messages() []string {
	var items []json.RawMessage
	_ = json.Unmarshal(a.List, &items)
	var out []string
	for _, raw := range items {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, s)
			continue
		}
		var row struct {
			Row     int    `json:"row"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &row) == nil {
			out = append(out, fmt.Sprintf("row %d: %s", row.Row, row.Message))
		}
	}
	return out
}

// hasMessage reports whether the answer's errorMessageList holds msg.
func (a jaiaAnswer) hasMessage(msg string) bool {
	for _, m := range a.messages() {
		if strings.HasSuffix(m, msg) {
			return true
		}
	}
	return false
}

// counts is an import answer's metadata total/success/error (ok false without one).
func (a jaiaAnswer) counts() (total, success int, ok bool) {
	var c struct {
		Total   *int `json:"total"`
		Success int  `json:"success"`
	}
	if json.Unmarshal(a.Metadata, &c) != nil || c.Total == nil {
		return 0, 0, false
	}
	return *c.Total, c.Success, true
}

// ok reports whether the answer is a success: HTTP 200 and result 0.
func (a jaiaAnswer) ok(e control.Entry) bool {
	return e.Status == 200 && a.Result != nil && *a.Result == 0
}

// jaiaAuthMessage is the upstream's answer to an expired or unknown token (§1-3).
const jaiaAuthMessage = "認証に失敗したためアクセスできません。"

// isJaiaAuthFailure: a call refused as unauthenticated (401 and the auth message).
func isJaiaAuthFailure(e control.Entry) bool {
	return e.Status == 401 && jaiaAnswerOf(e).hasMessage(jaiaAuthMessage)
}

// jaiaNumber reads a JSON number (or numeric string) item of a request; absent is def.
func jaiaNumber(doc map[string]any, key string, def int) int {
	switch v := doc[key].(type) {
	case float64:
		return int(v)
	case string:
		var n int
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return def
}

// jaiaLoginProblems says, for every login the upstream refused, what was wrong with it: the
// body's keys (appId EXTERNAL, userMail, password; §1-3, AUTH_LOGIN) and the answer's
// messages. It is empty when every login succeeded.
func jaiaLoginProblems(entries []control.Entry, userMail string) []string {
	var out []string
	for _, e := range filter(entries, jaiaOp("AUTH_LOGIN")) {
		if jaiaAnswerOf(e).ok(e) {
			continue
		}
		var wrong []string
		doc, err := jaiaCommonItems(e)
		if err != nil {
			wrong = append(wrong, err.Error())
		} else {
			for key, value := range map[string]string{"appId": "EXTERNAL", "userMail": userMail, "password": ""} {
				got, present := doc[key]
				switch {
				case !present || got == "":
					wrong = append(wrong, "no "+key)
				case value != "" && got != value:
					wrong = append(wrong, fmt.Sprintf("%s %s (want %q)", key, jsonish(got), value))
				}
			}
		}
		if msgs := jaiaAnswerOf(e).messages(); len(msgs) > 0 {
			wrong = append(wrong, "the upstream answered 「"+strings.Join(msgs, "」「")+"」")
		}
		sort.Strings(wrong)
		out = append(out, fmt.Sprintf("#%d the login was refused (%d): %s", e.Seq, e.Status, strings.Join(wrong, "; ")))
	}
	return out
}
