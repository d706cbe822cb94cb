package atlasclient

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
)

// Error codes of the upstream's ProblemDetails table that callers act on.
const (
	CodeInvalidInput          = "100"
	CodeTransactionRegistered = "200" // the transactionId has already been registered
	CodeAlreadyReceived       = "201"
	CodeSlipUsedByOtherBase   = "202"
	CodeMultipleItems         = "203"
	CodePathMismatch          = "204"
	CodeRequestTooLarge       = "205"
	CodeInvalidJSON           = "206"
	CodeBaseIDMismatch        = "207"
	CodeMasterNotFound        = "208"
	CodeAuthFailed            = "800"
	CodeJWTExpired            = "801"
	CodeResourceNotFound      = "802"
	CodeThrottled             = "803"
	CodeRequestDateFormat     = "804"
	CodeSystemError           = "900"
	CodeMaintenance           = "901"
)

// APIError is a non-2xx answer from the upstream or from a download URL.
type APIError struct {
	Status int
	// ErrorCode is the ProblemDetails errorCode as a decimal string ("" when the body had
	// none, as in API Gateway's message-only 403/500/504).
	ErrorCode     string
	Title         string
	Detail        string
	TraceID       string
	InvalidParams []InvalidParam
	// Message is the body's "message" (API Gateway), an S3 error's Code and Message, or
	// the start of any other body.
	Message string
}

// InvalidParam names one rejected request field.
type InvalidParam struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "atlas: %d", e.Status)
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, " errorCode %s", e.ErrorCode)
	}
	switch {
	case e.Detail != "":
		b.WriteString(": " + e.Detail)
	case e.Message != "":
		b.WriteString(": " + e.Message)
	default:
		b.WriteString(": " + http.StatusText(e.Status))
	}
	for i, p := range e.InvalidParams {
		sep := ", "
		if i == 0 {
			sep = " ["
		}
		b.WriteString(sep + p.Name + ": " + p.Reason)
		if i == len(e.InvalidParams)-1 {
			b.WriteString("]")
		}
	}
	return b.String()
}

// Temporary reports whether the upstream asks for the call to be retried later.
func (e *APIError) Temporary() bool { return retryableStatus(e.Status) }

// problemBody is every error shape the upstream uses: ProblemDetails, or API Gateway's
// {"message": ...}.
type problemBody struct {
	Title         string         `json:"title"`
	ErrorCode     flexibleCode   `json:"errorCode"`
	Detail        string         `json:"detail"`
	TraceID       string         `json:"traceId"`
	InvalidParams []InvalidParam `json:"invalidParams"`
	Message       string         `json:"message"`
}

// flexibleCode accepts errorCode as the documented integer or as the string the
// upstream's own maintenance sample sends ("901").
type flexibleCode string

func (c *flexibleCode) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		*c = ""
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*c = flexibleCode(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(data, &n); err != nil {
			return fmt.Errorf("errorCode: %w", err)
		}
		*c = flexibleCode(n.String())
	}
	return nil
}

// s3Error is the XML an S3 presigned URL answers with, e.g. AccessDenied once expired.
type s3Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// newAPIError reads whatever error body came with status.
func newAPIError(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	trimmed := bytes.TrimSpace(body)
	var p problemBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &p) == nil {
		e.Title, e.ErrorCode, e.Detail = p.Title, string(p.ErrorCode), p.Detail
		e.TraceID, e.InvalidParams, e.Message = p.TraceID, p.InvalidParams, p.Message
		return e
	}
	var x s3Error
	if len(trimmed) > 0 && trimmed[0] == '<' && xml.Unmarshal(trimmed, &x) == nil && x.Code != "" {
		e.Message = strings.TrimSpace(x.Code + ": " + x.Message)
		return e
	}
	const max = 200
	text := string(trimmed)
	if len(text) > max {
		text = text[:max] + "…"
	}
	e.Message = text
	return e
}
