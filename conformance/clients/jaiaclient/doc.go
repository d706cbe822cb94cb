// Package jaiaclient is the project's reference Go client of the JAIA コードデータベースシステム
// API (https://api.jaiadb.com; manual 1.9.0, shared/seeds/004). It keeps every rule the
// manual imposes on its clients, because the conformance suite judges other clients against
// the behaviour this one shows:
//
//   - It logs in once (AUTH_LOGIN, POST /auth), lazily before the first call, and reuses the
//     returned metadata.userId and metadata.criptToken for every later call: the token in the
//     Authorization header (raw, no scheme), the user ID in the body's userId (§1-3).
//   - When a call is answered with the auth error (401 「認証に失敗したためアクセスできません。」),
//     as the upstream does after two hours without a call, it logs in again once and re-sends
//     the call; the upstream checks authentication before anything else, so the refused call
//     changed nothing (§1-3 ③).
//   - Every request body carries the common items of §1-4: apiId (the called API's ID), userId
//     and appId "EXTERNAL"; import calls carry them in the multipart "body" part.
//   - Search calls page through total with 0-based pageNumber: pages 0 … ⌈total ÷
//     displayNumber⌉−1, displayNumber at most 200 (§1-8).
//   - Several records are created or updated with the import API, never with single calls in a
//     loop (§1-17); one CSV carries at most 10,000 rows, larger sets go out as several imports
//     of near-equal size (§1-9, §1-17).
//   - Every request, login and logout included, waits for a rate limiter that keeps to 100
//     requests a minute (§1-17); Config.RateLimit scales it, Config.Limiter shares one between
//     clients of the same user.
//   - An answer is a success only when its HTTP status is 2xx and its result is 0; anything
//     else is an *APIError carrying result, code and every errorMessageList entry, import row
//     errors with their row numbers (every API's レスポンスパラメータ: 「0 : 成功、0 以外 : 失敗」).
//   - Logout (AUTH_LOGOUT, DELETE /auth) ends the session when the caller is done.
//   - Nothing but the auth error is retried: the manual asks for no retries, and a create
//     that timed out may have been stored.
//
// The import CSV layout is not in the manual (its 付録-2 is a separate document): the client
// writes a header row of the create (or update) dataset keys in the manual's table order, as
// upmock's specs/jaia/NOTES.md decides; Master.CreateColumns and UpdateColumns hold them.
package jaiaclient
