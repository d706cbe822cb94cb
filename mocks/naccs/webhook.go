package naccs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// Webhook delivery (seed step ④). A webhook must be pushed, so each instance runs one
// delivery goroutine, started when there is work and gone when there is none. It waits on a
// real-time timer next to the session clock's Changed channel: moving the clock wakes it at
// once, and so does new work. It processes NACCS sends that have become due (so the
// NaccsReceive webhook goes out without anyone calling the API), then posts every due
// delivery, one at a time, each attempt journaled as operation "webhook".
//
// Signing (NOTES.md): X-CyberPort-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>" keyed with the organisation's signing secret>; X-CyberPort-Delivery is the
// delivery's ID, the same on every retry and duplicate, for the receiver's idempotency.

// Webhook request headers.
const (
	HeaderSignature = "X-CyberPort-Signature"
	HeaderDelivery  = "X-CyberPort-Delivery"
	HeaderEvent     = "X-CyberPort-Event"
	HeaderAttempt   = "X-CyberPort-Attempt"
)

// Sign computes the X-CyberPort-Signature value of body at t with secret.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// worker is the instance's delivery goroutine and its controls.
type worker struct {
	mu      sync.Mutex
	running bool
	stop    chan struct{} // closed to stop the goroutine
	wake    chan struct{} // new work
	done    chan struct{} // closed when the goroutine has returned
	closed  bool
	client  *http.Client
}

func newWorker() *worker {
	return &worker{stop: make(chan struct{}), wake: make(chan struct{}, 1), client: &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// kick starts the goroutine, or wakes it when it runs.
func (m *Mock) kick() {
	w := m.worker
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed:
	case w.running:
		select {
		case w.wake <- struct{}{}:
		default:
		}
	default:
		w.running, w.done = true, make(chan struct{})
		go m.run(w.stop, w.done)
	}
}

// halt stops the goroutine and waits for it; reopen lets kick start a new one (Reset).
func (m *Mock) halt(reopen bool) {
	w := m.worker
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	close(w.stop)
	running, done := w.running, w.done
	w.closed = true
	w.mu.Unlock()
	if running {
		<-done
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = false
	if reopen {
		w.closed, w.stop = false, make(chan struct{})
	}
}

// Close stops the delivery goroutine (core.Closer: session eviction, server shutdown).
func (m *Mock) Close() {
	m.halt(false)
	m.worker.client.CloseIdleConnections()
}

func (m *Mock) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		changed := m.env.Clock.Changed() // before reading the state, so no move is missed
		due, next := m.store.takeDue()
		for _, job := range due {
			a := m.deliver(ctx, job)
			if ctx.Err() != nil {
				return // stopped mid-attempt: the session is closing or resetting
			}
			m.store.recordAttempt(job, a)
		}
		if len(due) > 0 {
			continue
		}
		if next.IsZero() && m.idle() {
			return
		}
		var timer *time.Timer
		var fire <-chan time.Time
		if !next.IsZero() {
			timer = time.NewTimer(max(time.Millisecond, next.Sub(m.env.Clock.Now())))
			fire = timer.C
		}
		select {
		case <-stop:
		case <-changed:
		case <-fire:
		case <-m.worker.wake:
		}
		if timer != nil {
			timer.Stop()
		}
		select {
		case <-stop:
			return
		default:
		}
	}
}

// idle ends the goroutine when nothing waits; kick, which takes the same lock after
// queueing work, then starts a new one, so no work is stranded.
func (m *Mock) idle() bool {
	w := m.worker
	w.mu.Lock()
	defer w.mu.Unlock()
	if !m.store.nextDue().IsZero() {
		return false
	}
	select {
	case <-w.wake:
		return false
	default:
	}
	w.running = false
	return true
}

// job is one attempt to make: a delivery and where it goes, read under the store's lock.
type job struct {
	delivery *Delivery
	url      string
	secret   string
	attempt  int
	payload  []byte
	timeout  time.Duration
	allowAny bool
}

// takeDue applies due NACCS processing and returns the deliveries due now, and the next
// time anything is due.
func (s *store) takeDue() ([]job, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	now := s.now()
	var due []job
	for _, d := range s.state.Deliveries {
		if d.State != deliveryPending || d.Due.After(now) {
			continue
		}
		org := s.orgs[d.OrganizationID]
		if org == nil || org.Webhook == nil {
			d.State = deliveryFailed // nowhere to post; the output stays fetchable
			continue
		}
		due = append(due, job{delivery: d, url: org.Webhook.URL, secret: org.SigningSecret, attempt: len(d.Attempts) + 1,
			payload: d.Payload, timeout: s.settings.WebhookTimeout.D(), allowAny: s.settings.AllowNonLoopbackWebhooks})
	}
	return due, s.nextDueLocked()
}

func (s *store) nextDue() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextDueLocked()
}

// recordAttempt stores an attempt and schedules what follows: a retry after back-off, a
// duplicate, or nothing. Back-off counts from the attempt's start, not from when its answer
// was read, so a clock moved meanwhile does not stretch it.
func (s *store) recordAttempt(j job, a Attempt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := j.delivery
	d.Attempts = append(d.Attempts, a)
	ok := a.Status >= 200 && a.Status < 300
	failures := 0
	for _, past := range d.Attempts {
		if past.Status < 200 || past.Status >= 300 {
			failures++
		}
	}
	switch {
	case ok && d.Duplicates > 0:
		d.Duplicates--
		d.Due = a.At
	case ok:
		d.State = deliveryDelivered
	case failures > len(s.settings.WebhookRetryDelays):
		d.State = deliveryFailed
	default:
		d.Due = a.At.Add(s.settings.WebhookRetryDelays[failures-1].D())
	}
}

// deliver posts one attempt and journals it next to the session's requests.
func (m *Mock) deliver(ctx context.Context, j job) Attempt {
	start := m.env.Clock.Now()
	began := time.Now()
	a := Attempt{At: start, URL: j.url}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.url, bytes.NewReader(j.payload))
	var respBody []byte
	switch {
	case err != nil:
		a.Error = err.Error()
	case checkWebhookURL(j.url, j.allowAny) != "":
		a.Error = "refused: " + checkWebhookURL(j.url, j.allowAny)
	default:
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("User-Agent", "CyberPort-Webhook/1.0 (upmock)")
		req.Header.Set(HeaderEvent, j.delivery.Event)
		req.Header.Set(HeaderDelivery, j.delivery.DeliveryID)
		req.Header.Set(HeaderAttempt, strconv.Itoa(j.attempt))
		req.Header.Set(HeaderSignature, Sign(j.secret, start, j.payload))
		cctx, cancel := context.WithTimeout(ctx, j.timeout)
		resp, herr := m.worker.client.Do(req.WithContext(cctx))
		if herr != nil {
			a.Error = herr.Error()
		} else {
			respBody, _ = io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			a.Status = resp.StatusCode
		}
		cancel()
	}
	a.DurationMs = float64(time.Since(began).Microseconds()) / 1000
	m.journalAttempt(req, j, a, respBody)
	return a
}

func (m *Mock) journalAttempt(req *http.Request, j job, a Attempt, respBody []byte) {
	if m.env.Journal == nil {
		return
	}
	e := core.Entry{
		Time: a.At, API: Name, Operation: "webhook", Method: http.MethodPost, Path: j.url, Status: a.Status,
		ResponseBody: string(respBody), DurationMs: a.DurationMs,
		Annotations: map[string]string{"webhook": j.delivery.Event, "deliveryId": j.delivery.DeliveryID, "attempt": strconv.Itoa(j.attempt)},
	}
	if req != nil {
		e.Headers = core.RedactHeaders(req.Header)
	}
	e.Body, e.BodyTruncated = core.Truncate(j.payload)
	if a.Error != "" {
		e.Annotations["error"] = a.Error
	}
	m.env.Journal.Add(e)
	m.env.Logger.Info("webhook", "event", j.delivery.Event, "url", j.url, "attempt", j.attempt, "status", a.Status, "err", a.Error)
}

func (a Attempt) String() string { return fmt.Sprintf("%s %d %s", a.URL, a.Status, a.Error) }
