package naccsclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Integration is the whole of the seed's five steps for one organisation user: the Client,
// the webhook Receiver, and the outputs fetched after NaccsReceive.
type Integration struct {
	*Client
	receiver *Receiver
	// FetchOutput fetches what NaccsReceive announced (seed step ⑤); the default calls the
	// output API for the event's send.
	FetchOutput func(ctx context.Context, c *Client, ev Event) (*Output, error)

	mu      sync.Mutex
	outputs map[string]*Output        // by naccsSendId
	waiters map[string][]chan *Output // by naccsSendId
}

// NewIntegration starts the receiver of c's organisation; serve Handler() at the URL given
// to SaveWebhook.
func NewIntegration(c *Client) *Integration {
	in := &Integration{Client: c, FetchOutput: DefaultFetchOutput, outputs: map[string]*Output{}, waiters: map[string][]chan *Output{}}
	in.receiver = NewReceiver(c.cfg.SigningSecret, c.cfg.WebhookTolerance, c.cfg.Now, in.onEvent)
	return in
}

// DefaultFetchOutput calls the output API for the event's send.
func DefaultFetchOutput(ctx context.Context, c *Client, ev Event) (*Output, error) {
	d := ev.Payload.Data
	return c.Output(ctx, d.BusinessCode, d.DealReportID, d.NaccsSendID)
}

// Handler is the webhook endpoint.
func (in *Integration) Handler() http.Handler { return in.receiver }

// Receiver is the webhook receiver.
func (in *Integration) Receiver() *Receiver { return in.receiver }

// Close stops the receiver's work.
func (in *Integration) Close() { in.receiver.Close() }

// onEvent handles a verified, new delivery: for NaccsReceive, fetch the output once.
func (in *Integration) onEvent(ctx context.Context, ev Event) {
	if ev.Type != "NaccsReceive" || ev.Payload.Data.NaccsSendID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := in.FetchOutput(ctx, in.Client, ev)
	if err != nil {
		in.cfg.Logger.Warn("naccs: fetching the output after NaccsReceive failed; the job will poll", "send", ev.Payload.Data.NaccsSendID, "err", err)
		return
	}
	in.deliver(ev.Payload.Data.NaccsSendID, out)
}

// Announce hands an output to whoever awaits its send (the receiver's path, and a hook for
// drivers that obtain it otherwise).
func (in *Integration) Announce(sendID string, out *Output) { in.deliver(sendID, out) }

func (in *Integration) deliver(sendID string, out *Output) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.outputs[sendID] = out
	for _, ch := range in.waiters[sendID] {
		ch <- out
	}
	delete(in.waiters, sendID)
}

// Await waits for the output of a send: from NaccsReceive, or, when no webhook arrives within
// WebhookWait, by polling the output API with back-off.
func (in *Integration) Await(ctx context.Context, code, id, sendID string) (*Output, error) {
	ch := make(chan *Output, 1)
	in.mu.Lock()
	if out := in.outputs[sendID]; out != nil {
		in.mu.Unlock()
		return out, nil
	}
	in.waiters[sendID] = append(in.waiters[sendID], ch)
	in.mu.Unlock()
	wait := time.NewTimer(in.cfg.WebhookWait)
	defer wait.Stop()
	select {
	case out := <-ch:
		return out, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
	}
	in.cfg.Logger.Warn("naccs: no NaccsReceive webhook; polling the output", "send", sendID)
	delay := in.cfg.PollDelay
	for {
		out, err := in.Output(ctx, code, id, sendID)
		if err != nil {
			return nil, err
		}
		if out.Done() {
			return out, nil
		}
		select {
		case out := <-ch:
			return out, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, in.cfg.MaxPollDelay)
	}
}

// Job is a finished NACCS job.
type Job struct {
	DealReportID string
	NaccsSendID  string
	Output       *Output
}

// Submit runs one job: save the form, send the saved version, await NaccsReceive and the
// output.
func (in *Integration) Submit(ctx context.Context, code, dealNo string, fields map[string]string) (*Job, error) {
	saved, err := in.Save(ctx, code, dealNo, fields)
	if err != nil {
		return nil, err
	}
	acc, err := in.Send(ctx, code, saved.ID(), saved.ETag())
	if err != nil {
		return nil, err
	}
	out, err := in.Await(ctx, code, saved.ID(), acc.NaccsSendID)
	if err != nil {
		return nil, err
	}
	return &Job{DealReportID: saved.ID(), NaccsSendID: acc.NaccsSendID, Output: out}, nil
}

// ErrCallUpFailed is returned when NACCS refused the call-up an amendment needs.
var ErrCallUpFailed = errors.New("naccs: the call-up (呼出) did not return the declaration")

// SubmitFunc runs one job (Integration.Submit, or a caller's variant of it).
type SubmitFunc func(ctx context.Context, code, dealNo string, fields map[string]string) (*Job, error)

// Amend calls an earlier declaration up with callUpCode (keyed by key, e.g. declarationNo),
// fills the form the output names with the called-up content, applies changes, and
// registers it.
func (in *Integration) Amend(ctx context.Context, callUpCode, dealNo string, key, changes map[string]string) (*Job, error) {
	return AmendWith(ctx, in.Submit, callUpCode, dealNo, key, changes)
}

// AmendWith is Amend with the jobs run by submit.
func AmendWith(ctx context.Context, submit SubmitFunc, callUpCode, dealNo string, key, changes map[string]string) (*Job, error) {
	call, err := submit(ctx, callUpCode, dealNo, key)
	if err != nil {
		return nil, err
	}
	out := call.Output
	if out.Status != "completed" || len(out.Outputs) == 0 || out.Outputs[0].TargetBusinessCode == nil {
		return call, fmt.Errorf("%w: %s", ErrCallUpFailed, resultCode(out))
	}
	fields := map[string]string{}
	for k, v := range out.Outputs[0].Fields {
		fields[k] = v
	}
	for k, v := range changes {
		fields[k] = v
	}
	return submit(ctx, *out.Outputs[0].TargetBusinessCode, dealNo, fields)
}

func resultCode(out *Output) string {
	if out == nil || out.ProcessingResult == nil {
		return "no result"
	}
	return out.ProcessingResult.ResultCode
}
