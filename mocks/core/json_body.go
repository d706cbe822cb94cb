package core

import (
	"encoding/json"
	"sync"
)

// jsonBody is a request's JSON body as handed to mocks: decoded by Check's full path, or, when
// the compiled validator passed the raw bytes, decoded on first use — most handlers of a
// valid request decode into their own typed structs and never ask for the generic value.
type jsonBody struct {
	lazy  []byte // valid JSON, decoded by the first get; set before the handler runs
	once  sync.Once
	value any
	err   error
}

func (b *jsonBody) set(value any, err error) { b.value, b.err = value, err }

// later keeps raw, which the compiled validator found to be valid JSON, for get to decode.
func (b *jsonBody) later(raw []byte) { b.lazy = raw }

// get returns the decoded body, or why there is none, as Check's full path would have.
func (b *jsonBody) get() (any, error) {
	if b.lazy != nil {
		b.once.Do(func() {
			if b.err = json.Unmarshal(b.lazy, &b.value); b.err != nil {
				b.value = nil
			}
		})
	}
	return b.value, b.err
}

// decodeErr is get's error without decoding a lazy body: the compiled validator passes only
// bodies encoding/json decodes without error (the differential test holds it to that).
func (b *jsonBody) decodeErr() error {
	if b.lazy != nil {
		return nil
	}
	return b.err
}
