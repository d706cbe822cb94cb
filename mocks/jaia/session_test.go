package jaia_test

import (
	"testing"
	"time"
)

func TestLoginAndEnvelope(t *testing.T) {
	h := newHarness(t)
	r := h.json("POST", "/auth", "", map[string]any{"appId": "EXTERNAL", "userMail": adminMail, "password": adminPass})
	expect(t, r, 200)
	meta := r.env["metadata"].(map[string]any)
	if meta["userId"] != adminID || meta["jaiaCompanyCode"] != "1001" || meta["userClassification"] != "01" || meta["criptToken"] == "" {
		t.Fatalf("metadata %v", meta)
	}
	if v, ok := r.env["errorMessageList"]; !ok || v != nil {
		t.Fatalf("errorMessageList on success must be null: %s", r.body)
	}
}

func TestLoginFailures(t *testing.T) {
	h := newHarness(t)
	login := func(body map[string]any) resp { return h.json("POST", "/auth", "", body) }
	expect(t, login(map[string]any{"userMail": adminMail, "password": adminPass}), 400, "項目「APP ID」は必須項目です。")
	expect(t, login(map[string]any{"appId": "EXTERNAL", "password": "x"}), 400, "項目「利用者メールアドレス」は必須項目です。")
	expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": "nobody@jaia.jp", "password": "x"}), 401, "ID が誤っているか存在しません。")
	expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": "future@jaia.jp", "password": "future-pass"}), 401, "事業者の利用開始日（2099/12/31）が未来日のためログインできません。")
	expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": "nocoop@jaia.jp", "password": "nocoop-pass"}), 401, "認証に失敗したためアクセスできません。")
	for i := 0; i < 4; i++ {
		expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": viewerMail, "password": "wrong"}), 401, "パスワードが誤っています。")
	}
	expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": viewerMail, "password": "wrong"}), 401, "アカウントがロックされました。パスワードを再設定してください。")
	// Locked: even the right password is refused.
	expect(t, login(map[string]any{"appId": "EXTERNAL", "userMail": viewerMail, "password": viewerPass}), 401, "アカウントがロックされました。パスワードを再設定してください。")
}

func TestIdleExpirySlidesAndNewLoginReplacesToken(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	codes := func(tok string) resp {
		return h.call("POST", "/codes", tok, adminID, "CODES_SELECT", map[string]any{"datasetList": []any{map[string]any{"codeId": "PUBLISH_SETTING"}}})
	}
	h.sess.Clock.Advance(119 * time.Minute)
	expect(t, codes(tok), 200) // slides the window
	h.sess.Clock.Advance(119 * time.Minute)
	expect(t, codes(tok), 200)
	h.sess.Clock.Advance(2 * time.Hour)
	expect(t, codes(tok), 401, "認証に失敗したためアクセスできません。")

	old := h.login(adminMail, adminPass)
	fresh := h.login(adminMail, adminPass)
	expect(t, codes(old), 401, "認証に失敗したためアクセスできません。")
	expect(t, codes("Bearer "+fresh), 200)

	logout := func(body map[string]any) resp { return h.json("DELETE", "/auth", fresh, body) }
	expect(t, logout(map[string]any{"appId": "EXTERNAL"}), 401, "認証に失敗したためアクセスできません。")
	expect(t, logout(map[string]any{"userId": adminID}), 400, "項目「APP ID」は必須項目です。")
	r := logout(map[string]any{"userId": adminID, "appId": "EXTERNAL"})
	expect(t, r, 200)
	if m, ok := r.env["metadata"].(map[string]any); !ok || len(m) != 0 {
		t.Fatalf("logout metadata must be {}: %s", r.body)
	}
	expect(t, codes(fresh), 401, "認証に失敗したためアクセスできません。")
}

func TestCommonItems(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	body := func(api, user, app string) map[string]any {
		return map[string]any{"apiId": api, "userId": user, "appId": app, "datasetList": []any{map[string]any{"codeId": "PUBLISH_SETTING"}}}
	}
	expect(t, h.json("POST", "/codes", tok, body("", adminID, "EXTERNAL")), 400, "項目「API ID」は必須項目です。")
	expect(t, h.json("POST", "/codes", tok, body("CODES_SELECT", "", "EXTERNAL")), 401, "認証に失敗したためアクセスできません。")
	expect(t, h.json("POST", "/codes", tok, body("CODES_SELECT", adminID, "")), 400, "項目「APP ID」は必須項目です。")
	expect(t, h.json("POST", "/codes", tok, body("", adminID, "")), 400, "項目「API ID」は必須項目です。", "項目「APP ID」は必須項目です。")
	expect(t, h.json("POST", "/codes", tok, body("COMPANY_SELECT", adminID, "EXTERNAL")), 400, "入力された API ID が一致しません。")
	expect(t, h.json("POST", "/codes", tok, body("CODES_SELECT", adminID, "WEB")), 400, "項目「APP ID」は必須項目です。")
	expect(t, h.json("POST", "/codes", "wrong-token", body("CODES_SELECT", adminID, "EXTERNAL")), 401, "認証に失敗したためアクセスできません。")
	expect(t, h.json("POST", "/codes", tok, body("CODES_SELECT", "1002000001", "EXTERNAL")), 401, "認証に失敗したためアクセスできません。")
}

func TestCodes(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	r := h.call("POST", "/codes", tok, adminID, "CODES_SELECT", map[string]any{"datasetList": []any{
		map[string]any{"codeId": "PUBLISH_SETTING"}, map[string]any{"codeId": "COMPANY_CATEGORY", "codeKey": "01"}}})
	expect(t, r, 200)
	rows := r.env["metadataList"].([]any)
	if len(rows) != 4 {
		t.Fatalf("want 3 publish settings and 1 category: %s", r.body)
	}
	last := rows[3].(map[string]any)
	if last["codeName"] != "事業者カテゴリ" || last["codeValue1"] != "オペレータ" || last["codeValue2"] != nil {
		t.Fatalf("row %v", last)
	}
	expect(t, h.call("POST", "/codes", tok, adminID, "CODES_SELECT", map[string]any{"datasetList": []any{map[string]any{"codeId": "NOPE"}}}),
		400, "項目「コード ID」がマスタに存在しません。")
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	call := func() resp {
		return h.call("POST", "/codes", tok, adminID, "CODES_SELECT", map[string]any{"datasetList": []any{map[string]any{"codeId": "FUEI_LAW"}}})
	}
	for i := 0; i < 100; i++ {
		expect(t, call(), 200)
	}
	expect(t, call(), 429, "1 分間のリクエスト数が上限（100 リクエスト）を超えました。しばらくしてから再度実行してください。")
	h.sess.Clock.Advance(time.Minute)
	expect(t, call(), 200)
}

func TestPermissions(t *testing.T) {
	h := newHarness(t)
	tok := h.login(viewerMail, viewerPass)
	expect(t, h.call("POST", "/store", tok, "1001000002", "STORE_CREATE", map[string]any{"dataset": storeDataset("100100000000000001", "店")}),
		401, "認証に失敗したためアクセスできません。")
	mk := h.login(makerMail, makerPass)
	// Another company's code.
	expect(t, h.call("POST", "/store", mk, "1002000001", "STORE_CREATE", map[string]any{"dataset": storeDataset("100100000000000001", "店")}),
		401, "認証に失敗したためアクセスできません。")
	// Company create is JAIA's.
	expect(t, h.call("POST", "/company", mk, "1002000001", "COMPANY_CREATE", map[string]any{"dataset": map[string]any{}}),
		401, "認証に失敗したためアクセスできません。")
}
