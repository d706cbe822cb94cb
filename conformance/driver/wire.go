package driver

import (
	"encoding/json"
	"errors"
	"fmt"
)

// request is one line from the suite to the driver.
type request struct {
	ID     json.RawMessage `json:"id"`
	Op     string          `json:"op"`
	Params json.RawMessage `json:"params,omitempty"`
}

// response is one line from the driver to the suite.
type response struct {
	ID     json.RawMessage `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *Error          `json:"error,omitempty"`
}

// emptyObject is the result of an op whose handler returned nothing: DRIVER.md answers
// such ops with `{}`.
var emptyObject = json.RawMessage(`{}`)

// encodeResult turns a handler's result into the JSON sent on the wire.
func encodeResult(result any) (json.RawMessage, error) {
	if result == nil {
		return emptyObject, nil
	}
	raw, err := json.Marshal(result)
	if err != nil {
		return nil, fmt.Errorf("encoding result: %w", err)
	}
	if string(raw) == "null" {
		return emptyObject, nil
	}
	return raw, nil
}

// asDriverError converts any handler error into what the suite receives.
func asDriverError(err error) *Error {
	var de *Error
	if errors.As(err, &de) {
		clone := *de
		return &clone
	}
	return &Error{Message: err.Error()}
}

// encodeParams turns the caller's params into the JSON a handler receives. A nil params
// becomes `{}`, so every handler can unmarshal into a struct.
func encodeParams(params any) (json.RawMessage, error) {
	if params == nil {
		return emptyObject, nil
	}
	if raw, ok := params.(json.RawMessage); ok {
		if !json.Valid(raw) {
			return nil, errors.New("driver: params are not valid JSON")
		}
		return raw, nil
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("driver: encoding params: %w", err)
	}
	return raw, nil
}
