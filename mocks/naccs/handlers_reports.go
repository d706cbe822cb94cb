package naccs

import (
	"encoding/json"
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// routeBusiness is the business the route's {businessCode} names; an unknown code is a
// route ASP.NET does not have (404), answered before authentication as routing comes first.
func (m *Mock) routeBusiness(w http.ResponseWriter, r *http.Request) (*Business, string, bool) {
	code := params(r)["businessCode"]
	b, ok := m.store.cat.Lookup(code)
	if !ok {
		m.fail(w, r, aspnet(http.StatusNotFound, msgNoRoute, core.PublicBase(r)+r.URL.Path))
		return nil, "", false
	}
	return b, code, true
}

// begin runs what every business operation starts with: the route's business, the caller,
// and the body's shape. decode, when not nil, receives the JSON body.
func (m *Mock) begin(w http.ResponseWriter, r *http.Request, decode any) (*Business, string, *APIClient, bool) {
	b, code, ok := m.routeBusiness(w, r)
	if !ok {
		return nil, "", nil, false
	}
	c, ok := m.caller(w, r, decode)
	return b, code, c, ok
}

// caller authenticates the request and checks its body and query against the document.
func (m *Mock) caller(w http.ResponseWriter, r *http.Request, decode any) (*APIClient, bool) {
	c, authErr := m.authenticate(r)
	if authErr != nil {
		m.fail(w, r, authErr)
		return nil, false
	}
	if ms := modelState(r); len(ms) > 0 {
		m.fail(w, r, errModelState(ms))
		return nil, false
	}
	if decode != nil {
		if err := json.Unmarshal(core.Body(r), decode); err != nil {
			m.fail(w, r, errModelState(modelStateOf("request", err.Error())))
			return nil, false
		}
	}
	return c, true
}

func (m *Mock) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req CreateReportRequest
	b, _, c, ok := m.begin(w, r, &req)
	if !ok {
		return
	}
	res, created, err := m.store.createReport(c, b, req)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	core.Annotate(r, "report", res.DealReportID)
	m.writeResource(w, status, res)
}

func (m *Mock) handleGet(w http.ResponseWriter, r *http.Request) {
	b, _, c, ok := m.begin(w, r, nil)
	if !ok {
		return
	}
	res, err := m.store.getReport(c, b, params(r)["dealReportId"])
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.writeResource(w, http.StatusOK, res)
}

func (m *Mock) handleUpdate(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	b, _, c, ok := m.begin(w, r, &body)
	if !ok {
		return
	}
	fields, ms := formFields(b, body)
	if len(ms) > 0 {
		m.fail(w, r, errModelState(ms))
		return
	}
	str := func(k string) string { s, _ := body[k].(string); return s }
	res, err := m.store.updateReport(c, b, reportUpdate{
		DealReportID: str("dealReportId"), ETag: str("_etag"), OrganizationID: str("organizationId"),
		BusinessTypeID: str("businessTypeId"), Fields: fields,
	})
	if err != nil {
		core.Annotate(r, "etag", "sent "+str("_etag"))
		m.fail(w, r, err)
		return
	}
	core.Annotate(r, "etag", str("_etag")+" → "+res.ETag)
	m.writeResource(w, http.StatusOK, res)
}

func (m *Mock) handleDelete(w http.ResponseWriter, r *http.Request) {
	b, _, c, ok := m.begin(w, r, nil)
	if !ok {
		return
	}
	q := r.URL.Query()
	queued, err := m.store.deleteReport(c, b, params(r)["dealReportId"], q.Get("organizationId"), q.Get("businessTypeId"))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	if queued {
		m.kick()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Mock) writeResource(w http.ResponseWriter, status int, res reportResource) {
	w.Header().Set("ETag", `"`+res.ETag+`"`)
	writeJSON(w, status, jsonBody(res))
}
