package ics2noclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

const routingPath = "/api/movement/routing/v1/house-consignment"

// RoutingEntry is one signal of the routing answer; Raw is the entry as the upstream sent it.
type RoutingEntry struct {
	EntrySummaryDeclarationMRN  string `json:"entrySummaryDeclarationMRN"`
	TransportDocumentHouseLevel struct {
		ReferenceNumber string `json:"referenceNumber"`
		Type            string `json:"type"`
	} `json:"transportDocumentHouseLevel"`
	TransportEquipment []struct {
		ContainerIdentificationNumber string `json:"containerIdentificationNumber"`
	} `json:"transportEquipment"`
	RoutingResult struct {
		ID                string `json:"id"`
		Routing           string `json:"routing"`
		DocumentIssueDate string `json:"documentIssueDate"`
	} `json:"routingResult"`
	Raw json.RawMessage `json:"-"`
}

// Routing signals.
const (
	ToControl = "TO_CONTROL"
	ToEntry   = "TO_ENTRY"
)

// FetchRouting reads the signals issued since the last one read: it sends the marker (the
// last routingResult.id seen) and follows with each answer's last id until an answer brings
// nothing new. It never re-reads from the start once it has a marker.
func (c *Client) FetchRouting(ctx context.Context) ([]RoutingEntry, error) {
	c.routingMu.Lock()
	defer c.routingMu.Unlock()
	var fresh []RoutingEntry
	for {
		var query url.Values
		if c.marker != "" {
			query = url.Values{"marker": {c.marker}}
		}
		res, _, err := c.call(ctx, "routing", http.MethodGet, routingPath, query, nil)
		if err != nil {
			return fresh, err
		}
		if res.status != http.StatusOK {
			return fresh, apiError("routing", res)
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(res.body, &raws); err != nil {
			return fresh, fmt.Errorf("ics2no routing: %w", err)
		}
		added := 0
		for _, raw := range raws {
			var e RoutingEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				return fresh, fmt.Errorf("ics2no routing: %w", err)
			}
			e.Raw = raw
			if e.RoutingResult.ID == "" || c.seen[e.RoutingResult.ID] {
				continue
			}
			c.seen[e.RoutingResult.ID] = true
			c.signals = append(c.signals, e)
			fresh = append(fresh, e)
			c.marker = e.RoutingResult.ID
			added++
		}
		if added == 0 {
			return fresh, nil
		}
	}
}

// notePresented remembers a presented house consignment, for the decisions.
func (c *Client) notePresented(g Goods) {
	c.routingMu.Lock()
	defer c.routingMu.Unlock()
	if !c.goodsKeys[g.Key()] {
		c.goodsKeys[g.Key()] = true
		c.goods = append(c.goods, g)
	}
}

// Actions on goods.
const (
	ActionRelease = "release" // hand the goods over: TO_ENTRY was received
	ActionControl = "control" // take them to the agreed control place: TO_CONTROL
	ActionHold    = "hold"    // neither: keep them until a signal comes
)

// Decision is what the client does with one house consignment.
type Decision struct {
	EntrySummaryDeclarationMRN    string `json:"entrySummaryDeclarationMRN,omitempty"`
	DocumentNumber                string `json:"documentNumber"`
	Type                          string `json:"type"`
	ContainerIdentificationNumber string `json:"containerIdentificationNumber,omitempty"`
	Routing                       string `json:"routing,omitempty"`
	RoutingID                     string `json:"routingId,omitempty"`
	Action                        string `json:"action"`
}

// Decider turns the signals read and the house consignments presented into decisions.
type Decider func(signals []RoutingEntry, presented []Goods) []Decision

// Decisions applies decide (Decide when nil) to what the client knows now.
func (c *Client) Decisions(decide Decider) []Decision {
	c.routingMu.Lock()
	signals := append([]RoutingEntry(nil), c.signals...)
	goods := append([]Goods(nil), c.goods...)
	c.routingMu.Unlock()
	if decide == nil {
		decide = Decide
	}
	return decide(signals, goods)
}

// Decide is the upstream's rule: goods signalled TO_CONTROL go to control at once; goods are
// released only on TO_ENTRY; presented goods without a signal are held. The latest signal
// for a consignment counts.
func Decide(signals []RoutingEntry, presented []Goods) []Decision {
	var out []Decision
	index := map[string]int{}
	signalled := map[string]bool{}
	for _, s := range signals {
		container := ""
		if len(s.TransportEquipment) > 0 {
			container = s.TransportEquipment[0].ContainerIdentificationNumber
		}
		d := Decision{
			EntrySummaryDeclarationMRN: s.EntrySummaryDeclarationMRN,
			DocumentNumber:             s.TransportDocumentHouseLevel.ReferenceNumber, Type: s.TransportDocumentHouseLevel.Type,
			ContainerIdentificationNumber: container, Routing: s.RoutingResult.Routing, RoutingID: s.RoutingResult.ID,
			Action: ActionHold,
		}
		switch s.RoutingResult.Routing {
		case ToEntry:
			d.Action = ActionRelease
		case ToControl:
			d.Action = ActionControl
		}
		key := d.DocumentNumber + "/" + d.Type + "/" + container
		signalled[d.DocumentNumber+"/"+d.Type] = true
		if i, ok := index[key]; ok {
			out[i] = d
			continue
		}
		index[key] = len(out)
		out = append(out, d)
	}
	for _, g := range presented {
		if len(g.Containers) == 0 {
			if !signalled[g.DocumentNumber+"/"+g.Type] {
				out = append(out, Decision{DocumentNumber: g.DocumentNumber, Type: g.Type, Action: ActionHold})
			}
			continue
		}
		for _, container := range g.Containers {
			if _, ok := index[g.DocumentNumber+"/"+g.Type+"/"+container]; !ok {
				out = append(out, Decision{DocumentNumber: g.DocumentNumber, Type: g.Type, ContainerIdentificationNumber: container, Action: ActionHold})
			}
		}
	}
	return out
}
