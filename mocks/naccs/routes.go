package naccs

import "net/http"

// Operations is the route table: every operationId of specs/naccs/openapi.yaml and its
// handler. Paths and methods live in the document; the core routes by them.
func (m *Mock) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"postToken":         m.handleToken,
		"listBusinessCodes": m.handleBusinessCodes,
		"createNaccsReport": m.handleCreate,
		"getNaccsReport":    m.handleGet,
		"updateNaccsReport": m.handleUpdate,
		"deleteNaccsReport": m.handleDelete,
		"sendNaccsReport":   m.handleSend,
		"getNaccsOutput":    m.handleOutput,
		"saveWebhook":       m.handleSaveWebhook,
		"getWebhook":        m.handleGetWebhook,
		"deleteWebhook":     m.handleDeleteWebhook,
	}
}
