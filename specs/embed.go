// Package specs embeds the OpenAPI document of every upstream (specs/<api>/openapi.yaml),
// which the mocks load once at start-up and validate traffic against.
package specs

import "embed"

// FS holds <api>/openapi.yaml for every upstream.
//
//go:embed */openapi.yaml
var FS embed.FS

// Read returns api's OpenAPI document.
func Read(api string) []byte {
	b, err := FS.ReadFile(api + "/openapi.yaml")
	if err != nil {
		panic("specs: no document for " + api + ": " + err.Error())
	}
	return b
}
