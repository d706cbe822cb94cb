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
