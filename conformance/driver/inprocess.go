package driver

import (
	"context"
	"encoding/json"
)

// InProcess is a Driver without a process: Do calls h directly. Params and results still
// travel through JSON and errors become *Error, so a handler behaves exactly as it does
// behind Serve.
func InProcess(h Handler) Driver {
	return inProcess{handle: h}
}

type inProcess struct {
	handle Handler
}

func (d inProcess) Do(ctx context.Context, op string, params any) (json.RawMessage, error) {
	raw, err := encodeParams(params)
	if err != nil {
		return nil, err
	}
	result, err := callHandler(ctx, d.handle, op, raw)
	if err != nil {
		return nil, asDriverError(err)
	}
	encoded, err := encodeResult(result)
	if err != nil {
		return nil, &Error{Message: err.Error()}
	}
	return encoded, nil
}

func (inProcess) Close() error { return nil }
