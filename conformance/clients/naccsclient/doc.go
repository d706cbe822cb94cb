// Package naccsclient is the project's reference Go client of CyberPort's NACCS integration
// API (サイバーポート NACCS連携API; upstream: shared/seeds/000, specs/naccs/). It keeps every
// rule a CyberPort client must keep, because the conformance suite judges other clients
// against the behaviour this one shows:
//
//   - Save before send: a job first saves the form — Create (which returns the existing
//     form of the business in the deal) then Update with the form's current _etag — and
//     sends exactly the version it saved (Send carries that _etag).
//   - Respect _etag: an Update starts from the latest version (Create/Get), changes only the
//     fields the caller set, and on 412 reads the form again and re-applies them, so a
//     concurrent edit is never overwritten.
//   - Wait for the webhook, do not poll: after Send the client waits for NaccsReceive; only
//     when none arrives within WebhookWait does it fall back to polling the output, with
//     back-off.
//   - Verify webhooks: a delivery whose X-CyberPort-Signature does not verify with the
//     organisation's signing secret, or whose timestamp is older than the tolerance, is
//     refused with 401 and ignored.
//   - Answer quickly and idempotently: the receiver answers 204 as soon as the delivery is
//     verified and handles it afterwards; a delivery ID seen before is answered 204 and not
//     handled again.
//   - Fetch the output after NaccsReceive: the result of a job is what the output API
//     returns for its send (seed step ⑤), fetched once the webhook said it is there.
//   - Use 呼出 output to fill the amended form: an amendment calls the declaration up first
//     and fills the form from the output, changing only what the caller changes.
//
// Errors from the upstream are *APIError values.
package naccsclient
