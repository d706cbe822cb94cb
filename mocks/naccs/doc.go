// Package naccs mocks CyberPort's NACCS integration API (サイバーポート NACCS連携API,
// https://api-sandbox.cyber-port.net), documented in the seed 「NACCS連携のAPI公開について」
// (shared/seeds/000) and, for routes, bodies and webhooks, CyberPort's public API help and
// manuals (shared/digests/upstreams.md §2).
//
// A client sees the seed's five steps: it saves a NACCS form (帳票: Create, which returns the
// existing form, and Update, guarded by _etag), sends it (202 at once), the simulated NACCS
// processes it on the session clock and CyberPort pushes a signed NaccsReceive webhook to
// the organisation's endpoint, and the client fetches the output. Each of the seed's 27
// first-release business codes (fixtures/naccs/businesses.json) is a 登録, 呼出 or 照会 job
// with its own form fields; NACCS checks them item by item and answers NACCS-style
// 処理結果コード naming the offending field, or registers, returns the earlier declaration
// to fill a form with, or returns the inquired data. A NACCS user has one send in flight.
//
// Where the public record is silent (authentication, the send and output routes, the error
// shape, the NaccsReceive payload, signing and retries) the decision is in
// specs/naccs/NOTES.md.
//
// Files: server.go (API and instance), routes.go, auth.go, validate.go, errors.go (the
// catalogue), wire.go, state.go, catalogue.go (business codes), store*.go (the model),
// naccs.go (the simulated NACCS), webhook.go (the delivery goroutine), handlers_*.go.
//
// Where this differs from STYLE.md: webhook delivery is background work in a goroutine per
// instance (not per request), started lazily and stopped by Close and Reset, because a
// webhook must be pushed even when no request arrives; NACCS processing itself stays lazy
// on the clock, applied by requests and by that goroutine alike.
package naccs
