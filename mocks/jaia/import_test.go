package jaia_test

import (
	"fmt"
	"strings"
	"testing"
)

const storeHeader = "jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,informationRegistrationCategory,storeName,storeNameKana,storeZipCode,storeAddress1,storeAddress2,storePhoneNumber,storeFormat,storeCategory,operatingUnits,fueiLaw,url,remarks,publishSetting,publishCompanyCategory,publishCompanyCode"

func storeRow(code, name string) string {
	return code + ",1001,20260401,,," + name + ",,102-0074,,,,,,,,,,01,,"
}

func TestImportAllOrNothing(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	imp := func(csv string) resp {
		return h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", csv)
	}
	var b strings.Builder
	b.WriteString("\ufeff" + storeHeader + "\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&b, "%s\n", storeRow(fmt.Sprintf("1001%014d", i), "店"))
	}
	full := b.String()
	r := imp(full)
	expect(t, r, 200)
	if m := r.env["metadata"].(map[string]any); m["total"] != 10000.0 || m["success"] != 10000.0 || m["error"] != 0.0 {
		t.Fatalf("counts %v", m)
	}
	over := full + storeRow("100199999999999999", "店") + "\n"
	expect(t, imp(over), 400, "レコード数は 1 万件以内で入力してください。")

	bad := storeHeader + "\n" + storeRow("100200000000000001", "店") + "\n" + storeRow("100100000000099991", "店") + "\n" +
		storeRow("100100000000099991", "店") + "\n" + storeRow("100100000000000001", "店") + "\n"
	r = imp(bad)
	expect(t, r, 400,
		`{"message":"項目「JAIA コード」の先頭文字列が JAIA 事業者コードと一致していません。","row":2}`,
		`{"message":"項目「JAIA コード」と同一の JAIA コードがファイル内に含まれています。","row":4}`,
		`{"message":"項目「JAIA コード」が重複しています。","row":5}`)
	if m := r.env["metadata"].(map[string]any); m["total"] != 4.0 || m["success"] != 1.0 || m["error"] != 3.0 {
		t.Fatalf("counts %v", m)
	}
	// Nothing of the bad file was stored: 99991 is still free.
	expect(t, h.call("POST", "/store", tok, adminID, "STORE_CREATE", map[string]any{"dataset": storeDataset("100100000000099991", "店")}), 200)
	expect(t, imp("jaiaCode,storeName\n100100000000099992,店\n"), 400, "CSV のフォーマットが不正です。")
}

func TestImportUpdateAndUsers(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	userHeader := "jaiaCompanyCode,companyCategory,userClassification,userName,userNameKana,userDepartment,userTitle,userZipCode,userAddress1,userAddress2,userPhoneNumber,userMail"
	row := func(mail, cat string) string {
		return "1001," + cat + ",02,利用者,リヨウシャ,部,,1020074,東京都,千代田区,," + mail
	}
	r := h.importCSV("POST", "/users/import", tok, adminID, "USER_IMPORT_CREATE", userHeader+"\n"+row("a@jaia.jp", "01")+"\n"+row("b@jaia.jp", "02")+"\n")
	expect(t, r, 200)
	info := r.env["metadata"].(map[string]any)["userInfo"].([]any)
	if len(info) != 2 || info[0].(map[string]any)["userId"] != "1001000003" || info[1].(map[string]any)["userId"] != "1001000004" {
		t.Fatalf("userInfo %v", info)
	}
	r = h.importCSV("POST", "/users/import", tok, adminID, "USER_IMPORT_CREATE", userHeader+"\n"+row("a@jaia.jp", "01")+"\n"+row("c@jaia.jp", "03")+"\n")
	expect(t, r, 400, `{"message":"項目「利用者メールアドレス」は既に登録済みです。","row":2}`, `{"message":"事業者に登録済みの事業者カテゴリ以外は指定できません。","row":3}`)

	upd := "userId," + userHeader + "\n1001000003," + row("changed@jaia.jp", "01") + "\n1001009999," + row("x@jaia.jp", "01") + "\n"
	r = h.importCSV("PUT", "/users/import", tok, adminID, "USER_IMPORT_UPDATE", upd)
	expect(t, r, 400, `{"message":"更新インポートで項目「利用者メールアドレス」は変更できません。","row":2}`, `{"message":"項目「ユーザーID」がマスタに存在しません。","row":3}`)
}

// TestImportRowOfAnotherCompanyIsARowError: a row for a company the caller may not register
// is STORE_IMPORT_CREATE's file check 8, answered as a row error (400 with the row), not a
// 401 for the whole request.
func TestImportRowOfAnotherCompanyIsARowError(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass) // company 1001
	other := "100200000000000001,1002,20260401,,,店,,102-0074,,,,,,,,,,01,,"
	r := h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE",
		storeHeader+"\n"+storeRow("100100000000000001", "店")+"\n"+other+"\n")
	expect(t, r, 400, `{"message":"認証に失敗したためアクセスできません。","row":3}`)
	if m := r.env["metadata"].(map[string]any); m["total"] != 2.0 || m["success"] != 1.0 || m["error"] != 1.0 {
		t.Fatalf("counts %v", m)
	}
	// The token is still good: the client need not log in again.
	expect(t, h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", storeHeader+"\n"+storeRow("100100000000000001", "店")+"\n"), 200)
}

// TestImportRefusesACSVThatIsNotUTF8: §1-2 文字コード：UTF-8. A Shift_JIS file is refused with
// the CSV format message rather than stored as U+FFFD.
func TestImportRefusesACSVThatIsNotUTF8(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	sjis := storeHeader + "\n" + storeRow("100100000000000001", "\x93\x58") + "\n" // 店 in Shift_JIS
	expect(t, h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", sjis), 400, "CSV のフォーマットが不正です。")
	// Nothing was stored: the same code registers as new.
	expect(t, h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", storeHeader+"\n"+storeRow("100100000000000001", "店")+"\n"), 200)
}

// TestExportAbnormalEndIsHTTP200: §1-10's export table answers 異常終了 with status 200 and
// the error envelope (code 500); only an empty appId is HTTP 500.
func TestExportAbnormalEndIsHTTP200(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	r := h.do("POST", "/stores/export/deleted", tok, "application/json", []byte(`{"apiId": "STORE_EXPORT_DELETED", `))
	if r.status != 200 || r.env == nil || r.env["result"] != 1.0 || r.env["code"] != 500.0 ||
		strings.Join(r.messages(), "|") != "予期せぬエラーが発生しました。" {
		t.Fatalf("abnormal end: %d %s, want 200 with result 1, code 500", r.status, r.body)
	}
	r = h.call("POST", "/stores/export/deleted", tok, adminID, "STORE_EXPORT_DELETED", map[string]any{"appId": ""})
	expect(t, r, 500, "項目「APP ID」は必須項目です。")
	r = h.call("POST", "/stores/export/deleted", tok, adminID, "STORE_EXPORT_DELETED",
		map[string]any{"searchConditions": []any{map[string]any{"columnName": "jaia_company_code", "value": "1001"}}})
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("normal end: %d %s", r.status, r.body)
	}
}
