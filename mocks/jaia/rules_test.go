package jaia_test

import "testing"

func TestFreebieJANAndCompanyRules(t *testing.T) {
	h := newHarness(t)
	tok := h.login(jaiaMail, jaiaPass)
	const me = "ZZ00000001"
	freebie := func(code, jan string) resp {
		ds := map[string]any{"jaiaCode": code, "jaiaCompanyCode": "1001", "infoOpenStartDate": "20260401", "janCode": jan,
			"freebieName": "商品", "freebieNameKana": "ショウヒン", "transactionUnit": "01", "internalCapacity": "1",
			"internalCapacityUnitCode": "501", "numberOfType": "1", "consumerClassification": "01", "jaiaProductCategory": "01",
			"productType": "01", "onlineCraneGameLicense": "01", "salesForm": "01", "openPriceFlag": "01", "publishSetting": "01"}
		return h.call("POST", "/freebie", tok, me, "FREEBIE_CREATE", map[string]any{"dataset": ds})
	}
	expect(t, freebie("JAN0A1234567890123", ""), 400, "項目「JAIA コード」に先頭文字列が JAN0 の値を入力する場合、後方14桁には先頭を0埋めした8桁、または13桁の JAN コードを入力してください。")
	expect(t, freebie("JAN004901234567894", "4901234567890"), 400, "項目「JAIA コード」の末尾8桁、もしくは13桁と項目「JAN コード」が一致しません。")
	expect(t, freebie("100100000000000001", "4901234567894"), 400, "項目「JAIA コード」の先頭文字列が JAN0 以外の場合、項目「JAN コード」に8桁、または13桁の値は入力できません。")
	expect(t, freebie("JAN004901234567894", "4901234567894"), 200)
	expect(t, freebie("JAN000000049012341", "49012341"), 200)

	company := map[string]any{"jaiaCompanyCode": "3001", "companyCodeDigitClassification": "4", "usageStartDate": "20260101",
		"corporateMyNumber": "1000000000002", "companyName": "新会社", "companyNameKana": "シンカイシャ", "headquartersZipCode": "1000001",
		"headquartersAddress1": "東京都", "headquartersAddress2": "千代田区", "representativePhoneNumber": "03-0000-0000",
		"jaiaMembershipClassification": "01", "companyCategory": "01", "annualSales": "01", "cooperationUsageClassification": "01"}
	expect(t, h.call("POST", "/company", tok, me, "COMPANY_CREATE", map[string]any{"dataset": company}), 400,
		"項目「事業規模（稼働台数）」は必須項目です。", "項目「法人マイナンバー」が重複しています。")
	// A non-JAIA administrator may not touch the JAIA-only fields of its own company.
	own := h.login(adminMail, adminPass)
	expect(t, h.call("PUT", "/company", own, adminID, "COMPANY_UPDATE", map[string]any{"dataset": map[string]any{"jaiaCompanyCode": "1001", "companyCategory": "99"}}),
		401, "認証に失敗したためアクセスできません。")
}
