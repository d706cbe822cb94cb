package atlasclient

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"
)

// retryableStatus reports whether a status is transient. The upstream says so of 500 and
// 504 (cloud platform trouble, "少し時間をおいてからリトライ"), of 503 (maintenance) and of
// 429 (throttling, errorCode 803). Every other 4xx describes the request itself, and
// re-sending it unchanged cannot succeed.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, http.StatusTooManyRequests:
		return true
	}
	return false
}

// backoff is the wait before retry number n (0 for the first retry): base × 2^n, capped at
// max, plus up to 10 % jitter. The jitter only ever adds, so no wait is shorter than the
// schedule promises.
func backoff(base, max time.Duration, n int) time.Duration {
	d := max
	if n < 32 {
		if exp := base << n; exp > 0 && exp < max {
			d = exp
		}
	}
	if tenth := int64(d / 10); tenth > 0 {
		d += time.Duration(rand.Int64N(tenth + 1))
	}
	return d
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// outlivesDeadline reports whether waiting d would run past ctx's deadline, in which case
// the caller gets the error it has now rather than a cancellation later.
func outlivesDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < d
}
