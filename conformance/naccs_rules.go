package conformance

// The rules a client of CyberPort's NACCS integration must keep, quoted from the seed
// 「NACCS連携のAPI公開について」 (the project's seed 000), CyberPort's public API help, and,
// where CyberPort publishes nothing (webhook signing and delivery), the mock's documented
// contract in specs/naccs/NOTES.md, which Gloss then says. IDs are stable.

const (
	naccsSeed  = "NACCS連携のAPI公開について (seed 000)"
	naccsNotes = "specs/naccs/NOTES.md, Webhooks (upmock's contract: CyberPort's is not public)"
	naccsFlow  = "① 自社システムが「NACCS連携用帳票の保存API」を呼び出し ② 自社システムが「NACCS送信API」を呼び出し " +
		"③ (NACCSにて処理・サイバーポートに返却) ④ 自社システムがWebhookを受信 ⑤ 自社システムが「NACCS出力情報の取得API」を呼び出し"
)

var (
	ruleNaccsFlow1 = register(Rule{
		ID: "NACCS-FLOW-1", API: "naccs", Kind: "flow",
		Title:  "the form is saved before it is sent, and the version saved is the one sent",
		Source: naccsSeed + ", 処理イメージ",
		Quote:  naccsFlow,
		Gloss: "First save the NACCS form (Create, then Update with the content), then send it: Send carries the _etag the " +
			"save answered. NACCS processes what CyberPort holds, and every send is a NACCS transmission the company pays for; " +
			"sending a form before its content is saved sends something else.",
	})
	ruleNaccsHook1 = register(Rule{
		ID: "NACCS-HOOK-1", API: "naccs", Kind: "webhook",
		Title:  "after sending, the client waits for the NaccsReceive webhook instead of polling",
		Source: naccsSeed + ", 処理イメージ; CyberPort webhook kinds (NaccsReceive: \"NACCS Data Received.\")",
		Quote:  naccsFlow,
		Gloss: "NACCS answers asynchronously (③) and CyberPort tells the company's system with a webhook (④) before it fetches " +
			"the output (⑤). While NACCS works the client does not keep reading the form or the output: the suite allows at " +
			"most 2 such reads between the send and the webhook.",
	})
	ruleNaccsHook2 = register(Rule{
		ID: "NACCS-HOOK-2", API: "naccs", Kind: "webhook",
		Title:  "webhook signatures are verified and forged or replayed deliveries rejected",
		Source: naccsNotes,
		Quote: "X-CyberPort-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(\"<t>.<raw body>\")> keyed with the organisation's " +
			"signing secret; a receiver refuses a delivery whose signature does not verify or whose timestamp is more than 5 minutes old.",
		Gloss: "The webhook URL is reachable by anyone who learns it. A delivery without a valid signature — none, another key, " +
			"a body that was changed, or an old one replayed — is answered 4xx and not acted on.",
	})
	ruleNaccsHook3 = register(Rule{
		ID: "NACCS-HOOK-3", API: "naccs", Kind: "webhook",
		Title:  "after NaccsReceive the client fetches the output of the send",
		Source: naccsSeed + ", 処理イメージ ④⑤",
		Quote:  "④ 自社システムがWebhookを受信 ⑤ 自社システムが「NACCS出力情報の取得API」を呼び出し",
		Gloss: "The webhook says NACCS's result is at CyberPort; the result itself — the processing result and the 出力情報, " +
			"e.g. the declaration number NACCS assigned — is what the output API returns. The client calls it after the webhook.",
	})
	ruleNaccsHook4 = register(Rule{
		ID: "NACCS-HOOK-4", API: "naccs", Kind: "webhook",
		Title:  "the webhook is answered 2xx quickly, before the work it triggers",
		Source: naccsNotes,
		Quote:  "A 2xx answer within webhookTimeout is a delivery; anything else is retried after webhookRetryDelays.",
		Gloss: "CyberPort waits a short time for the answer (the suite sets 1 s); a receiver that fetches the output or does " +
			"other work before answering is counted as failed and gets the delivery again.",
	})
	ruleNaccsHook5 = register(Rule{
		ID: "NACCS-HOOK-5", API: "naccs", Kind: "webhook",
		Title:  "a delivery received twice is handled once",
		Source: naccsNotes,
		Quote:  "X-CyberPort-Delivery is the delivery's ID, the same on every retry and duplicate, for the receiver's idempotency.",
		Gloss: "Webhooks are delivered at least once. The same delivery arriving again is answered 2xx and not acted on again: " +
			"the output of the send is fetched once.",
	})
	ruleNaccsCall1 = register(Rule{
		ID: "NACCS-CALL-1", API: "naccs", Kind: "flow",
		Title:  "an amendment fills the form with the 呼出 output and changes only what changes",
		Source: naccsSeed + ", 「②第1弾リリースの対象業務コード」 and 呼出業務の流れ",
		Quote:  "(2)呼出業務のAPIを利用した処理の流れは以下の通り。 / 15 NR460 IDB 輸入申告事項呼出し 海上 呼出 / 17 NR480 IDA 輸入申告事項登録 海上 登録",
		Gloss: "To amend a declaration the client calls it up (IDB), and the 呼出 output returns the declaration's content; the " +
			"amended form (IDA) is that content with the changes, not the changes alone.",
	})
	ruleNaccsETag1 = register(Rule{
		ID: "NACCS-ETAG-1", API: "naccs", Kind: "concurrency",
		Title:  "saves respect _etag: from the latest version, never over another user's change",
		Source: "CyberPort API help (DynamicHelp), NACCS report resource: _etag (required); specs/naccs/NOTES.md, Forms",
		Quote:  "_etag (required) … an Update whose _etag is not the form's current one is refused with 412.",
		Gloss: "Forms are shared by the organisation's users. A save starts from the version it read and sends its _etag; when " +
			"the form changed meanwhile (412) the client reads it again and re-applies its own change, so the other user's " +
			"change is kept.",
	})
	ruleNaccsErr1 = register(Rule{
		ID: "NACCS-ERR-1", API: "naccs", Kind: "errors",
		Title:  "every error of NACCS's processing result is reported, not only the first",
		Source: naccsSeed + ", 処理イメージ ⑤; specs/naccs/NOTES.md, Sending and NACCS",
		Quote:  "⑤ 自社システムが「NACCS出力情報の取得API」を呼び出し",
		Gloss: "The output's processingResult holds NACCS's 処理結果コード, one error per item NACCS refused (it checks every " +
			"item, not only the first). The client hands its caller all of them, so that every item can be corrected " +
			"before the next send, which is another NACCS transmission.",
	})
	ruleNaccsPoll1 = register(Rule{
		ID: "NACCS-POLL-1", API: "naccs", Kind: "webhook",
		Title:  "without a webhook the client polls the output until NACCS has answered, and reports NACCS's answer",
		Source: naccsSeed + ", 処理イメージ ③④⑤; specs/naccs/NOTES.md, Webhooks",
		Quote: "③ (NACCSにて処理・サイバーポートに返却) ④ 自社システムがWebhookを受信 ⑤ 自社システムが「NACCS出力情報の取得API」を呼び出し" +
			" / A company whose endpoint is down loses nothing: the output stays fetchable, and the client that waited in vain for the webhook polls for it.",
		Gloss: "NACCS's answer takes its time (③); while it has not come, the output says status sending. A client whose " +
			"webhook does not come reads the output again, at a moderate pace, until the status is completed or error, " +
			"and reports that: a job is done when NACCS has answered, not when the client stopped waiting.",
	})
	ruleNaccsAuth1 = register(Rule{
		ID: "NACCS-AUTH-1", API: "naccs", Kind: "auth",
		Title:  "a client-credentials token from /Token, reused while it lives, renewed when refused",
		Source: "specs/naccs/NOTES.md, Authentication (CyberPort's scheme is not public: ASP.NET Web API OWIN token endpoint)",
		Quote: "OAuth 2.0 client credentials at the ASP.NET Web API OWIN token endpoint POST /Token (grant_type=client_credentials, " +
			"client_id and client_secret in the form or HTTP Basic), then Authorization: Bearer <token>. Tokens live tokenTTL (1h).",
		Gloss: "The client asks POST /Token (application/x-www-form-urlencoded, grant_type=client_credentials, its client_id and " +
			"client_secret in the form or as HTTP Basic) for a token, sends it as Authorization: Bearer on every call, reuses " +
			"it while it lives, and when a call is refused 401 (the token expired) gets a new one the same way and repeats " +
			"the call.",
	})
	ruleNaccsRead1 = register(Rule{
		ID: "NACCS-READ-1", API: "naccs", Kind: "data",
		Title:  "the output is read whole: every row of an inquiry's answer",
		Source: naccsSeed + ", 処理イメージ ⑤ and 「②第1弾リリースの対象業務コード」 26 NI150 IDI",
		Quote:  "⑤ 自社システムが「NACCS出力情報の取得API」を呼び出し / 26 NI150 IDI 輸入申告等一覧照会 海上 照会",
		Gloss: "An inquiry (照会) answers with what NACCS holds: IDI lists every import declaration of an importer, one row " +
			"each. A busy importer's list runs to a hundred kilobytes and more; the client reads the whole output, not a " +
			"fixed-size buffer of it, and hands over every row.",
	})
)
