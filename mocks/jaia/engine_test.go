package jaia_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStoreLifecycle(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	call := func(method, path, api string, extra map[string]any) resp {
		return h.call(method, path, tok, adminID, api, extra)
	}
	r := call("POST", "/store", "STORE_CREATE", map[string]any{"dataset": storeDataset("100100000000000001", "テストげーむせんたー")})
	expect(t, r, 200)
	if v, ok := r.env["metadata"]; !ok || v != nil {
		t.Fatalf("create metadata must be null: %s", r.body)
	}
	expect(t, call("POST", "/store", "STORE_CREATE", map[string]any{"dataset": storeDataset("100100000000000001", "x")}), 400, "項目「JAIA コード」が重複しています。")

	// Katakana/width-insensitive search on a ◎ column; hyphens were stripped.
	sel := func(cond []any) resp {
		return call("POST", "/stores", "STORE_SELECT", map[string]any{"searchConditions": cond,
			"datasetList": []any{map[string]any{"columnName": "jaia_code"}, map[string]any{"columnName": "store_zip_code"}, map[string]any{"columnName": "info_open_start_date"}, map[string]any{"columnName": "store_phone_number"}}})
	}
	r = sel([]any{map[string]any{"columnName": "store_name", "value": "ゲームｾﾝﾀｰ"}})
	expect(t, r, 200)
	if r.env["total"] != 1.0 || r.env["pageNumber"] != 0.0 {
		t.Fatalf("search: %s", r.body)
	}
	row := r.env["metadataList"].([]any)[0].(map[string]any)
	if row["store_zip_code"] != "1020074" || row["store_phone_number"] != "0311112222" || row["info_open_start_date"] != "2026/04/01" {
		t.Fatalf("row %v", row)
	}
	expect(t, sel([]any{map[string]any{"columnName": "store_name", "value": "ボウリング"}}), 200)
	expect(t, sel([]any{map[string]any{"columnName": "remarks", "value": "x"}}), 400, "検索条件に指定可能なカラム名ではないものが指定されています。")

	// Update: the start date lies in the past, so it cannot change.
	ds := storeDataset("100100000000000001", "新店名")
	ds["infoOpenStartDate"] = "20260402"
	expect(t, call("PUT", "/store", "STORE_UPDATE", map[string]any{"dataset": ds}), 400, "既に情報公開開始日を過ぎているため、情報公開開始日は変更できません。")
	expect(t, call("PUT", "/store", "STORE_UPDATE", map[string]any{"dataset": storeDataset("100100000000000001", "新店名")}), 200)
	expect(t, call("PUT", "/store", "STORE_UPDATE", map[string]any{"dataset": storeDataset("100100000000000099", "x")}), 404, "項目「JAIA コード」がマスタに存在しません。")

	// Delete, then it is gone for search and delete, and exported as deleted.
	del := map[string]any{"dataset": map[string]any{"jaiaCode": "100100000000000001"}}
	expect(t, call("DELETE", "/store", "STORE_DELETE", del), 200)
	expect(t, call("DELETE", "/store", "STORE_DELETE", del), 404, "項目「JAIA コード」がマスタに存在しません。")
	expect(t, call("DELETE", "/store", "STORE_DELETE", map[string]any{}), 500, "予期せぬエラーが発生しました。")
	r = sel([]any{map[string]any{"columnName": "jaia_code", "value": "1001"}})
	if r.env["total"] != 0.0 {
		t.Fatalf("deleted row still found: %s", r.body)
	}
	r = call("POST", "/stores/export/deleted", "STORE_EXPORT_DELETED", map[string]any{"searchConditions": []any{map[string]any{"columnName": "jaia_company_code", "value": "1001"}}})
	expect(t, r, 200)
	want := "JAIA 事業者,JAIA コード,廃止日時\r\n\"1001\",\"100100000000000001\",\"2026/05/01 10:00:00\"\r\n"
	if string(r.body) != want || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export %q", r.body)
	}
}

func TestCommonChecksInManualWords(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	create := func(ds map[string]any) resp {
		return h.call("POST", "/store", tok, adminID, "STORE_CREATE", map[string]any{"dataset": ds})
	}
	ds := storeDataset("1001000000000000012", "店")
	ds["infoOpenStartDate"] = "2026041"
	ds["storeZipCode"] = "12345678901"
	ds["url"] = "ftp://example.jp"
	ds["fueiLaw"] = "07"
	delete(ds, "publishSetting")
	expect(t, create(ds), 400,
		"項目「JAIA コード」は18桁以内で入力してください。",
		"項目「情報公開開始日」は8桁以上で入力してください。",
		"項目「店舗郵便番号」は8桁以内で入力してください。",
		"項目「風営法対象」がマスタに存在しません。",
		"項目「URL」の URL は HTTP://または HTTPS://から始まる値で入力してください。",
		"項目「公開先設定」は必須項目です。")

	ds = storeDataset("1001*0000000000001", "店")
	expect(t, create(ds), 400, "項目「JAIA コード」に使用できない文字が含まれています。")
	ds = storeDataset("100200000000000001", "店")
	expect(t, create(ds), 400, "項目「JAIA コード」の先頭文字列が JAIA 事業者コードと一致していません。")
	ds = storeDataset("100100000000000002", "店")
	ds["infoOpenEndDate"] = "20260301"
	expect(t, create(ds), 400, "項目「公開終了日」は公開開始日より未来日で入力してください。")
	ds = storeDataset("100100000000000002", "店")
	ds["infoOpenStartDate"] = "20260231"
	expect(t, create(ds), 400, "項目「情報公開開始日」は日付で入力してください。")
	ds = storeDataset("100100000000000002", "店")
	ds["publishSetting"] = "02"
	expect(t, create(ds), 400, "項目「公開先事業者カテゴリ」は必須項目です。")
	ds["publishSetting"], ds["publishCompanyCategory"] = "03", "01"
	expect(t, create(ds), 400, "項目「公開先事業者コード」は必須項目です。", "項目「公開先設定」と付属する項目（「公開先事業者カテゴリ」、「公開先事業者コード」）の入力内容に矛盾があります。")
	ds["publishCompanyCategory"], ds["publishCompanyCode"] = nil, "9999"
	expect(t, create(ds), 400, "項目「公開先事業者コード」がマスタに存在しません。")
}

func TestPublishVisibilityAndOpenStatus(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	mk := h.login(makerMail, makerPass)
	mk2 := func(code, setting string, extra map[string]any) {
		ds := storeDataset(code, "店"+code)
		ds["publishSetting"] = setting
		for k, v := range extra {
			ds[k] = v
		}
		expect(t, h.call("POST", "/store", tok, adminID, "STORE_CREATE", map[string]any{"dataset": ds}), 200)
	}
	mk2("100100000000000001", "01", nil)
	mk2("100100000000000002", "02", map[string]any{"publishCompanyCategory": "02"})
	mk2("100100000000000003", "02", map[string]any{"publishCompanyCategory": "03,04"})
	mk2("100100000000000004", "03", map[string]any{"publishCompanyCode": "1002"})
	mk2("100100000000000005", "03", map[string]any{"publishCompanyCode": "ZZ"})
	mk2("100100000000000006", "01", map[string]any{"infoOpenStartDate": "20270101"})
	mk2("100100000000000007", "01", map[string]any{"infoOpenStartDate": "20250101", "infoOpenEndDate": "20251231"})
	codes := func(tok, user, status string) string {
		body := map[string]any{"searchConditions": []any{map[string]any{"columnName": "jaia_code", "value": "1001"}},
			"datasetList": []any{map[string]any{"columnName": "jaia_code"}}, "sortList": []any{map[string]any{"columnName": "jaia_code", "sortType": "desc"}}}
		if status != "" {
			body["infoOpenStatus"] = status
		}
		r := h.call("POST", "/stores", tok, user, "STORE_SELECT", body)
		expect(t, r, 200)
		var out []string
		for _, row := range r.env["metadataList"].([]any) {
			out = append(out, row.(map[string]any)["jaia_code"].(string)[16:])
		}
		return strings.Join(out, ",")
	}
	if got := codes(mk, "1002000001", ""); got != "04,02,01" {
		t.Fatalf("maker sees %s", got)
	}
	if got := codes(tok, adminID, ""); got != "05,04,03,02,01" {
		t.Fatalf("owner sees %s", got)
	}
	if got := codes(tok, adminID, "02"); got != "06" {
		t.Fatalf("02 仮登録 %s", got)
	}
	if got := codes(tok, adminID, "20"); got != "07" {
		t.Fatalf("20 使用終了 %s", got)
	}
	if got := codes(tok, adminID, "99"); got != "07,06,05,04,03,02,01" {
		t.Fatalf("99 全て %s", got)
	}
	// The clock moves the status: in 2027 the 仮登録 row is in use.
	h.sess.Clock.Set(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC))
	tok = h.login(adminMail, adminPass)
	if got := codes(tok, adminID, ""); !strings.HasPrefix(got, "06,") {
		t.Fatalf("2027 in use %s", got)
	}
}

func TestPaging(t *testing.T) {
	h := newHarness(t)
	tok := h.login(adminMail, adminPass)
	var csv strings.Builder
	csv.WriteString(storeHeader + "\n")
	for i := 1; i <= 250; i++ {
		fmt.Fprintf(&csv, "%s\n", storeRow(fmt.Sprintf("1001%014d", i), "店"))
	}
	expect(t, h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", csv.String()), 200)
	page := func(extra map[string]any) resp {
		body := map[string]any{"searchConditions": []any{map[string]any{"columnName": "jaia_company_code", "value": "1001"}},
			"datasetList": []any{map[string]any{"columnName": "jaia_code"}}}
		for k, v := range extra {
			body[k] = v
		}
		r := h.call("POST", "/stores", tok, adminID, "STORE_SELECT", body)
		expect(t, r, 200)
		return r
	}
	r := page(nil)
	if r.env["total"] != 250.0 || len(r.env["metadataList"].([]any)) != 200 {
		t.Fatalf("default page: total %v rows %d", r.env["total"], len(r.env["metadataList"].([]any)))
	}
	r = page(map[string]any{"displayNumber": 100, "pageNumber": 2})
	rows := r.env["metadataList"].([]any)
	if len(rows) != 50 || rows[0].(map[string]any)["jaia_code"] != "100100000000000201" || r.env["pageNumber"] != 2.0 {
		t.Fatalf("page 2: %d rows, first %v", len(rows), rows[0])
	}
	if rows := page(map[string]any{"displayNumber": 500}).env["metadataList"].([]any); len(rows) != 200 {
		t.Fatalf("displayNumber over 200 gave %d rows", len(rows))
	}
	expect(t, h.call("POST", "/stores", tok, adminID, "STORE_SELECT", map[string]any{"searchConditions": []any{}, "datasetList": []any{}}),
		400, "項目「検索条件」は必須項目です。", "項目「取得項目」は必須項目です。")
}
