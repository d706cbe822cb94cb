package ics2no

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// present handles the three presentation operations. Synchronously it checks only what it
// needs to accept the call: the token, a JSON body, and a requestId that is a UUID never used
// before. Everything else is validated when the request is processed (validation-status).
func (m *Mock) present(operation string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		org, challenge := m.authenticate(r, ScopePresentation)
		if challenge != nil {
			writeChallenge(w, r, challenge)
			return
		}
		value, err := core.JSONBody(r)
		if err != nil {
			m.refuse(w, r, "", verr(descInvalidJSON, ""))
			return
		}
		obj, ok := value.(map[string]any)
		if !ok {
			m.refuse(w, r, "", verr(descInvalidValue, ""))
			return
		}
		raw, present := obj["requestId"]
		if !present || raw == nil {
			m.refuse(w, r, "", verr(descMissingValue, pathRequestID))
			return
		}
		requestID, ok := raw.(string)
		if !ok || !uuidPattern.MatchString(requestID) {
			m.refuse(w, r, "", verr(descInvalidValue, pathRequestID))
			return
		}
		var compact bytes.Buffer
		_ = json.Compact(&compact, core.Body(r))
		if !m.store.accept(org, operation, requestID, compact.Bytes()) {
			core.Annotate(r, "requestId", "reused "+requestID)
			m.refuse(w, r, requestID, verr(descRequestIDReused, pathRequestID))
			return
		}
		core.Annotate(r, "requestId", "accepted "+requestID)
		writeJSON(w, http.StatusAccepted, Accepted{RequestID: requestID})
	}
}

// refuse answers 400 with the validation-status shape.
func (m *Mock) refuse(w http.ResponseWriter, r *http.Request, requestID string, errs ...ValidationError) {
	core.Annotate(r, "refused", errs[0].Description+" at "+errs[0].Pointer.MessageElementPath)
	writeJSON(w, http.StatusBadRequest, ValidationStatus{
		Status: StatusFailure, RequestID: requestID,
		NotificationDate: m.env.Clock.Now().UTC().Format(isoSeconds), ValidationErrorList: errs,
	})
}

// handleStatus is GET validation-status?requestId=…: the outcome, or 404 while the request
// is processed (and for a requestId the caller never used).
func (m *Mock) handleStatus(w http.ResponseWriter, r *http.Request) {
	org, challenge := m.authenticate(r, ScopePresentation)
	if challenge != nil {
		writeChallenge(w, r, challenge)
		return
	}
	path := upstreamPath(r, BasePath)
	requestID := r.URL.Query().Get("requestId")
	if requestID == "" {
		writeJSON(w, http.StatusBadRequest, httpError(http.StatusBadRequest, m.env.Clock.Now(), path))
		return
	}
	status, ok := m.store.status(org, requestID)
	if !ok {
		core.Annotate(r, "status", "not (yet) available: "+requestID)
		writeJSON(w, http.StatusNotFound, httpError(http.StatusNotFound, m.env.Clock.Now(), path))
		return
	}
	core.Annotate(r, "status", status.Status+" "+requestID)
	writeJSON(w, http.StatusOK, status)
}
