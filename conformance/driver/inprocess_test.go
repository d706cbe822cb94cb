package driver

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestInProcessRoundTripsParamsAndResultsThroughJSON(t *testing.T) {
	d := InProcess(testHandler)
	defer d.Close()

	got, err := d.Do(context.Background(), "echo", map[string]any{"cursor": nil, "n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"cursor":null,"n":1}` {
		t.Fatalf("result = %s", got)
	}
}

func TestInProcessAnswersEmptyObjectForNilResult(t *testing.T) {
	got, err := InProcess(testHandler).Do(context.Background(), "nothing", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{}` {
		t.Fatalf("result = %s, want {}", got)
	}
}

func TestInProcessErrorsAreDriverErrors(t *testing.T) {
	d := InProcess(testHandler)
	tests := []struct {
		op   string
		want Error
	}{
		{"upstream-error", Error{Message: "400 errorCode 100: invalid input value.", Status: 400, Code: "100"}},
		{"plain-error", Error{Message: "something broke"}},
		{"no-such-op", *Unsupported("no-such-op")},
		{"panic", Error{Message: `driver: op "panic" panicked: handler bug`}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			_, err := d.Do(context.Background(), tt.op, struct{}{})
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			if *de != tt.want {
				t.Fatalf("error = %+v, want %+v", *de, tt.want)
			}
		})
	}
}

func TestInProcessRejectsInvalidRawParams(t *testing.T) {
	_, err := InProcess(testHandler).Do(context.Background(), "echo", json.RawMessage(`{`))
	if err == nil {
		t.Fatal("want an error for invalid JSON params")
	}
}
