// Package atlas mocks ATLAS-Things API v1 (https://api.atlas-things.io/v1), the logistics
// tracking API documented in the seed "ATLAS-Things API v1 リファレンス" (v22.05).
//
// A client sees: API key plus an HS256 JWT whose requestDate is valid one minute on the
// mock's clock; input checks that answer ProblemDetails with the document's errorCodes and
// invalidParams reasons; registrations accepted with 204 and applied later (silently dropping
// a repeated movementSlipNo+trackingId); download URLs that are presigned, served by this
// process without auth headers and expire after an hour; cursors that return only what
// changed; API Gateway's message-only 403/500/504 bodies.
//
// Where the document is silent or contradicts itself the decision is in specs/atlas/NOTES.md.
// Files: server.go (API and instance), routes.go (operation table), auth.go, validate.go,
// errors.go (the catalogue), wire.go, store*.go (the model), handlers_*.go.
package atlas
