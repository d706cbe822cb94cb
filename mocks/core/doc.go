// Package core is what every upstream mock shares and writes only once: the listener and
// routing by base path, isolated sessions, the controllable clock and seeded IDs, the request
// journal, fault injection, maintenance switches, OpenAPI validation of traffic, presigned
// download URLs, TLS material and the /__upmock/ control API.
//
// core never imports a concrete mock. A mock plugs in by implementing API (one per upstream)
// and Instance (one per session); see api.go.
package core
