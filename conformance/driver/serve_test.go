package driver

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestServeAnswersEachRequestLineInOrder(t *testing.T) {
	in := strings.Join([]string{
		`{"id":1,"op":"configure","params":{}}`,
		``,
		`{"id":2,"op":"echo","params":{"a":[1,2]}}`,
		`{"id":3,"op":"upstream-error","params":{}}`,
		`{"id":4,"op":"plain-error"}`,
		`not json`,
		`{"id":"x-5","op":"nothing","params":null}`,
	}, "\n") // the last line has no newline: still answered
	var out bytes.Buffer
	if err := Serve(context.Background(), strings.NewReader(in), &out, testHandler); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`{"id":1,"ok":false,"error":{"message":"op \"configure\" is not supported by this driver","code":"unsupported"}}`,
		`{"id":2,"ok":true,"result":{"a":[1,2]}}`,
		`{"id":3,"ok":false,"error":{"message":"400 errorCode 100: invalid input value.","status":400,"code":"100"}}`,
		`{"id":4,"ok":false,"error":{"message":"something broke"}}`,
		`{"id":0,"ok":false,"error":{"message":"malformed request: invalid character 'o' in literal null (expecting 'u')"}}`,
		`{"id":"x-5","ok":true,"result":{}}`,
	}, "\n") + "\n"
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestServeStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Serve(ctx, strings.NewReader(`{"id":1,"op":"echo"}`+"\n"), &bytes.Buffer{}, testHandler)
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
