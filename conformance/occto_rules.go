package conformance

// The OCCTO outage-plan WebAPI rules the suite checks, quoted from the upstream document
// "WebAPI 連携仕様" (the project's seed 002; its line breaks joined). Where the document
// implies a rule rather than states it, Gloss says so. IDs are stable: reports and CI
// filters use them.

const occtoDoc = "広域機関システム WebAPI 連携仕様 (作業停止計画)"

var (
	ruleOcctoAuth1 = register(Rule{
		ID: "OCCTO-AUTH-1", API: "occto", Kind: "auth",
		Title:  "userid and password in the request parameters of every call",
		Source: occtoDoc + ", 1.1 連携仕様概要",
		Quote: "各 WebAPI はリクエストを受け付ける際にユーザ ID、パスワードにより認証を行うため、" +
			"各事業者アプリケーションからの http リクエストパラメータにユーザ ID、パスワードを設定して連携を行う。",
		Gloss: "Every WebAPI authenticates each request by user ID and password, so every request carries both " +
			"as request parameters (userid, password in the POST form). There is no session: a call without them is refused.",
	})
	ruleOcctoAuth2 = register(Rule{
		ID: "OCCTO-AUTH-2", API: "occto", Kind: "auth",
		Title:  "HTTPS with the client certificate on every call",
		Source: occtoDoc + ", 1.1 連携仕様概要",
		Quote:  "また、SSL クライアント認証を行うため、リクエストを行う際は https にて連携を行う。",
		Gloss: "The upstream authenticates the client's TLS certificate: call over HTTPS and present the client " +
			"certificate OCCTO issued. Without it the request is refused before it reaches the WebAPI.",
	})
	ruleOcctoTLS1 = register(Rule{
		ID: "OCCTO-TLS-1", API: "occto", Kind: "auth",
		Title:  "the server's certificate is verified against the given CA, and nothing is sent to a server that fails",
		Source: occtoDoc + ", 1.1 連携仕様概要",
		Quote:  "また、SSL クライアント認証を行うため、リクエストを行う際は https にて連携を行う。",
		Gloss: "HTTPS is there so that user ID, password and plans go only to OCCTO: the client verifies the server's " +
			"certificate against the CA it was given (and the host name) and, when that fails, sends nothing and " +
			"reports the failure. A client that skips the check hands its password to whoever answers.",
	})
	ruleOcctoFlow1 = register(Rule{
		ID: "OCCTO-FLOW-1", API: "occto", Kind: "flow",
		Title:  "plans are fetched with the plandivision and occtoreceptionno the list returned",
		Source: occtoDoc + ", 1.4 ファイル取得系 API and 2.1 一覧取得系 API とファイル取得系 API の連携手順",
		Quote: "① 作業停止計画の一覧取得系 API を使用し、plandivision と occtoreceptionno を取得する。" +
			"② ①で取得した plandivision と occtoreceptionno をリクエストのパラメータとして設定し、ファイル取得系 API の呼び出しを行う。" +
			" / なお、plandivision と occtoreceptionno は 1.3 章の一覧取得系 API により取得して利用する。",
		Gloss: "Call the list API (BA13B103) first and take both keys of each plan from its answer; then call the " +
			"file API (BA13B102) with exactly those keys. Keys guessed, remembered or assumed (one division for " +
			"every plan) do not find the plan.",
	})
	ruleOcctoData1 = register(Rule{
		ID: "OCCTO-DATA-1", API: "occto", Kind: "data",
		Title:  "a file answer is decoded, unzipped and read as the XML it is",
		Source: occtoDoc + ", 1.4 ファイル取得系 API",
		Quote: "WebAPI では、リクエストで指定された plandivision と occtoreceptionno の作業停止計画をレスポンスとして" +
			" XML メッセージの ZIP 形式で返信する。",
		Gloss: "The plan comes back as an XML message in a ZIP (on the wire: Base64 text of the ZIP). Decode it, " +
			"unzip the one file and read the XML in the encoding its declaration names; the plan's values, " +
			"Japanese text included, are what was registered.",
	})
	ruleOcctoData2 = register(Rule{
		ID: "OCCTO-DATA-2", API: "occto", Kind: "data",
		Title:  "a list answer is read whole: every plan of the company, however long the list",
		Source: occtoDoc + ", 1.3 一覧取得系 API",
		Quote:  "WebAPI では、作業停止計画ファイルの一覧情報をレスポンスとして XML メッセージの ZIP 形式で返信する。",
		Gloss: "The list is one answer holding every plan of the company, with nothing to page through: read the " +
			"answer to its end, however large, and return each plan with its keys and names as listed.",
	})
	ruleOcctoFiles1 = register(Rule{
		ID: "OCCTO-FILES-1", API: "occto", Kind: "flow",
		Title:  "a file is reported 受付完了 only once the upstream lists it so, and the receipt-file list is read whole",
		Source: occtoDoc + ", 1.2 登録系 API and 1.5.1 作業停止計画受付ファイル一覧取得",
		Quote: "WebAPI では、受信した XML メッセージの内容チェック・登録などを行い、結果を返信する。 / " +
			"1.2 章の登録系 API により提出した作業停止計画ファイルの一覧を取得する API。" +
			"提出した作業停止計画ファイルのステータス一覧をレスポンスとして XML メッセージの ZIP 形式で返信する。",
		Gloss: "The upstream checks and registers a file after receiving it; while it does, the receipt-file list " +
			"says 01 処理中. A client reports a submission as done (02 受付完了) only when the list says so, so its " +
			"plans are there when the caller looks; and it reads the list whole, every file with its status.",
	})
	ruleOcctoFlow2 = register(Rule{
		ID: "OCCTO-FLOW-2", API: "occto", Kind: "flow",
		Title:  "after submitting, the file's status is read, and a 提出エラー's receipt message fetched",
		Source: occtoDoc + ", 1.2 登録系 API, 1.5.1 and 1.5.2",
		Quote: "1.2 章の登録系 API により提出した作業停止計画ファイルの一覧を取得する API。" +
			"提出した作業停止計画ファイルのステータス一覧をレスポンスとして XML メッセージの ZIP 形式で返信する。" +
			" / 作業停止計画受付ファイル一覧取得により、取得したファイル一覧の中で、計画受付ステータスが、" +
			"提出エラーとなっているものについて、エラーの内容を記したファイルを取得するための API。",
		Gloss: "The register API (BA13B101) acknowledges receipt only. The suite's reading: a client learns whether " +
			"its plan was accepted from the receipt-file list (BA13B006), and for a file in 提出エラー it fetches the " +
			"受信確認メッセージ (BA13B007) and reports its reasons, instead of taking the submission as done.",
	})
	ruleOcctoErr1 = register(Rule{
		ID: "OCCTO-ERR-1", API: "occto", Kind: "result",
		Title:  "every error of a 受信確認メッセージ reaches the caller, with its code, item, value and message",
		Source: occtoDoc + ", 1.5.2 作業停止計画受信確認メッセージ取得",
		Quote: "作業停止計画受付ファイル一覧取得により、取得したファイル一覧の中で、計画受付ステータスが、" +
			"提出エラーとなっているものについて、エラーの内容を記したファイルを取得するための API。",
		Gloss: "The receipt message is where the upstream says what is wrong with a file: one ERR_INFO per finding " +
			"(ERR_CD, ERR_ITEM, ERR_VAL, ERR_MSG), as many as there are. A client hands every one of them to its " +
			"caller, each whole; the caller cannot fix a plan from a count or a code alone.",
	})
	ruleOcctoResult1 = register(Rule{
		ID: "OCCTO-RESULT-1", API: "occto", Kind: "result",
		Title:  "any resultcode but 0000 is a failure, whatever the HTTP status",
		Source: occtoDoc + ", 1.1 連携仕様概要; the wire as OCCTO's own clients read it (shared/digests/upstreams.md §3)",
		Quote:  "また、上限回数を超えた場合、「API 上限回数を超えています」というエラーコードを返す。",
		Gloss: "The WebAPI answers failures with an error code, not an HTTP error: every answer carries a resultcode " +
			"header, 0000 for success; any other code (wrong password 1002, the daily limit 2001, …) comes with " +
			"HTTP 200 and an error body. A client reports such an answer as the failure it is.",
	})
	ruleOcctoLimit1 = register(Rule{
		ID: "OCCTO-LIMIT-1", API: "occto", Kind: "limit", DriverTZ: "UTC",
		Title:  "once the daily limit answers, no more calls that day",
		Source: occtoDoc + ", 1.1 連携仕様概要",
		Quote: "各事業者の 1日の WebAPI 利用回数には上限を設けており、全体での上限回数を 1000 回とする。" +
			"1つの API を呼ぶ度に回数が 1加算される為、API を呼んだ回数分加算される。" +
			"また、上限回数を超えた場合、「API 上限回数を超えています」というエラーコードを返す。",
		Gloss: "A company may call the WebAPI 1,000 times a day, and every call counts, failed ones too. After the " +
			"limit's error code the suite's reading is: stop, report the limit to the caller, and make no further " +
			"call until the next day (JST), instead of retrying or carrying on with the remaining work.",
	})
)
