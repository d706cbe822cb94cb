// Package driver is both sides of the conformance driver protocol (conformance/DRIVER.md):
// the suite starts a driver process with Start (or wraps a Go handler with InProcess), and a
// Go driver's main answers the suite with Serve.
package driver

import (
	"context"
	"encoding/json"
	"fmt"
)

// Driver performs named operations with a client under test.
type Driver interface {
	// Do performs op with params and returns the op's result as JSON. A failure the
	// client reported to its caller comes back as an *Error.
	Do(ctx context.Context, op string, params any) (json.RawMessage, error)
	// Close ends the driver; for a process, it closes standard input and waits for exit.
	Close() error
}

// Handler performs one op inside a driver. Returning an *Error sends it as is; any other
// error is sent as its message only. An op the handler does not know should return
// Unsupported(op).
type Handler func(ctx context.Context, op string, params json.RawMessage) (any, error)

// Error is a failure reported by a driver: `ok: false` on the wire.
type Error struct {
	Message string `json:"message"`
	// Status is the upstream's HTTP status, when the client knows it.
	Status int `json:"status,omitempty"`
	// Code is the upstream's error code, or CodeUnsupported.
	Code string `json:"code,omitempty"`
}

// CodeUnsupported is the error code of an op the driver does not implement.
const CodeUnsupported = "unsupported"

func (e *Error) Error() string {
	switch {
	case e.Status != 0 && e.Code != "":
		return fmt.Sprintf("driver: %s (status %d, code %s)", e.Message, e.Status, e.Code)
	case e.Status != 0:
		return fmt.Sprintf("driver: %s (status %d)", e.Message, e.Status)
	case e.Code != "":
		return fmt.Sprintf("driver: %s (code %s)", e.Message, e.Code)
	}
	return "driver: " + e.Message
}

// Unsupported is the answer to an op a driver does not implement.
func Unsupported(op string) *Error {
	return &Error{Message: fmt.Sprintf("op %q is not supported by this driver", op), Code: CodeUnsupported}
}
