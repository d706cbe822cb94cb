package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// firstErrorOnly fetches the output as the reference does and keeps the first error of its
// processing result, as a client that reports errors[0].
func firstErrorOnly(ctx context.Context, c *naccsclient.Client, ev naccsclient.Event) (*naccsclient.Output, error) {
	out, err := naccsclient.DefaultFetchOutput(ctx, c, ev)
	if err == nil && out.ProcessingResult != nil && len(out.ProcessingResult.Errors) > 1 {
		out.ProcessingResult.Errors = out.ProcessingResult.Errors[:1]
	}
	return out, err
}

// pollOnce waits for the webhook as the reference does, but when none comes it reads the
// output once and reports whatever it says, "sending" included.
func pollOnce(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (*naccsclient.Job, error) {
	saved, err := in.Save(ctx, code, dealNo, fields)
	if err != nil {
		return nil, err
	}
	acc, err := in.Send(ctx, code, saved.ID(), saved.ETag())
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, in.Config().WebhookWait)
	out, err := in.Await(wctx, code, saved.ID(), acc.NaccsSendID)
	cancel()
	if err != nil {
		if out, err = in.Output(ctx, code, saved.ID(), acc.NaccsSendID); err != nil {
			return nil, err
		}
	}
	return &naccsclient.Job{DealReportID: saved.ID(), NaccsSendID: acc.NaccsSendID, Output: out}, nil
}

// renewWithRefreshToken sends every token request after the first with grant_type
// refresh_token, as a client that "refreshes" a client-credentials token (which has no
// refresh token): the renewal is refused.
func renewWithRefreshToken(_ naccsdriver.Settings, next http.RoundTripper) http.RoundTripper {
	var (
		mu       sync.Mutex
		requests int
	)
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Token") {
			return next.RoundTrip(r)
		}
		mu.Lock()
		requests++
		first := requests == 1
		mu.Unlock()
		if first {
			return next.RoundTrip(r)
		}
		raw, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, err
		}
		form.Set("grant_type", "refresh_token")
		body := form.Encode()
		clone := r.Clone(r.Context())
		clone.Body = io.NopCloser(strings.NewReader(body))
		clone.ContentLength = int64(len(body))
		return next.RoundTrip(clone)
	})
}

// readPrefix reads at most 64 KiB of every answer, as a client with a fixed-size buffer.
func readPrefix(_ naccsdriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.ReadPrefix(next, nil)
}

// localWallClockAsUTC is the receiver's clock of a client that reads the local wall time and
// takes it for UTC (Python's datetime.now() against datetime.utcfromtimestamp(t), or a
// timestamp formatted without its zone and parsed back). Where the host runs in UTC nothing
// shows; in Asia/Tokyo every genuine webhook looks nine hours old and is refused as a replay.
func localWallClockAsUTC() time.Time { return sabotage.LocalWallClockAsUTC(time.Now(), time.Local) }
