package naccs

import (
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// An administrator sets the organisation's webhook destination, a name and a URL (CyberPort
// does this in its admin menu; the mock adds these operations so a client can register the
// receiver it starts, and fixtures can preset one).

func (m *Mock) handleSaveWebhook(w http.ResponseWriter, r *http.Request) {
	var req WebhookRequest
	c, ok := m.caller(w, r, &req)
	if !ok {
		return
	}
	if msg := checkWebhookURL(req.URL, m.store.currentSettings().AllowNonLoopbackWebhooks); msg != "" {
		m.fail(w, r, errModelState(modelStateOf("request.url", msg)))
		return
	}
	res, err := m.store.saveWebhook(c, req)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	core.Annotate(r, "webhook", res.URL)
	writeJSON(w, http.StatusOK, jsonBody(res))
}

func (m *Mock) handleGetWebhook(w http.ResponseWriter, r *http.Request) {
	c, ok := m.caller(w, r, nil)
	if !ok {
		return
	}
	res, err := m.store.getWebhook(c, params(r)["organizationId"])
	if err != nil {
		m.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, jsonBody(res))
}

func (m *Mock) handleDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	c, ok := m.caller(w, r, nil)
	if !ok {
		return
	}
	if err := m.store.deleteWebhook(c, params(r)["organizationId"]); err != nil {
		m.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleBusinessCodes lists the catalogue: each business code, its kind and form fields.
func (m *Mock) handleBusinessCodes(w http.ResponseWriter, r *http.Request) {
	c, ok := m.caller(w, r, nil)
	if !ok {
		return
	}
	if !c.can(permRead) {
		m.fail(w, r, errNoPermission(permRead))
		return
	}
	out := struct {
		Businesses []BusinessInfo `json:"businesses"`
	}{}
	for _, b := range m.store.cat.List() {
		info := BusinessInfo{No: b.No, ID: b.ID, Code: b.Code, Aliases: append([]string{}, b.Aliases...), Name: b.Name,
			Kind: b.Kind, OutputName: b.Output.Name, Fields: []BusinessItem{}}
		if b.Effect.Fills != "" {
			fills := b.Effect.Fills
			info.Fills = &fills
		}
		for _, f := range b.Fields() {
			item := BusinessItem{Name: f.Name, Item: f.Item, Abbr: f.Abbr, Type: f.Type, Required: b.IsRequired(f.Name),
				MaxLength: f.maxChars(), Values: append([]string{}, f.Values...)}
			if f.Length > 0 {
				n := f.Length
				item.Length = &n
			}
			info.Fields = append(info.Fields, item)
		}
		out.Businesses = append(out.Businesses, info)
	}
	writeJSON(w, http.StatusOK, jsonBody(out))
}

func (s *store) saveWebhook(c *APIClient, req WebhookRequest) (WebhookResource, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.OrganizationID != c.OrganizationID {
		return WebhookResource{}, errOtherOrganization(req.OrganizationID)
	}
	if !c.can(permAdmin) {
		return WebhookResource{}, errNotAdmin
	}
	org := s.orgs[c.OrganizationID]
	org.Webhook = &Webhook{Name: req.Name, URL: req.URL, UpdatedAt: s.now()}
	return webhookResource(org), nil
}

func (s *store) getWebhook(c *APIClient, orgID string) (WebhookResource, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if orgID != c.OrganizationID {
		return WebhookResource{}, errOtherOrganization(orgID)
	}
	if !c.can(permRead) {
		return WebhookResource{}, errNoPermission(permRead)
	}
	org := s.orgs[orgID]
	if org.Webhook == nil {
		return WebhookResource{}, errWebhookNotFound
	}
	return webhookResource(org), nil
}

func (s *store) deleteWebhook(c *APIClient, orgID string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if orgID != c.OrganizationID {
		return errOtherOrganization(orgID)
	}
	if !c.can(permAdmin) {
		return errNotAdmin
	}
	org := s.orgs[orgID]
	if org.Webhook == nil {
		return errWebhookNotFound
	}
	org.Webhook = nil
	return nil
}

func webhookResource(org *Organization) WebhookResource {
	return WebhookResource{OrganizationID: org.OrganizationID, Name: org.Webhook.Name, URL: org.Webhook.URL, UpdatedAt: fmtTime(org.Webhook.UpdatedAt)}
}
