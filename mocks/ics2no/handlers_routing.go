package ics2no

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// handleRouting is GET routing/v1/house-consignment[?marker=…].
func (m *Mock) handleRouting(w http.ResponseWriter, r *http.Request) {
	org, challenge := m.authenticate(r, ScopeRouting)
	if challenge != nil {
		writeChallenge(w, r, challenge)
		return
	}
	marker := r.URL.Query().Get("marker")
	entries, err := m.store.routing(org, marker)
	if errors.Is(err, errUnknownMarker) {
		core.Annotate(r, "routing", "unknown marker "+marker)
		writeJSON(w, http.StatusBadRequest, httpError(http.StatusBadRequest, m.env.Clock.Now(), upstreamPath(r, BasePath)))
		return
	}
	core.Annotate(r, "routing", routingNote(entries))
	writeJSON(w, http.StatusOK, entries)
}

func routingNote(entries []HouseConsignmentRouting) string {
	if len(entries) == 0 {
		return "no signals"
	}
	var b bytes.Buffer
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.TransportDocumentHouseLevel.ReferenceNumber)
		for _, eq := range e.TransportEquipment {
			b.WriteString("/" + eq.ContainerIdentificationNumber)
		}
		b.WriteString(" " + e.RoutingResult.Routing)
	}
	return b.String()
}
