package atlasclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

const (
	registeredBody  = `{"title":"BadRequest","errorCode":200,"detail":"the transactionId=x has already been registered.","traceId":"t","invalidParams":[]}`
	maintenanceBody = `{"title":"ServiceUnavailable","errorCode":"901","detail":"system maintenance.","traceId":"","invalidParams":[]}`
)

func TestTransientFailuresAreRetriedWithTheSameBodyAndAFreshJWT(t *testing.T) {
	failures := map[string]http.HandlerFunc{
		"500":     status(500, `{"message":"Internal Server Error"}`),
		"503":     status(503, maintenanceBody),
		"504":     status(504, `{"message":"Endpoint request timed out"}`),
		"429":     status(429, `{"title":"Throttled","errorCode":803,"detail":"request is too many. please call API in a little while.","traceId":"t","invalidParams":[]}`),
		"dropped": dropConnection,
	}
	for name, fail := range failures {
		t.Run(name, func(t *testing.T) {
			srv := newFakeServer(t, sequence(fail, status(http.StatusNoContent, "")))
			c := newTestClient(t, srv.URL)
			if err := c.RegisterShipping(context.Background(), ModeBulk, sampleRegistration(sampleItem("T-1"))); err != nil {
				t.Fatal(err)
			}
			reqs := srv.seen()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			if !bytes.Equal(reqs[0].Body, reqs[1].Body) {
				t.Fatalf("retry changed the body:\n%s\n%s", reqs[0].Body, reqs[1].Body)
			}
			if verifyAuthHeaders(t, reqs[0]) == verifyAuthHeaders(t, reqs[1]) {
				t.Fatal("retry reused the JWT")
			}
		})
	}
}

func TestClientErrorsAreNeverRetried(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 413} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := newFakeServer(t, status(code, `{"title":"x","errorCode":100,"detail":"invalid input value.","traceId":"t","invalidParams":[]}`))
			c := newTestClient(t, srv.URL)
			_, err := c.LogCredentials(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != code {
				t.Fatalf("err = %v", err)
			}
			if n := len(srv.seen()); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
		})
	}
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	srv := newFakeServer(t, status(503, maintenanceBody))
	c := newTestClient(t, srv.URL, func(c *Config) { c.MaxAttempts = 3 })
	_, err := c.LogCredentials(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.ErrorCode != CodeMaintenance {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.seen()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

func TestRetriesBackOffExponentially(t *testing.T) {
	srv := newFakeServer(t, status(500, `{"message":"Internal Server Error"}`))
	base := 20 * time.Millisecond
	c := newTestClient(t, srv.URL, func(c *Config) { c.BaseDelay = base })
	_, _ = c.LogCredentials(context.Background())
	reqs := srv.seen()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		gap, want := reqs[i].At.Sub(reqs[i-1].At), base<<(i-1)
		if gap < want {
			t.Fatalf("gap before attempt %d = %s, want at least %s", i+1, gap, want)
		}
	}
}

func TestBackoffIsCappedAndNeverBelowTheSchedule(t *testing.T) {
	base, max := 100*time.Millisecond, time.Second
	for n := 0; n < 40; n++ {
		want := min(base<<min(n, 30), max)
		for range 50 {
			got := backoff(base, max, n)
			if got < want || got > want+want/10 {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, got, want, want+want/10)
			}
		}
	}
}

func TestTransactionAlreadyRegisteredOnARetryIsSuccess(t *testing.T) {
	srv := newFakeServer(t, sequence(status(504, `{"message":"Endpoint request timed out"}`), status(400, registeredBody)))
	c := newTestClient(t, srv.URL)
	if err := c.RegisterShipping(context.Background(), ModeBulk, sampleRegistration(sampleItem("T-1"))); err != nil {
		t.Fatalf("err = %v, want success: the first attempt was committed", err)
	}
}

func TestTransactionAlreadyRegisteredOnTheFirstAttemptIsAnError(t *testing.T) {
	srv := newFakeServer(t, status(400, registeredBody))
	c := newTestClient(t, srv.URL)
	err := c.RegisterShipping(context.Background(), ModeBulk, sampleRegistration(sampleItem("T-1")))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != CodeTransactionRegistered {
		t.Fatalf("err = %v", err)
	}
}

func TestRetryingStopsWhenTheContextEnds(t *testing.T) {
	srv := newFakeServer(t, status(503, maintenanceBody))
	c := newTestClient(t, srv.URL, func(c *Config) { c.BaseDelay = time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.LogCredentials(ctx)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 {
		t.Fatalf("err = %v, want the 503 it had when the next wait would outlive the context", err)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("took %s", time.Since(start))
	}
}

func TestADroppedGETIsRetriedOnlyByTheClientsSchedule(t *testing.T) {
	srv := newFakeServer(t, sequence(
		status(200, `{"accessKeyId":"AK"}`),
		dropConnection,
		status(200, `{"accessKeyId":"AK"}`),
	))
	base := 50 * time.Millisecond
	c := newTestClient(t, srv.URL, func(c *Config) { c.BaseDelay = base })
	for range 2 {
		if _, err := c.LogCredentials(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.seen()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	if gap := reqs[2].At.Sub(reqs[1].At); gap < base {
		t.Fatalf("the retry after the drop came %s later, before the %s back-off", gap, base)
	}
	if verifyAuthHeaders(t, reqs[1]) == verifyAuthHeaders(t, reqs[2]) {
		t.Fatal("the retry reused the JWT")
	}
}
