package naccsclient

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Webhook headers CyberPort sends (specs/naccs/NOTES.md).
const (
	HeaderSignature = "X-CyberPort-Signature"
	HeaderDelivery  = "X-CyberPort-Delivery"
	HeaderEvent     = "X-CyberPort-Event"
)

// Sign computes an X-CyberPort-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>" keyed with secret>.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts + "."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verify checks a signature header against body: one v1 must be the HMAC with secret, and
// the timestamp within tolerance of now (an old delivery replayed is refused).
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return errors.New("no t= and v1= in the signature header")
	}
	if age := now.Sub(time.Unix(sec, 0)); age > tolerance || age < -tolerance {
		return fmt.Errorf("signature timestamp is %s away from now", age.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("signature does not match")
}

// Event is a verified webhook delivery.
type Event struct {
	DeliveryID string
	Type       string
	Payload    Payload
}

// Payload is CyberPort's webhook body.
type Payload struct {
	MailAddress string `json:"mailAddress"`
	UserName    string `json:"userName"`
	Data        struct {
		DealReportHistoryID string   `json:"dealReportHistoryId"`
		DateTime            string   `json:"dateTime"`
		OperationType       string   `json:"operationType"`
		OperationName       string   `json:"operationName"`
		DealNo              string   `json:"dealNo"`
		DealReportID        string   `json:"dealReportId"`
		BusinessID          string   `json:"businessId"`
		BusinessCode        string   `json:"businessCode"`
		NaccsSendID         string   `json:"naccsSendId"`
		ResultCode          string   `json:"resultCode"`
		OutputCodes         []string `json:"outputCodes"`
	} `json:"data"`
}

// Received records one POST the receiver got and what it made of it.
type Received struct {
	DeliveryID  string `json:"deliveryId"`
	Event       string `json:"event"`
	NaccsSendID string `json:"naccsSendId"`
	Status      int    `json:"status"`
	Accepted    bool   `json:"accepted"`
	Duplicate   bool   `json:"duplicate"`
	Reason      string `json:"reason,omitempty"`
}

// Receiver is the webhook endpoint: it verifies, answers at once, and hands each delivery
// (once per delivery ID) to handle on its own goroutine.
type Receiver struct {
	secret    string
	tolerance time.Duration
	now       func() time.Time
	handle    func(context.Context, Event)

	mu    sync.Mutex
	seen  map[string]bool
	log   []Received
	queue chan Event
	stop  context.CancelFunc
	done  chan struct{}
}

// NewReceiver starts a receiver whose handle runs for every new verified delivery.
func NewReceiver(secret string, tolerance time.Duration, now func() time.Time, handle func(context.Context, Event)) *Receiver {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Receiver{secret: secret, tolerance: tolerance, now: now, handle: handle, seen: map[string]bool{},
		queue: make(chan Event, 256), stop: cancel, done: make(chan struct{})}
	go r.work(ctx)
	return r
}

func (r *Receiver) work(ctx context.Context) {
	defer close(r.done)
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-r.queue:
			r.handle(ctx, ev)
		}
	}
}

// Close stops handling deliveries.
func (r *Receiver) Close() {
	r.stop()
	<-r.done
}

// Received lists every POST so far.
func (r *Receiver) Received() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.log...)
}

func (r *Receiver) record(rec Received) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, rec)
}

// ServeHTTP answers a delivery: 401 unless it verifies, 400 unless it parses, 204 once it is
// queued (or was seen before), 503 when the queue is full so CyberPort retries later.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rec := Received{DeliveryID: req.Header.Get(HeaderDelivery), Event: req.Header.Get(HeaderEvent)}
	answer := func(status int, reason string) {
		rec.Status, rec.Reason, rec.Accepted = status, reason, status/100 == 2
		r.record(rec)
		w.WriteHeader(status)
	}
	if req.Method != http.MethodPost {
		answer(http.StatusMethodNotAllowed, "not a POST")
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		answer(http.StatusBadRequest, err.Error())
		return
	}
	if err := Verify(r.secret, req.Header.Get(HeaderSignature), body, r.now(), r.tolerance); err != nil {
		answer(http.StatusUnauthorized, err.Error())
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || rec.DeliveryID == "" {
		answer(http.StatusBadRequest, "not a CyberPort webhook")
		return
	}
	rec.NaccsSendID = p.Data.NaccsSendID
	r.mu.Lock()
	dup := r.seen[rec.DeliveryID]
	r.seen[rec.DeliveryID] = true
	r.mu.Unlock()
	if dup {
		rec.Duplicate = true
		answer(http.StatusNoContent, "seen before")
		return
	}
	select {
	case r.queue <- Event{DeliveryID: rec.DeliveryID, Type: p.Data.OperationType, Payload: p}:
		answer(http.StatusNoContent, "")
	default:
		r.mu.Lock()
		delete(r.seen, rec.DeliveryID)
		r.mu.Unlock()
		answer(http.StatusServiceUnavailable, "busy")
	}
}
