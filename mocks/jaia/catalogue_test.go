package jaia_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/upmock/upmock/fixtures"
)

type walkField struct {
	Key      string `json:"key"`
	Required bool   `json:"required"`
	Attr     string `json:"attr"`
	Min      *int   `json:"min"`
	CodeID   string `json:"codeId"`
}

type walkCatalogue struct {
	Masters []struct {
		Name         string      `json:"name"`
		Key          string      `json:"key"`
		Fields       []walkField `json:"fields"`
		UpdateFields []walkField `json:"updateFields"`
	} `json:"masters"`
	APIs []struct {
		APIID, Path, Method, Master, Action string
	} `json:"apis"`
}

func readWalkCatalogue(t *testing.T) (walkCatalogue, map[string]struct {
	Values [][2]string `json:"values"`
}) {
	var cat walkCatalogue
	raw, err := fixtures.FS.ReadFile("jaia/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatal(err)
	}
	var codes map[string]struct {
		Values [][2]string `json:"values"`
	}
	raw, _ = fixtures.FS.ReadFile("jaia/codes.json")
	if err := json.Unmarshal(raw, &codes); err != nil {
		t.Fatal(err)
	}
	return cat, codes
}

// TestEveryOperation walks the catalogue's 58 APIs: each answers a correct request with 200
// and refuses a wrong apiId and a missing token; nothing is left out.
func TestEveryOperation(t *testing.T) {
	cat, codes := readWalkCatalogue(t)
	if len(cat.APIs) != 58 {
		t.Fatalf("%d APIs", len(cat.APIs))
	}
	h := newHarness(t)
	tok := h.login(jaiaMail, jaiaPass)
	const me = "ZZ00000001"
	value := func(master string, f walkField, n int) string {
		min := 0
		if f.Min != nil {
			min = *f.Min
		}
		switch {
		case f.Key == "jaiaCode":
			return fmt.Sprintf("1001%014d", n)
		case f.Key == "jaiaCompanyCode" && master == "company":
			return fmt.Sprintf("%d", 2000+n)
		case f.Key == "jaiaCompanyCode":
			return "1001"
		case f.Key == "userMail":
			return fmt.Sprintf("walk%d@jaia.jp", n)
		case f.Key == "corporateMyNumber":
			return fmt.Sprintf("2%012d", n)
		case f.CodeID != "":
			return codes[f.CodeID].Values[0][0]
		case f.Attr == "日付" && min == 6:
			return "202604"
		case f.Attr == "日付":
			return "20260401"
		case f.Attr == "URL":
			return "https://example.jp/a"
		case f.Attr == "全角カナ":
			return "テスト"
		case f.Attr == "半角数字" || f.Attr == "数値" || f.Attr == "半角英数":
			return strings.Repeat("1", max(min, 1))
		}
		return "テスト"
	}
	dataset := func(master string, fields []walkField, n int, userID string) map[string]string {
		ds := map[string]string{}
		for _, f := range fields {
			if f.Key == "userId" {
				ds[f.Key] = userID
				continue
			}
			if f.Required || f.Key == "companyUnits" {
				ds[f.Key] = value(master, f, n)
			}
		}
		return ds
	}
	toCSV := func(fields []walkField, ds map[string]string) string {
		var head, row []string
		for _, f := range fields {
			head = append(head, f.Key)
			row = append(row, ds[f.Key])
		}
		return strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n"
	}
	done := map[string]bool{}
	for _, m := range cat.Masters {
		apis := map[string]struct{ APIID, Path, Method string }{}
		for _, a := range cat.APIs {
			if a.Master == m.Name {
				apis[a.Action] = struct{ APIID, Path, Method string }{a.APIID, a.Path, a.Method}
			}
		}
		call := func(action string, extra map[string]any) resp {
			a := apis[action]
			done[a.APIID] = true
			// Wrong apiId and missing token first: both must fail.
			expect(t, h.call(a.Method, a.Path, tok, me, "WRONG_API", extra), 400, "入力された API ID が一致しません。")
			expect(t, h.call(a.Method, a.Path, "", me, a.APIID, extra), 401, "認証に失敗したためアクセスできません。")
			return h.call(a.Method, a.Path, tok, me, a.APIID, extra)
		}
		created := dataset(m.Name, m.Fields, 1, "")
		r := call("create", map[string]any{"dataset": created})
		expect(t, r, 200)
		key := created[m.Key]
		if m.Name == "user" {
			key = r.env["metadata"].(map[string]any)["userId"].(string)
		}
		expect(t, call("update", map[string]any{"dataset": dataset(m.Name, m.UpdateFields, 1, key)}), 200)
		keyCol := map[string]string{"jaiaCode": "jaia_code", "jaiaCompanyCode": "jaia_company_code", "userId": "user_id"}[m.Key]
		r = call("select", map[string]any{"searchConditions": []any{map[string]any{"columnName": keyCol, "value": key}},
			"datasetList": []any{map[string]any{"columnName": keyCol}}})
		expect(t, r, 200)
		if r.env["total"] != 1.0 {
			t.Fatalf("%s: search found %v", m.Name, r.env["total"])
		}
		for _, action := range []string{"import_create", "import_update"} {
			a := apis[action]
			done[a.APIID] = true
			fields, ds := m.Fields, dataset(m.Name, m.Fields, 2, "")
			if action == "import_update" {
				fields, ds = m.UpdateFields, dataset(m.Name, m.UpdateFields, 1, key)
			}
			expect(t, h.importCSV(a.Method, a.Path, tok, me, "WRONG_API", toCSV(fields, ds)), 400, "入力された API ID が一致しません。")
			expect(t, h.importCSV(a.Method, a.Path, tok, me, a.APIID, toCSV(fields, ds)), 200)
		}
		expect(t, call("delete", map[string]any{"dataset": map[string]any{m.Key: key}}), 200)
		if a, ok := apis["export_deleted"]; ok {
			r := call("export_deleted", map[string]any{"searchConditions": []any{map[string]any{"columnName": "jaia_company_code", "value": created["jaiaCompanyCode"]}}})
			expect(t, r, 200)
			if !strings.Contains(string(r.body), `"`+key+`"`) && m.Name != "company" {
				t.Fatalf("%s: export lacks %s: %s", a.APIID, key, r.body)
			}
			if m.Name == "company" && !strings.Contains(string(r.body), `"`+key+`"`) {
				t.Fatalf("%s: export lacks %s: %s", a.APIID, key, r.body)
			}
		}
	}
	expect(t, h.call("POST", "/codes", tok, me, "CODES_SELECT", map[string]any{"datasetList": []any{map[string]any{"codeId": "PUBLISH_SETTING"}}}), 200)
	done["CODES_SELECT"], done["AUTH_LOGIN"] = true, true
	expect(t, h.json("DELETE", "/auth", tok, map[string]any{"userId": me, "appId": "EXTERNAL"}), 200)
	done["AUTH_LOGOUT"] = true
	for _, a := range cat.APIs {
		if !done[a.APIID] {
			t.Errorf("%s was not exercised", a.APIID)
		}
	}
}
