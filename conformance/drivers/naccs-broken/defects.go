package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
)

// defect is one deliberately broken rule.
type defect struct {
	breaks  string
	options []naccsdriver.Option
}

// defects are the names the self-test selects with -defect.
var defects = map[string]defect{
	"send-unsaved": {"save before send: sends the form as created, and saves and sends again only when NACCS refuses it",
		[]naccsdriver.Option{naccsdriver.WithSubmitter(sendUnsaved)}},
	"poll-hard": {"wait for the webhook: polls the form every 20 ms while waiting",
		[]naccsdriver.Option{naccsdriver.WithSubmitter(pollHard)}},
	"accept-forged": {"verify webhook signatures: accepts any delivery (re-signs it before the receiver checks)",
		[]naccsdriver.Option{naccsdriver.WithMiddleware(acceptForged)}},
	"no-output-fetch": {"fetch the output after NaccsReceive: takes a registration's result from the webhook alone",
		[]naccsdriver.Option{naccsdriver.WithFetcher(noOutputFetch)}},
	"slow-ack": {"answer the webhook quickly: answers an accepted delivery 1.2 s after it arrived",
		[]naccsdriver.Option{naccsdriver.WithMiddleware(slowAck)}},
	"double-process": {"handle a delivery once: handles every POST, duplicates too",
		[]naccsdriver.Option{naccsdriver.WithMiddleware(doubleProcess)}},
	"ignore-callup": {"fill the amended form from the 呼出 output: sends only the changes",
		[]naccsdriver.Option{naccsdriver.WithAmender(ignoreCallUp)}},
	"first-error-only": {"every error of the processing result: reports only the first",
		[]naccsdriver.Option{naccsdriver.WithFetcher(firstErrorOnly)}},
	"poll-once": {"poll until NACCS answered: without a webhook, reads the output once and reports it, sending or not",
		[]naccsdriver.Option{naccsdriver.WithSubmitter(pollOnce)}},
	"renew-with-refresh-token": {"renew a refused token at /Token: asks grant_type=refresh_token for every token after the first",
		[]naccsdriver.Option{naccsdriver.WithTransport(renewWithRefreshToken)}},
	"read-prefix": {"read the output whole: reads the first 64 KiB of every answer",
		[]naccsdriver.Option{naccsdriver.WithTransport(readPrefix)}},
	"local-clock-as-utc": {"judge webhook freshness by the real time: reads the local wall clock as UTC (shows only outside UTC)",
		[]naccsdriver.Option{naccsdriver.WithClientConfig(func(c *naccsclient.Config) { c.Now = localWallClockAsUTC })}},
	"stale-etag": {"respect _etag: saves over its own last copy, taking a newer _etag without the newer content",
		[]naccsdriver.Option{naccsdriver.WithSaver((&staleCache{docs: map[string]naccsclient.Report{}}).save)}},
}

// sendUnsaved sends the form as Create returns it; only if NACCS refuses it does it save
// the fields and send again — every first send is of an unsaved form.
func sendUnsaved(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (*naccsclient.Job, error) {
	r, _, err := in.Create(ctx, code, dealNo)
	if err != nil {
		return nil, err
	}
	acc, err := in.Send(ctx, code, r.ID(), r.ETag())
	if err != nil {
		return nil, err
	}
	out, err := in.Await(ctx, code, r.ID(), acc.NaccsSendID)
	if err != nil || out.Status == "completed" {
		return &naccsclient.Job{DealReportID: r.ID(), NaccsSendID: acc.NaccsSendID, Output: out}, err
	}
	return in.Submit(ctx, code, dealNo, fields)
}

// pollHard runs the job as the reference does, but reads the form every 20 ms while it
// waits for the webhook.
func pollHard(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (*naccsclient.Job, error) {
	saved, err := in.Save(ctx, code, dealNo, fields)
	if err != nil {
		return nil, err
	}
	acc, err := in.Send(ctx, code, saved.ID(), saved.ETag())
	if err != nil {
		return nil, err
	}
	pctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for pctx.Err() == nil {
			_, _ = in.Get(pctx, code, saved.ID())
			select {
			case <-pctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	out, err := in.Await(ctx, code, saved.ID(), acc.NaccsSendID)
	stop()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return &naccsclient.Job{DealReportID: saved.ID(), NaccsSendID: acc.NaccsSendID, Output: out}, nil
}

// acceptForged re-signs every delivery with the secret before the receiver verifies it, so
// a forged or replayed delivery passes.
func acceptForged(s naccsdriver.Settings, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.Header.Get(naccsclient.HeaderDelivery) == "" {
			r.Header.Set(naccsclient.HeaderDelivery, randomID())
		}
		r.Header.Set(naccsclient.HeaderSignature, naccsclient.Sign(s.SigningSecret, time.Now(), body))
		next.ServeHTTP(w, r)
	})
}

// registrations are the 登録 business codes of the seed's table.
var registrations = map[string]bool{
	"ACL01": true, "ECR": true, "BIC": true, "EDA": true, "EDC": true, "EAA": true, "EAC": true, "VAN": true, "VAE": true,
	"VAC": true, "IDA": true, "IDC": true, "IDA01": true, "IDE": true,
}

// noOutputFetch builds a registration's result from the webhook's resultCode instead of
// fetching the output (call-ups and inquiries still fetch: they need the data).
func noOutputFetch(ctx context.Context, c *naccsclient.Client, ev naccsclient.Event) (*naccsclient.Output, error) {
	d := ev.Payload.Data
	if !registrations[d.BusinessCode] {
		return naccsclient.DefaultFetchOutput(ctx, c, ev)
	}
	status := "completed"
	if d.ResultCode != "00000-0000-0000" {
		status = "error"
	}
	return &naccsclient.Output{NaccsSendID: d.NaccsSendID, DealReportID: d.DealReportID, BusinessCode: d.BusinessCode, Status: status,
		ProcessingResult: &naccsclient.ProcessingResult{ResultCode: d.ResultCode}}, nil
}

// slowAck lets the receiver do its work, then holds the answer to an accepted delivery
// 1.2 s, as a receiver that processes before answering does.
func slowAck(_ naccsdriver.Settings, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Code/100 == 2 {
			time.Sleep(1200 * time.Millisecond)
		}
		w.WriteHeader(rec.Code)
	})
}

// doubleProcess hides the delivery ID from the receiver, so a duplicate is handled again.
func doubleProcess(_ naccsdriver.Settings, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(naccsclient.HeaderDelivery, randomID())
		next.ServeHTTP(w, r)
	})
}

// ignoreCallUp runs the call-up, then registers the form with only the key and the changes.
func ignoreCallUp(ctx context.Context, submit naccsclient.SubmitFunc, callUpCode, dealNo string, key, changes map[string]string) (*naccsclient.Job, error) {
	call, err := submit(ctx, callUpCode, dealNo, key)
	if err != nil {
		return nil, err
	}
	if call.Output == nil || len(call.Output.Outputs) == 0 || call.Output.Outputs[0].TargetBusinessCode == nil {
		return call, naccsclient.ErrCallUpFailed
	}
	fields := map[string]string{}
	for k, v := range key {
		fields[k] = v
	}
	for k, v := range changes {
		fields[k] = v
	}
	return submit(ctx, *call.Output.Outputs[0].TargetBusinessCode, dealNo, fields)
}

// staleCache saves over its own last copy of a form; on 412 it takes only the new _etag
// and saves its copy again, overwriting what another user changed.
type staleCache struct {
	mu   sync.Mutex
	docs map[string]naccsclient.Report
}

func (s *staleCache) save(ctx context.Context, in *naccsclient.Integration, code, dealNo string, fields map[string]string) (naccsclient.Report, error) {
	s.mu.Lock()
	doc, cached := s.docs[code+"/"+dealNo]
	s.mu.Unlock()
	if !cached {
		saved, err := in.Save(ctx, code, dealNo, fields)
		if err == nil {
			s.remember(code, dealNo, saved)
		}
		return saved, err
	}
	doc = doc.Clone()
	for k, v := range fields {
		doc[k] = v
	}
	saved, err := in.Update(ctx, code, doc)
	if naccsclient.IsStatus(err, http.StatusPreconditionFailed) {
		fresh, gerr := in.Get(ctx, code, doc.ID())
		if gerr != nil {
			return nil, gerr
		}
		doc["_etag"] = fresh.ETag()
		saved, err = in.Update(ctx, code, doc)
	}
	if err == nil {
		s.remember(code, dealNo, saved)
	}
	return saved, err
}

func (s *staleCache) remember(code, dealNo string, r naccsclient.Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[code+"/"+dealNo] = r
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
