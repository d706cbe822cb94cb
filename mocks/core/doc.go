// Package core is what every upstream mock shares and writes only once: the listener and
// routing by base path, isolated sessions, the controllable clock and seeded IDs, the request
// journal, fault injection, maintenance switches, OpenAPI validation of traffic, presigned
// download URLs, TLS material and the /__upmock/ control API.
//
// With Options.StateDir the sessions are durable (persist*.go): after an upstream request
// is handled and before its captured answer is written, the session's changed parts (core:
// clock, IDs, faults, switches; downloads; the API's exported State and Settings) are appended
// to the session's log and synced; a control request other than GET saves every part. Logs
// are folded into snapshots; NewServer restores every saved session. Without StateDir no
// code path touches the disk. The journal is never saved.
//
// Validation runs once per request (Spec.Check). LoadSpec compiles each operation's JSON body
// schema and simple parameters (spec_compile.go, spec_params.go); a request they pass is
// judged on its raw bytes and its body decoded only when a mock asks (JSONBody). Anything the
// compiled form is not sure of takes kin-openapi's full path, so every violation reads as
// kin-openapi words it; the differential test in spec_compiled_test.go holds the two equal.
//
// core never imports a concrete mock. A mock plugs in by implementing API (one per upstream)
// and Instance (one per session); see api.go.
package core
