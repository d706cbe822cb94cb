package conformance

// The JAIA code database rules the suite checks, quoted from the upstream manual
// 「JAIA コードデータベースシステム API マニュアル 1.9.0 版」 (the project's seed 004). Where the
// manual implies a rule rather than states it, Gloss says so. IDs are stable: reports and CI
// filters use them.

const jaiaDoc = "JAIA コードデータベースシステム API マニュアル 1.9.0"

var (
	ruleJaiaAuth1 = register(Rule{
		ID: "JAIA-AUTH-1", API: "jaia", Kind: "auth",
		Title:  "log in first, then reuse the token and userId of that login for every call",
		Source: jaiaDoc + ", 1-3.ログイン認証",
		Quote: "API を利用する場合は、API 利用のために用意されたユーザーでログイン認証を行い、取得した認証情報を用いて目的の API を実行する流れとなります。" +
			" / 目的の API を実行するには、取得したユーザーID を共通設定項目 userId に、認証 Token を Authorization リクエストヘッダーに設定してください。",
		Gloss: "Log in (POST /auth) before anything else, then call the APIs with what the login returned: the token in the " +
			"Authorization header, the user ID in userId. The token lives while calls keep coming (two hours idle), so one " +
			"login serves a whole session; the suite's reading: log in again only when the upstream refuses the token.",
	})
	ruleJaiaAuth2 = register(Rule{
		ID: "JAIA-AUTH-2", API: "jaia", Kind: "auth",
		Title:  "after two idle hours the token expires: on the auth error, log in again and carry on",
		Source: jaiaDoc + ", 1-3.ログイン認証 ③",
		Quote: "但し、ログイン認証から 2 時間無操作（API コールなし）の状態が続くと有効期限切れとなり、目的の API 実行時に以下のエラーメッセージが返却されるので、" +
			"その場合は再度ログイン認証をやり直してください。 エラーメッセージ：「認証に失敗したためアクセスできません。」",
		Gloss: "Two hours without a call expire the token; the next call is answered 401 「認証に失敗したためアクセスできません。」. " +
			"The client then logs in again and repeats the call with the new token (the refused call was not processed).",
	})
	ruleJaiaAuth3 = register(Rule{
		ID: "JAIA-AUTH-3", API: "jaia", Kind: "auth",
		Title:  "log out (DELETE /auth) when done",
		Source: jaiaDoc + ", 1-3.ログイン認証 ④",
		Quote:  "API 利用が完了したらログアウト API をリクエストしてログアウトしてください。",
		Gloss:  "When the client has finished using the API, it calls the logout API (AUTH_LOGOUT, DELETE /auth) with its userId and token.",
	})
	ruleJaiaReq1 = register(Rule{
		ID: "JAIA-REQ-1", API: "jaia", Kind: "request",
		Title:  "every call carries apiId (the called API's ID), userId (the logged-in user) and appId EXTERNAL",
		Source: jaiaDoc + ", 1-4.共通設定項目",
		Quote: "apiId リクエストする API を識別する ID 本マニュアルの API 一覧、または、各 API 説明に記載された API ID を参照して、API ID を指定" +
			" / userId API をリクエストするユーザーの ID 前項で記載したログイン認証で事前にログインしたユーザーの USER ID を指定" +
			" / appId システムでリクエストされたアプリケーションを識別する ID 固定文字列 EXTERNAL を指定" +
			" / ※ログイン API、ログアウト API については上記全てではなく一部のみに必要です",
		Gloss: "Each body (for imports, the multipart \"body\" part) names the API it calls in apiId, the logged-in user in userId " +
			"and \"EXTERNAL\" in appId. Login sends appId only, logout userId and appId. A wrong apiId is refused with " +
			"「入力された API ID が一致しません。」, a missing appId with 「項目「APP ID」は必須項目です。」.",
	})
	ruleJaiaPage1 = register(Rule{
		ID: "JAIA-PAGE-1", API: "jaia", Kind: "pagination",
		Title:  "search results are read page by page from pageNumber 0 until total is covered",
		Source: jaiaDoc + ", 1-8.検索 API について",
		Quote: "pageNumber ページ番号を指定する項目。値は 0 始まりで指定し、未指定時は 0 ページ目をデフォルトとする" +
			" / 総件数は指定条件に該当する全体の件数なので、displayNumber に指定した取得件数を上回る場合、該当する全件を取得するには" +
			" [総件数 ÷ 取得件数] で算出されるページ数分、検索 API を繰り返しリクエストする必要があります。",
		Gloss: "Pages are numbered from 0. total counts every match; when it exceeds displayNumber (at most 200), the client " +
			"asks for page 0, 1, … until it has ⌈total ÷ displayNumber⌉ pages, and so gets every match.",
	})
	ruleJaiaBulk1 = register(Rule{
		ID: "JAIA-BULK-1", API: "jaia", Kind: "bulk",
		Title:  "several records are created with the import API, never with single creates in a loop",
		Source: jaiaDoc + ", 1-17.注意事項・制限事項",
		Quote: "登録、更新、削除の API は単件処理を想定しており、これらを繰り返し処理内で呼び出して使用することは禁止とします" +
			" 複数件の新規登録・更新処理を行う場合には各マスタのインポート API を使用してください",
		Gloss: "Create, update and delete APIs take one record each and must not be called in a loop; to create or update " +
			"several records, use the master's import API (a CSV file).",
	})
	ruleJaiaBulk2 = register(Rule{
		ID: "JAIA-BULK-2", API: "jaia", Kind: "bulk",
		Title:  "one import CSV carries at most 10,000 rows; larger sets go out as several imports",
		Source: jaiaDoc + ", 1-17.注意事項・制限事項",
		Quote:  "インポート API に渡す CSV データの件数は 1 万件以下としてください 1 万件より多い CSV データはエラーとなり処理されません",
		Gloss: "An import's CSV holds at most 10,000 data rows; a larger file is refused (「レコード数は 1 万件以内で入力してください。」) " +
			"and nothing of it is stored. A client with more records splits them over several imports.",
	})
	ruleJaiaRate1 = register(Rule{
		ID: "JAIA-RATE-1", API: "jaia", Kind: "rate",
		Title:  "no more than 100 requests a minute",
		Source: jaiaDoc + ", 1-17.注意事項・制限事項",
		Quote:  "1 分間に 100 リクエストを超える間隔での API コールを禁止とします",
		Gloss: "Calling the API more often than 100 requests a minute is forbidden. So that the suite stays fast, configure " +
			"gives the client a scaled-down budget (DRIVER.md: rateLimit); the client must keep to the budget it is given, " +
			"and to 100 a minute when it is given none. The upstream counts requests as they arrive, which the client cannot " +
			"see; what it can see is when each answer arrived, which is after its request arrived. So a request's window " +
			"counts from its answer: a limiter that counts from departures lets a slowly answered request start the " +
			"client's window before the upstream's.",
	})
	ruleJaiaResult1 = register(Rule{
		ID: "JAIA-RESULT-1", API: "jaia", Kind: "errors",
		Title:  "success is result 0: a result other than 0 is a failure, reported with its errorMessageList",
		Source: jaiaDoc + ", レスポンスパラメータ (every API) and 1-10",
		Quote: "result API 実行結果。0 : 成功、0 以外 : 失敗 / errorMessageList 失敗時にセットされる返却メッセージリスト" +
			" / 異常終了の場合 ステータスコード : 200",
		Gloss: "Every answer says in result whether the call succeeded (0) or failed (anything else), and a failure's messages " +
			"are in errorMessageList. The manual documents the envelope, not the HTTP status (its export tables even answer " +
			"an abnormal end with status 200), so a client reads result and reports the messages; import row errors " +
			"come as {row, message}.",
	})
	ruleJaiaResult2 = register(Rule{
		ID: "JAIA-RESULT-2", API: "jaia", Kind: "errors",
		Title:  "every message of a failure is reported, not only the first",
		Source: jaiaDoc + ", レスポンスパラメータ (every API) and 1-9",
		Quote: "errorMessageList 失敗時にセットされる返却メッセージリスト" +
			" / CSV ファイル内に 1 件でもエラーがあった場合は全件取り込まれません。エラーが 0 件の状態で全ての取込が行われます。",
		Gloss: "A failure's errorMessageList is a list: an import refused for several rows answers one message per bad row " +
			"(and nothing of the file is stored). The client reports them all, so that its caller can correct every row at once.",
	})
	ruleJaiaExport1 = register(Rule{
		ID: "JAIA-EXPORT-1", API: "jaia", Kind: "errors",
		Title:  "the deleted-data export returns the CSV the upstream wrote; an abnormal end in the envelope is a failure",
		Source: jaiaDoc + ", 1-10.削除済みデータエクスポート API について and each export API's レスポンス",
		Quote: "レスポンスは、取得結果が CSV ファイルで返却されます。" +
			" / 異常終了の場合 ステータスコード : 200",
		Gloss: "A normal end is the CSV file (text/csv); an abnormal end is the JAIA envelope with result 1 and its " +
			"errorMessageList, answered with HTTP status 200 like the file. The client reads which of the two it got: " +
			"an envelope is a failure with its messages, never a file.",
	})
	ruleJaiaRead1 = register(Rule{
		ID: "JAIA-READ-1", API: "jaia", Kind: "data",
		Title:  "search answers are read whole: every row and every character of it",
		Source: jaiaDoc + ", 1-8.検索 API について",
		Quote: "レスポンスは、指定条件に合致するレコード分の指定取得項目のデータが配列で返却されます。" +
			" / displayNumber 取得件数を指定する項目。最大値は 200 件で、未指定時も 200 件をデフォルトとする",
		Gloss: "A page holds up to 200 rows of the columns asked for; with 100-character names it runs to well over a " +
			"hundred kilobytes. A client reads the whole answer, not a fixed-size buffer of it.",
	})
	ruleJaiaStore1 = register(Rule{
		ID: "JAIA-STORE-1", API: "jaia", Kind: "data",
		Title:  "a store the client reports created, updated or deleted is so upstream, with the values given",
		Source: jaiaDoc + ", 1-6, 1-7 and STORE_CREATE / STORE_UPDATE",
		Quote: "リクエストパラメータに指定した値で対象マスタのデータを新規登録／更新 / 削除方法は論理削除" +
			" / storeName 全角/半角 100 登録する店舗名称を指定。",
		Gloss: "Create and update store the values the request carries; delete marks the row deleted. Lengths are in " +
			"characters (「最大 100 桁」 of 全角/半角 text): a 100-character Japanese name is valid and must arrive whole. " +
			"What the client reports done must be what the upstream then holds.",
	})
)
