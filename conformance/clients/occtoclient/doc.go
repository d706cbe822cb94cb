// Package occtoclient is the project's reference Go client of OCCTO's outage-plan
// (作業停止計画) WebAPI (https://occtonet.occto.or.jp; upstream document: shared/seeds/002,
// "WebAPI 連携仕様"). It keeps every rule the upstream imposes on its clients, because the
// conformance suite judges other clients against the behaviour this one shows:
//
//   - Every call is a form POST carrying userid and password next to the API's own
//     parameters (「リクエストパラメータにユーザ ID、パスワードを設定」), over HTTPS presenting
//     the client certificate (「SSL クライアント認証」) when one is configured.
//   - Success is the response header resultcode 0000 and nothing else: any other code is a
//     failure (*APIError), whatever the HTTP status. A success body is Base64 text of a ZIP
//     holding one XML file, which the client decodes, unzips and reads in the encoding its
//     XML declaration names (UTF-8 or Shift_JIS).
//   - Plans are fetched with the plandivision and occtoreceptionno the list API returned
//     (「plandivision と occtoreceptionno は 1.3 章の一覧取得系 API により取得して利用する」).
//   - A submitted file's outcome is read from the receipt-file list, and a 提出エラー's reasons
//     from its 受信確認メッセージ; the register API's own answer only acknowledges receipt.
//   - Once the daily limit answers 2001 (「API 上限回数を超えています」), the client makes no
//     further call until midnight JST by its own clock: each call would count again.
//
// The client does not retry: no upstream rule asks for it, and every call counts against
// the daily limit.
package occtoclient
