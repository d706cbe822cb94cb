package ics2noclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Kinds of presentation.
const (
	KindHouseConsignment = "house-consignment"
	KindReceptacle       = "receptacle"
	KindENS              = "entry-summary-declaration"
)

const presentationPath = "/api/movement/presentation/v1/"

// Goods names what is presented: an ENS by MRN, a receptacle by its ID, or house
// consignments by their transport document (and, optionally, containers).
type Goods struct {
	Kind                        string   `json:"kind"`
	CustomsOfficeOfPresentation string   `json:"customsOfficeOfPresentation"`
	MRN                         string   `json:"mrn,omitempty"`
	ReceptacleID                string   `json:"receptacleIdentificationNumber,omitempty"`
	DocumentNumber              string   `json:"documentNumber,omitempty"`
	Type                        string   `json:"type,omitempty"`
	Containers                  []string `json:"containers,omitempty"`
}

// Key identifies the goods for the registry of what was presented.
func (g Goods) Key() string {
	switch g.Kind {
	case KindENS:
		return "ens:" + g.MRN
	case KindReceptacle:
		return "receptacle:" + g.ReceptacleID
	}
	return "hc:" + g.DocumentNumber + "/" + g.Type + "/" + strings.Join(g.Containers, ",")
}

// body is the upstream's request body for the goods with requestID.
func (g Goods) body(requestID string) (map[string]any, error) {
	b := map[string]any{"requestId": requestID, "customsOfficeOfPresentation": g.CustomsOfficeOfPresentation}
	switch g.Kind {
	case KindENS:
		b["mrn"] = g.MRN
	case KindReceptacle:
		b["receptacleIdentificationNumber"] = g.ReceptacleID
	case KindHouseConsignment:
		b["transportDocumentHouseLevel"] = map[string]string{"documentNumber": g.DocumentNumber, "type": g.Type}
		if len(g.Containers) > 0 {
			var eq []map[string]string
			for _, c := range g.Containers {
				eq = append(eq, map[string]string{"containerIdentificationNumber": c})
			}
			b["transportEquipment"] = eq
		}
	default:
		return nil, fmt.Errorf("ics2noclient: unknown kind %q", g.Kind)
	}
	return b, nil
}

// ValidationError is one entry of the upstream's validationErrorList.
type ValidationError struct {
	Description string `json:"description"`
	Pointer     struct {
		MessageElementPath string `json:"messageElementPath"`
	} `json:"pointer"`
}

// ValidationStatus is the upstream's validation-status answer.
type ValidationStatus struct {
	Status              string            `json:"status"`
	RequestID           string            `json:"requestId"`
	NotificationDate    string            `json:"notificationDate"`
	ValidationErrorList []ValidationError `json:"validationErrorList"`
}

// ValidationFailure is a presentation the upstream refused: synchronously (400) or when it
// validated it (status FAILURE).
type ValidationFailure struct {
	RequestID string
	Status    int // 400 for a synchronous refusal, 200 for a FAILURE status
	Errors    []ValidationError
}

func (e *ValidationFailure) Error() string {
	parts := make([]string, len(e.Errors))
	for i, v := range e.Errors {
		parts[i] = fmt.Sprintf("%s (%s)", v.Description, v.Pointer.MessageElementPath)
	}
	return fmt.Sprintf("ics2no: presentation %s refused: %s", e.RequestID, strings.Join(parts, "; "))
}

// Presentation is a presentation the upstream validated.
type Presentation struct {
	RequestID string `json:"requestId"`
	Status    string `json:"status"`
	// AlreadyPresented is true when the client had presented the goods before and sent
	// nothing now.
	AlreadyPresented bool `json:"alreadyPresented"`
}

const descRequestIDReused = "requestId er allerede brukt"

// Present presents goods once. Goods this client presented before are not sent again (the
// earlier outcome is returned; one still being processed is awaited). A new presentation
// carries a fresh requestId; a retry after a transient failure carries the same one, and if
// the upstream then says the requestId was used, the earlier attempt got through and its
// validation status is the answer. Present returns only once the upstream has validated
// the presentation: a FAILURE comes back as a *ValidationFailure.
func (c *Client) Present(ctx context.Context, g Goods) (*Presentation, error) {
	key := g.Key()
	if prev, ok := c.cfg.Presented.Lookup(key); ok {
		switch prev.Status {
		case StatusSuccess:
			return &Presentation{RequestID: prev.RequestID, Status: prev.Status, AlreadyPresented: true}, nil
		case "":
			return c.settle(ctx, g, prev.RequestID)
		}
		// A presentation that failed may be made again, corrected.
	}
	requestID := c.cfg.NewRequestID()
	body, err := g.body(requestID)
	if err != nil {
		return nil, err
	}
	res, attempts, err := c.call(ctx, "present "+g.Kind, http.MethodPost, presentationPath+g.Kind, nil, body)
	if err != nil {
		return nil, err
	}
	switch {
	case res.status == http.StatusAccepted:
	case res.status == http.StatusBadRequest && attempts > 1 && reusedRequestID(res.body):
		c.cfg.Logger.Info("ics2no: an earlier attempt was accepted", "requestId", requestID)
	case res.status == http.StatusBadRequest:
		var vs ValidationStatus
		_ = json.Unmarshal(res.body, &vs)
		return nil, &ValidationFailure{RequestID: requestID, Status: res.status, Errors: vs.ValidationErrorList}
	default:
		return nil, apiError("present "+g.Kind, res)
	}
	c.cfg.Presented.Record(key, Record{RequestID: requestID})
	return c.settle(ctx, g, requestID)
}

func reusedRequestID(body []byte) bool {
	var vs ValidationStatus
	if json.Unmarshal(body, &vs) != nil {
		return false
	}
	for _, e := range vs.ValidationErrorList {
		if e.Description == descRequestIDReused {
			return true
		}
	}
	return false
}

// settle waits for an accepted presentation's outcome and records it.
func (c *Client) settle(ctx context.Context, g Goods, requestID string) (*Presentation, error) {
	vs, err := c.AwaitStatus(ctx, requestID)
	if err != nil {
		return nil, err
	}
	c.cfg.Presented.Record(g.Key(), Record{RequestID: requestID, Status: vs.Status})
	if vs.Status != StatusSuccess {
		return nil, &ValidationFailure{RequestID: requestID, Status: http.StatusOK, Errors: vs.ValidationErrorList}
	}
	if g.Kind == KindHouseConsignment {
		c.notePresented(g)
	}
	return &Presentation{RequestID: requestID, Status: vs.Status}, nil
}

// Outcome statuses.
const (
	StatusSuccess = "SUCCESS"
	StatusFailure = "FAILURE"
)

// AwaitStatus polls validation-status for requestId until the upstream has processed it
// (it answers 404 until then), at PollInterval, for at most PollTimeout.
func (c *Client) AwaitStatus(ctx context.Context, requestID string) (ValidationStatus, error) {
	deadline := c.cfg.Now().Add(c.cfg.PollTimeout)
	for {
		res, _, err := c.call(ctx, "validation-status", http.MethodGet, presentationPath+"validation-status", url.Values{"requestId": {requestID}}, nil)
		if err != nil {
			return ValidationStatus{}, err
		}
		switch res.status {
		case http.StatusOK:
			var vs ValidationStatus
			if err := json.Unmarshal(res.body, &vs); err != nil {
				return vs, fmt.Errorf("ics2no validation-status: %w", err)
			}
			return vs, nil
		case http.StatusNotFound:
			if c.cfg.Now().After(deadline) {
				return ValidationStatus{}, fmt.Errorf("ics2no: presentation %s not processed after %s", requestID, c.cfg.PollTimeout)
			}
			if err := sleep(ctx, c.cfg.PollInterval); err != nil {
				return ValidationStatus{}, err
			}
		default:
			return ValidationStatus{}, apiError("validation-status", res)
		}
	}
}

// Record is what the registry keeps of a presentation: its requestId and, once known, its
// status ("" while it is processed).
type Record struct {
	RequestID string
	Status    string
}

// Registry remembers what was presented, so the same goods are never presented twice. A
// production client keeps it in its database.
type Registry interface {
	Lookup(key string) (Record, bool)
	Record(key string, r Record)
}

// MemoryRegistry is a Registry in memory.
type MemoryRegistry struct {
	mu      sync.Mutex
	records map[string]Record
}

// NewMemoryRegistry returns an empty registry.
func NewMemoryRegistry() *MemoryRegistry {
	return &MemoryRegistry{records: map[string]Record{}}
}

// Lookup returns the record of key.
func (m *MemoryRegistry) Lookup(key string) (Record, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[key]
	return r, ok
}

// Record stores the record of key.
func (m *MemoryRegistry) Record(key string, r Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[key] = r
}
