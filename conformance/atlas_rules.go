package conformance

// The ATLAS-Things rules the suite checks, quoted from the upstream document
// "ATLAS-Things API v1 リファレンス" (the project's seed 003). Where the document implies a
// rule rather than states it, Gloss says so. IDs are stable: reports and CI filters use them.

const atlasDoc = "ATLAS-Things API v1 リファレンス"

var (
	ruleAtlasAuth1 = register(Rule{
		ID: "ATLAS-AUTH-1", API: "atlas", Kind: "auth",
		Title:  "X-ATLAS-API-Key and Authorization headers on every API call",
		Source: atlasDoc + ", API認証に必要な情報",
		Quote:  "X-ATLAS-API-KeyヘッダーとAuthorizationヘッダーを、全てのAPIのリクエストに必ず含めてください。",
		Gloss:  "Always include the X-ATLAS-API-Key header (the API key) and the Authorization header (the JWT) in every API request.",
	})
	ruleAtlasAuth2 = register(Rule{
		ID: "ATLAS-AUTH-2", API: "atlas", Kind: "auth",
		Title:  "a fresh JWT, with requestDate set to the time of the request, for every request",
		Source: atlasDoc + ", JWTの生成方法",
		Quote: "requestDateは、APIをリクエストしたシステム日時(ISO8601拡張形式の年月日時分秒までのUTC)を設定してください。" +
			"JWTの有効期限は1分間なので、リクエストの都度、設定することをお勧めします。",
		Gloss: "Set requestDate to the system time of the request (UTC, to the second). A JWT is valid for one minute, " +
			"so make one for every request; an older one is refused with 401 errorCode 801 \"jwt expired.\"",
	})
	ruleAtlasIdemp1 = register(Rule{
		ID: "ATLAS-IDEMP-1", API: "atlas", Kind: "idempotency",
		Title:  "a unique transactionId for every registration request",
		Source: atlasDoc + ", RegistrationRequest.transactionId",
		Quote:  "クライアントからのリクエストを識別するためのID。1リクエスト毎に一意となる値を設定してください。※ 推奨値:UUID",
		Gloss: "The ID that identifies the client's request: set a value unique to each request (a UUID is recommended). " +
			"A transactionId seen before is refused with 400 errorCode 200 and the data is not registered.",
	})
	ruleAtlasIdemp2 = register(Rule{
		ID: "ATLAS-IDEMP-2", API: "atlas", Kind: "idempotency",
		Title:  "a retry after an ambiguous failure (504) reuses the transactionId, so the registration happens once",
		Source: atlasDoc + ", 504(Gateway Timeout) and ProblemDetails errorCode 200",
		Quote: "APIがタイムアウトした場合、HTTP status codeは504(Gateway Timeout)になります。…少し時間をおいてからリトライしてください。" +
			" / 重複リクエスト登録エラー 200 the transactionId={0} has already been registered.",
		Gloss: "A 504 means the request timed out, and it may have been registered: retry it after a while. " +
			"The suite's reading: the retry is the same request, so it carries the same transactionId; the upstream then " +
			"answers 400 errorCode 200 (already registered), which tells the client the first attempt succeeded.",
	})
	ruleAtlasVal1 = register(Rule{
		ID: "ATLAS-VAL-1", API: "atlas", Kind: "validation",
		Title:  "every request item is sent, unset optional ones as null",
		Source: atlasDoc + ", APIのリクエストについて",
		Quote: "各APIのリクエストは、すべての項目を含めて送信する必要があります。必須でない項目で設定が不要な場合は、値にNULLを設定してください。" +
			"リクエストとして定義されている項目が存在しない場合、エラー情報が返ります。",
		Gloss: "Every request must contain all of its items. An optional item that is not set is sent with the value null. " +
			"A request that lacks a defined item is answered with an error.",
	})
	ruleAtlasVal2 = register(Rule{
		ID: "ATLAS-VAL-2", API: "atlas", Kind: "validation",
		Title:  "one item per single-item registration (POST /shipping/item, /receiving/item)",
		Source: atlasDoc + ", RegistrationRequest.items",
		Quote:  "※ 個別登録の場合はアイテムを2つ以上設定すると、複数アイテム混入エラー (errorCode 203)になります。",
		Gloss:  "A single-item registration with two or more items is refused with 400 errorCode 203 \"there can be only one item in this request.\"",
	})
	ruleAtlasDL1 = register(Rule{
		ID: "ATLAS-DL-1", API: "atlas", Kind: "download",
		Title:  "download URLs are fetched with GET and without the API's authentication headers",
		Source: atlasDoc + ", 出荷実績データ出力 (GET /items/download)",
		Quote:  "ダウンロード用のURLへのアクセス時は、ATLAS-Things APIの認証用ヘッダー情報(X-ATLAS-API-KeyとAuthorization)を付けずにGETメソッドでアクセスしてください。",
		Gloss:  "Fetch a download URL with the GET method and without the X-ATLAS-API-Key and Authorization headers.",
	})
	ruleAtlasPage1 = register(Rule{
		ID: "ATLAS-PAGE-1", API: "atlas", Kind: "pagination",
		Title:  "cursors are followed until hasNext is false",
		Source: atlasDoc + ", GET /items/download and TagData",
		Quote: "次回以降は、パラメータ:cursorに前回のカーソル情報を設定してリクエストすることで、前回からの差分の出荷実績データを取得できます。" +
			" / hasNext: boolean 次データ有無",
		Gloss: "Send the previous answer's cursor to get what follows; hasNext says whether more data follows. " +
			"Everything available is read only once an answer says hasNext false.",
	})
	ruleAtlasRetry500 = register(Rule{
		ID: "ATLAS-RETRY-1", API: "atlas", Kind: "retry",
		Title:  "500 Internal Server Error is retried, after a wait",
		Source: atlasDoc + ", 例外的なHTTPステータス 500(Internal Server Error)",
		Quote:  "これは本サービスの問題ではなく、クラウドプラットフォームの一時的な問題です。 少し時間をおいてからリトライしてください。",
		Gloss:  "A 500 is a temporary problem of the cloud platform: retry after a while.",
	})
	ruleAtlasRetry503 = register(Rule{
		ID: "ATLAS-RETRY-2", API: "atlas", Kind: "retry",
		Title:  "503 Service Unavailable (maintenance) is retried, after a wait",
		Source: atlasDoc + ", メンテナンスについて",
		Quote:  "本サービスがメンテナンス中の場合、すべての API リクエストで HTTP ステータス 503 が返ります。 一定時間経過後にリトライするようにしてください。",
		Gloss:  "During maintenance every request is answered 503: retry after some time has passed.",
	})
	ruleAtlasRetry504 = register(Rule{
		ID: "ATLAS-RETRY-3", API: "atlas", Kind: "retry",
		Title:  "504 Gateway Timeout is retried, after a wait",
		Source: atlasDoc + ", 例外的なHTTPステータス 504(Gateway Timeout)",
		Quote:  "APIがタイムアウトした場合、HTTP status codeは504(Gateway Timeout)になります。…少し時間をおいてからリトライしてください。",
		Gloss:  "A 504 is a temporary problem of the cloud platform: retry after a while.",
	})
	ruleAtlasRetry429 = register(Rule{
		ID: "ATLAS-RETRY-4", API: "atlas", Kind: "retry",
		Title:  "429 Throttled is retried, after a wait",
		Source: atlasDoc + ", ProblemDetails",
		Quote:  "429 Throttled スロットリングエラー 803 request is too many. please call API in a little while.",
		Gloss:  "Too many requests: call the API again in a little while.",
	})
	ruleAtlasRetry400 = register(Rule{
		ID: "ATLAS-RETRY-5", API: "atlas", Kind: "retry",
		Title:  "400 Bad Request is not retried blindly",
		Source: atlasDoc + ", ProblemDetails",
		Quote:  "400 BadRequest 入力チェックエラー 100 invalid input value.",
		Gloss: "A 400 says the request itself is wrong. The document asks for retries only on 500, 503, 504 and 429; " +
			"the same request sent again cannot succeed, so the client reports the failure to its caller.",
	})
	ruleAtlasAuth3 = register(Rule{
		ID: "ATLAS-AUTH-3", API: "atlas", Kind: "auth",
		Title:  "requestDate is the real UTC time of the request",
		Source: atlasDoc + ", JWTの生成方法",
		Quote:  "requestDateは、APIをリクエストしたシステム日時(ISO8601拡張形式の年月日時分秒までのUTC)を設定してください。",
		Gloss: "requestDate is the system time at which the API is called, in UTC, to the second. A date ahead of the " +
			"request (local time written with Z, a token dated into the future to make it last) or behind it is wrong, " +
			"whether or not the upstream happens to accept it.",
	})
	ruleAtlasIdemp3 = register(Rule{
		ID: "ATLAS-IDEMP-3", API: "atlas", Kind: "idempotency",
		Title:  "a registration reported as done is registered: every item of a single-item registration is downloadable",
		Source: atlasDoc + ", 出荷情報個別登録 (POST /shipping/item), RegistrationRequest.transactionId and ProblemDetails",
		Quote: "出荷実績データを1件づつ登録します。 / 1リクエスト毎に一意となる値を設定してください。" +
			" / 重複リクエスト登録エラー 200 the transactionId={0} has already been registered.",
		Gloss: "The single-item endpoint registers one item per request, and every request needs its own transactionId; " +
			"a request whose transactionId was seen before is refused (400 errorCode 200) and registers nothing. A client " +
			"that reports a registration as done must have had every item accepted: a refusal is a failure, not a success.",
	})
	ruleAtlasPage2 = register(Rule{
		ID: "ATLAS-PAGE-2", API: "atlas", Kind: "pagination",
		Title:  "the cursor the client keeps is the last one served, so the next download yields only what is new",
		Source: atlasDoc + ", GET /items/download and TagData.cursor",
		Quote: "次回以降は、パラメータ:cursorに前回のカーソル情報を設定してリクエストすることで、前回からの差分の出荷実績データを取得できます。" +
			" / cursor: string 次回API呼び出し時のカーソル情報",
		Gloss: "The cursor of the last answer is the one to use next time: a download from it returns only the records " +
			"added since. A client that keeps an earlier cursor reads records again.",
	})
	ruleAtlasDL2 = register(Rule{
		ID: "ATLAS-DL-2", API: "atlas", Kind: "download",
		Title:  "an expired download URL is not used again: the client asks for a new one",
		Source: atlasDoc + ", クライアントマスタデータ出力 (GET /master/${masterName})",
		Quote:  "また、ダウンロード用URLの有効期限は1時間です。有効期限が切れた場合はAccessDeniedのレスポンスが返るので、再度リクエストを送信してください。",
		Gloss: "A download URL is valid for one hour. After that it answers AccessDenied, and the client sends the " +
			"request for a URL again rather than reusing the old one.",
	})
	ruleAtlasDL3 = register(Rule{
		ID: "ATLAS-DL-3", API: "atlas", Kind: "download",
		Title:  "download files are read whole, however large",
		Source: atlasDoc + ", 出荷実績データ出力 (GET /items/download)",
		Quote:  "出荷実績データ出力ファイルのフォーマットはUTF-8のJSONファイルです。内容については、 ActualShippingDataを参照してください。",
		Gloss: "A download file is one UTF-8 JSON document (ActualShippingData); its records are all of it, so the " +
			"client reads the file to its end, whatever its size.",
	})
)
