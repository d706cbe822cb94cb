package driver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Serve answers the suite: it reads one request per line from in until EOF, calls h, and
// writes one response line to out. Requests are handled one at a time, in order, as the
// suite sends them. Serve returns nil at EOF, the context's error when ctx ends between
// requests, or the error that stopped it reading or writing.
func Serve(ctx context.Context, in io.Reader, out io.Writer, h Handler) error {
	reader := bufio.NewReader(in)
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, readErr := reader.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := encoder.Encode(answer(ctx, h, line)); err != nil {
				return fmt.Errorf("driver: writing response: %w", err)
			}
		}
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		if readErr != nil {
			return fmt.Errorf("driver: reading request: %w", readErr)
		}
	}
}

// answer handles one request line. A line that is not a request is answered with id 0,
// since its own id cannot be trusted.
func answer(ctx context.Context, h Handler, line []byte) response {
	var req request
	if err := json.Unmarshal(line, &req); err != nil || req.Op == "" {
		msg := "malformed request: missing op"
		if err != nil {
			msg = "malformed request: " + err.Error()
		}
		id := req.ID
		if len(id) == 0 {
			id = json.RawMessage("0")
		}
		return response{ID: id, Error: &Error{Message: msg}}
	}
	params := req.Params
	if len(params) == 0 || string(params) == "null" {
		params = emptyObject
	}
	result, err := callHandler(ctx, h, req.Op, params)
	if err != nil {
		return response{ID: req.ID, Error: asDriverError(err)}
	}
	encoded, err := encodeResult(result)
	if err != nil {
		return response{ID: req.ID, Error: &Error{Message: err.Error()}}
	}
	return response{ID: req.ID, OK: true, Result: encoded}
}

// callHandler runs h and turns a panic into an error, so one bad op fails its spec
// instead of killing the driver and every spec after it.
func callHandler(ctx context.Context, h Handler, op string, params json.RawMessage) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			result, err = nil, fmt.Errorf("driver: op %q panicked: %v", op, p)
		}
	}()
	return h(ctx, op, params)
}
