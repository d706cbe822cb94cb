package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// The test binary doubles as the driver process under test: with helperEnv set it serves
// the protocol instead of running tests, which avoids building a separate program.
const helperEnv = "DRIVER_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "serve":
		if err := Serve(context.Background(), os.Stdin, os.Stdout, testHandler); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "ignore-stdin":
		time.Sleep(time.Minute)
		os.Exit(0)
	}
}

// helperCommand runs this test binary as a driver in the given mode.
func helperCommand(t *testing.T, mode string) []string {
	t.Helper()
	t.Setenv(helperEnv, mode)
	// Under -race a process sleeps a second at exit unless told otherwise.
	t.Setenv("GORACE", "atexit_sleep_ms=0")
	return []string{os.Args[0], "-test.run=^$"}
}

// testHandler is the fake driver used both in-process and behind Serve.
func testHandler(ctx context.Context, op string, params json.RawMessage) (any, error) {
	switch op {
	case "echo":
		return params, nil
	case "nothing":
		return nil, nil
	case "upstream-error":
		return nil, fmt.Errorf("wrapped: %w", &Error{Message: "400 errorCode 100: invalid input value.", Status: 400, Code: "100"})
	case "plain-error":
		return nil, errors.New("something broke")
	case "panic":
		panic("handler bug")
	case "sleep":
		var p struct{ Ms int }
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		select {
		case <-time.After(time.Duration(p.Ms) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return map[string]int{"slept": p.Ms}, nil
	case "stray-stdout":
		fmt.Fprintln(os.Stdout, "this is not JSON")
		return nil, nil
	case "log":
		fmt.Fprintln(os.Stderr, "hello from the driver")
		return nil, nil
	case "exit":
		os.Exit(3)
	case "zone":
		return map[string]string{"TZ": os.Getenv("TZ"), "local": time.Local.String()}, nil
	}
	return nil, Unsupported(op)
}
