package atlas

import "net/http"

// Operations is the route table: every operationId of specs/atlas/openapi.yaml and its
// handler. Paths and methods live in the document; the core routes by them.
func (m *Mock) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"postShippingItem":               m.register(kindShipping, false),
		"postShippingItems":              m.register(kindShipping, true),
		"postReceivingItem":              m.register(kindReceiving, false),
		"postReceivingItems":             m.register(kindReceiving, true),
		"getItemsDownload":               m.handleItemsDownload,
		"getInactiveTrackingIdsDownload": m.handleInactiveDownload,
		"getLogCredentials":              m.handleLogCredentials,
		"getMaster":                      m.handleMaster,
	}
}
