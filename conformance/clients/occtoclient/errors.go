package occtoclient

import (
	"errors"
	"fmt"
)

// Result codes callers act on (the `resultcode` header).
const (
	CodeOK            = "0000"
	CodeUnknownUser   = "1001"
	CodeWrongPassword = "1002"
	CodeNoCredentials = "1003"
	CodeDailyLimit    = "2001"
	CodeBadParameter  = "3001"
	CodeNotFound      = "3002"
	CodeProcessing    = "3003"
)

// APIError is an answer whose resultcode is not 0000, or an answer that is not OCCTO's at
// all (no resultcode: ResultCode is "").
type APIError struct {
	API        string // the API ID, e.g. BA13B103
	HTTPStatus int
	ResultCode string
	// Message is the error XML's RESULT_MSG, or the start of a body that was not OCCTO's.
	Message string
}

func (e *APIError) Error() string {
	if e.ResultCode == "" {
		return fmt.Sprintf("occto %s: HTTP %d without resultcode: %s", e.API, e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("occto %s: resultcode %s: %s", e.API, e.ResultCode, e.Message)
}

// ErrDailyLimit matches (errors.Is) a 2001 answer and a call the client refused itself
// because the limit was hit earlier the same day.
var ErrDailyLimit = errors.New("occto: API 上限回数を超えています")

// Is makes errors.Is(err, ErrDailyLimit) true for a 2001 answer.
func (e *APIError) Is(target error) bool {
	return target == ErrDailyLimit && e.ResultCode == CodeDailyLimit
}

// LimitError is a call the client did not make: the daily limit answered 2001 earlier on
// Day (JST).
type LimitError struct {
	API string
	Day string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("occto %s: not called: resultcode %s (API 上限回数を超えています) earlier on %s JST; calls resume at midnight JST",
		e.API, CodeDailyLimit, e.Day)
}

// Is makes errors.Is(err, ErrDailyLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrDailyLimit }
