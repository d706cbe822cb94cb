package atlas

import (
	"encoding/json"
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// register handles the four registration operations. The checks run in the order the
// document implies: auth, size (205), JSON (206), items (100), one item (203), path
// consistency (204), key/base (207), then the model's 200/201/202; success is 204 with the
// data applied later.
func (m *Mock) register(kind string, bulk bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, authErr := m.authenticate(r)
		if authErr != nil {
			m.fail(w, r, authErr)
			return
		}
		body := core.Body(r)
		if len(body) > m.store.currentSettings().MaxRequestBytes {
			m.fail(w, r, &errRequestTooLarge)
			return
		}
		if err := core.JSONBodyError(r); err != nil {
			m.fail(w, r, errInvalidJSON(err.Error()))
			return
		}
		if params := invalidParams(inDocumentOrder(core.Operation(r), bodyViolations(r))); len(params) > 0 {
			m.fail(w, r, errInvalidInput.withParams(params...))
			return
		}
		var req RegistrationRequest
		if err := json.Unmarshal(body, &req); err != nil {
			m.fail(w, r, errInvalidJSON(err.Error()))
			return
		}
		if params := checkItemRules(req); len(params) > 0 {
			m.fail(w, r, errInvalidInput.withParams(params...))
			return
		}
		if !bulk && len(req.Items) > 1 {
			m.fail(w, r, &errMultipleItems)
			return
		}
		if params := pathConsistency(req); bulk && len(params) > 0 {
			m.fail(w, r, errPathInconsistency.withParams(params...))
			return
		}
		if req.BaseID != key.BaseID {
			m.fail(w, r, &errKeyBaseMismatch)
			return
		}
		if err := m.store.accept(kind, key, req); err != nil {
			m.fail(w, r, err)
			return
		}
		core.Annotate(r, "accepted", req.TransactionID)
		w.WriteHeader(http.StatusNoContent)
	}
}

// bodyViolations are the core's findings on the request body (it decoded and validated the
// body once against specs/atlas/openapi.yaml).
func bodyViolations(r *http.Request) []core.Violation {
	var out []core.Violation
	for _, v := range core.Violations(r) {
		if v.In == "body" {
			out = append(out, v)
		}
	}
	return out
}
