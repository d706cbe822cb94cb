package ics2nodriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
)

// presentParams is DRIVER.md's Presentation: the upstream's body without requestId, plus
// the endpoint.
type presentParams struct {
	Kind                           string `json:"kind"`
	CustomsOfficeOfPresentation    string `json:"customsOfficeOfPresentation"`
	MRN                            string `json:"mrn"`
	ReceptacleIdentificationNumber string `json:"receptacleIdentificationNumber"`
	TransportDocumentHouseLevel    *struct {
		DocumentNumber string `json:"documentNumber"`
		Type           string `json:"type"`
	} `json:"transportDocumentHouseLevel"`
	TransportEquipment []struct {
		ContainerIdentificationNumber string `json:"containerIdentificationNumber"`
	} `json:"transportEquipment"`
}

func (*handler) present(ctx context.Context, c *ics2noclient.Client, params json.RawMessage) (any, error) {
	var p presentParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("present params: %w", err)
	}
	g := ics2noclient.Goods{
		Kind: p.Kind, CustomsOfficeOfPresentation: p.CustomsOfficeOfPresentation,
		MRN: p.MRN, ReceptacleID: p.ReceptacleIdentificationNumber,
	}
	switch p.Kind {
	case ics2noclient.KindHouseConsignment:
		if p.TransportDocumentHouseLevel == nil {
			return nil, fmt.Errorf("present params: a house-consignment needs transportDocumentHouseLevel")
		}
		g.DocumentNumber, g.Type = p.TransportDocumentHouseLevel.DocumentNumber, p.TransportDocumentHouseLevel.Type
		for _, eq := range p.TransportEquipment {
			g.Containers = append(g.Containers, eq.ContainerIdentificationNumber)
		}
	case ics2noclient.KindReceptacle, ics2noclient.KindENS:
	default:
		return nil, fmt.Errorf("present params: kind must be %q, %q or %q, not %q",
			ics2noclient.KindHouseConsignment, ics2noclient.KindReceptacle, ics2noclient.KindENS, p.Kind)
	}
	return c.Present(ctx, g)
}

// routingResult is the answer of ics2no.processRouting: the signals this call read, as the
// upstream sent them, and the client's decision for every house consignment it knows.
type routingResult struct {
	Signals   []json.RawMessage       `json:"signals"`
	Decisions []ics2noclient.Decision `json:"decisions"`
}

func (h *handler) processRouting(ctx context.Context, c *ics2noclient.Client, _ json.RawMessage) (any, error) {
	fresh, err := c.FetchRouting(ctx)
	if err != nil {
		return nil, err
	}
	out := routingResult{Signals: []json.RawMessage{}, Decisions: c.Decisions(h.opts.decide)}
	for _, e := range fresh {
		out.Signals = append(out.Signals, e.Raw)
	}
	if out.Decisions == nil {
		out.Decisions = []ics2noclient.Decision{}
	}
	return out, nil
}
