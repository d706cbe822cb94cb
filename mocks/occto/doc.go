// Package occto mocks the outage-plan (作業停止計画) WebAPI of OCCTO's 広域機関システム
// (https://occtonet.occto.or.jp), from the seed "WebAPI 連携仕様" (WebAPI一覧: BA13B006,
// BA13B007, BA13B101, BA13B102, BA13B103) and what a real OCCTO client shows of the wire.
//
// A client sees: form POSTs to /service/RP12/OCCTO/api/… carrying userid and password on
// every call; success as the response header `resultcode: 0000` (lower case) with a body of
// Base64 text of a ZIP holding one XML file; failures as another resultcode with OCCTO's
// error XML, still HTTP 200; a register API that only acknowledges receipt, the message's
// checks (against specs/occto/outage-plan.xsd and the rules a schema cannot state) showing
// as 受付完了 or 提出エラー in BA13B006 with the reasons, element by element, in BA13B007;
// plans listed with the keys (plandivision, occtoreceptionno) that fetch them; 1,000 calls
// per company per JST day on the mock clock, then 2001 「API 上限回数を超えています」; over
// --tls, no answer at all (HTTP 403 from the core) without a client certificate.
//
// Where the documents are silent the decision is in specs/occto/NOTES.md. Files: server.go
// (API and instance), start.go, routes.go (operation table), handlers.go (the five APIs and
// the pipeline they share), params.go, errors.go (result codes), message.go (the message's
// rules), validate.go, submission.go (cross checks, one message per plan), encoding.go,
// wire.go (the answer files), archive.go (ZIP and Base64), store*.go (the model), state.go,
// settings.go, redact.go (passwords out of the journal).
package occto
