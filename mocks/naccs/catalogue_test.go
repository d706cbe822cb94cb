package naccs_test

import (
	"strings"
	"testing"
)

// eda is a complete, valid 輸出申告事項登録.
var eda = map[string]string{
	"customsOfficeCode": "1W", "customsDepartmentCode": "02", "exporterCode": "T5010001012345",
	"exporterName": "東京海運通関株式会社", "consigneeName": "PACIFIC IMPORTS INC", "bondedAreaCode": "1WW01",
	"packageCount": "24", "packageUnitCode": "CS", "grossWeight": "3600", "weightUnitCode": "KGM",
	"departureDate": "20261201", "portOfLoadingCode": "JPTYO", "finalDestinationCode": "USLAX",
	"invoiceValueCondition": "FOB", "invoiceCurrencyCode": "USD", "invoiceAmount": "96000",
	"hsCode": "870899000", "goodsDescription": "AUTO PARTS",
}

// ida is a complete, valid 輸入申告事項登録 for the seeded B/L NYKS123456789.
var ida = map[string]string{
	"customsOfficeCode": "1W", "customsDepartmentCode": "01", "importerCode": "T5010001012345",
	"importerName": "東京海運通関株式会社", "blNo": "NYKS123456789", "bondedAreaCode": "1WW01",
	"packageCount": "120", "packageUnitCode": "CT", "grossWeight": "2400", "weightUnitCode": "KGM",
	"arrivalDate": "20261120", "portOfDischargeCode": "JPTYO", "originCountryCode": "US",
	"invoiceValueCondition": "CIF", "invoiceCurrencyCode": "USD", "invoiceAmount": "185000",
	"hsCode": "847130000", "goodsDescription": "NOTEBOOK COMPUTERS",
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

func kv(pairs ...string) map[string]string { return with(nil, pairs...) }

// businessCase is one business code: a form NACCS accepts (and what its output must show),
// a form it refuses and the error it names.
type businessCase struct {
	code, deal string
	valid      map[string]string
	shows      string // a field the output must carry
	invalid    map[string]string
	errCode    string
	errField   string
}

// The seed's 27 business codes, in its order; the data use the seeded NACCS registries.
var businessCases = []businessCase{
	{"ACL01", exportDeal, kv("bookingNo", "BKG0009999", "vesselCallSign", "3FXY7", "voyageNo", "045E", "portOfLoadingCode", "JPTYO",
		"portOfDischargeCode", "USLAX", "cargoTypeCode", "1", "shipperName", "TOKYO KAIUN"), "bookingNo",
		kv("bookingNo", "BKG0009999", "vesselCallSign", "3FXY7", "voyageNo", "045E", "portOfLoadingCode", "JPTYO",
			"portOfDischargeCode", "USLAX", "cargoTypeCode", "9", "shipperName", "TOKYO KAIUN"), "S0004", "cargoTypeCode"},
	{"ECR", exportDeal, kv("exporterCode", "T5010001012345", "exporterName", "東京海運", "goodsDescription", "AUTO PARTS",
		"packageCount", "10", "packageUnitCode", "CS", "grossWeight", "500", "weightUnitCode", "KGM"), "exportControlNo",
		kv("exporterCode", "T5010001012345", "exporterName", "東京海運", "goodsDescription", "AUTO PARTS",
			"packageCount", "ten", "packageUnitCode", "CS", "grossWeight", "500", "weightUnitCode", "KGM"), "S0002", "packageCount"},
	{"BIC", exportDeal, kv("exportControlNo", "E2600000001", "bondedAreaCode", "1WW01", "carryInDate", "20261125", "packageCount", "24", "packageUnitCode", "CS"), "carryInDate",
		kv("exportControlNo", "E2600000001", "bondedAreaCode", "1WW01", "carryInDate", "20261340", "packageCount", "24", "packageUnitCode", "CS"), "S0003", "carryInDate"},
	{"EDA", exportDeal, eda, "declarationNo", with(eda, "portOfLoadingCode", "tokyo"), "S0003", "portOfLoadingCode"},
	{"EDC", exportDeal, kv("declarationNo", "40012345670"), "permitDate", kv("declarationNo", "40099999999"), "E0002", "declarationNo"},
	{"EAA", exportDeal, kv("declarationNo", "40012345681", "amendmentReason", "仕向地変更", "finalDestinationCode", "USOAK"), "amendmentReason",
		kv("declarationNo", "40012345681", "finalDestinationCode", "USOAK"), "S0001", "amendmentReason"},
	{"EDB", exportDeal, kv("declarationNo", "40012345670"), "consigneeName", kv("declarationNo", "40012345681"), "R0001", "declarationNo"},
	{"EAC", exportDeal, kv("declarationNo", "40012345692"), "declarationNo", kv("declarationNo", "40012345681"), "E0002", "declarationNo"},
	{"EAB", exportDeal, kv("declarationNo", "40012345692"), "amendmentReason", kv("declarationNo", "40012345670"), "E0002", "declarationNo"},
	{"VAN11", exportDeal, kv("containerNo", "MSCU1234567"), "sealNo", kv("containerNo", "MSCU123456X"), "S0003", "containerNo"},
	{"VAE11", exportDeal, kv("exportControlNo", "E2600000001"), "containerNo", kv("exportControlNo", "E2699999999"), "E0002", "exportControlNo"},
	{"VAN", exportDeal, kv("containerNo", "TCLU7654321", "sealNo", "SL900", "containerSizeCode", "20", "vanningPlaceCode", "1WW01",
		"vanningDate", "20261126", "exportControlNo", "E2600000001", "packageCount", "24", "packageUnitCode", "CS"), "sealNo",
		kv("containerNo", "TCLU7654321", "sealNo", "SL900", "containerSizeCode", "30", "vanningPlaceCode", "1WW01",
			"vanningDate", "20261126", "exportControlNo", "E2600000001", "packageCount", "24", "packageUnitCode", "CS"), "S0004", "containerSizeCode"},
	{"VAE", exportDeal, kv("exportControlNo", "E2600000001", "containerNo", "TCLU7654321", "sealNo", "SL900", "vanningPlaceCode", "1WW01",
		"vanningDate", "20261126", "packageCount", "24", "packageUnitCode", "CS"), "containerNo",
		kv("exportControlNo", "E2699999999", "containerNo", "TCLU7654321", "sealNo", "SL900", "vanningPlaceCode", "1WW01",
			"vanningDate", "20261126", "packageCount", "24", "packageUnitCode", "CS"), "E0002", "exportControlNo"},
	{"VAC", exportDeal, kv("containerNo", "MSCU1234567"), "containerNo", kv("containerNo", "TCLU0000001"), "E0002", "containerNo"},
	{"IDB", importDeal, kv("declarationNo", "10012345670"), "goodsDescription", kv(), "S0001", "declarationNo"},
	{"IDD", importDeal, kv("declarationNo", "10012345681"), "hsCode", kv("declarationNo", "10012345670"), "R0001", "declarationNo"},
	{"IDA", importDeal, ida, "declarationNo", with(ida, "blNo", "UNKNOWN1"), "E0002", "blNo"},
	{"IDC", importDeal, kv("declarationNo", "10012345670"), "declaredDate", kv("declarationNo", "10012345681"), "R0001", "declarationNo"},
	{"IDA01", importDeal, kv("declarationNo", "10012345681", "amendmentReason", "数量訂正", "packageCount", "41"), "amendmentReason",
		kv("declarationNo", "10012345681", "amendmentReason", "数量訂正", "hsCode", "12345"), "S0003", "hsCode"},
	{"IDE", importDeal, kv("declarationNo", "10012345692"), "declarationNo", kv("declarationNo", "10012345681"), "E0002", "declarationNo"},
	{"ICG", importDeal, kv("blNo", "NYKS123456789"), "cargoStatus", kv("blNo", "NOPE"), "E0002", "blNo"},
	{"ICN", importDeal, kv("containerNo", "NYKU7654321"), "containerStatus", kv("containerNo", "nyku7654321"), "S0003", "containerNo"},
	{"IID", importDeal, kv("declarationNo", "10012345681"), "declaredDate", kv("declarationNo", "1001234568"), "S0003", "declarationNo"},
	{"IMI", importDeal, kv("blNo", "MAEU987654321"), "manifestStatus", kv(), "S0001", "blNo"},
	{"IEX", exportDeal, kv("declarationNo", "40012345681"), "permitDate", kv("declarationNo", "4001234568A"), "S0002", "declarationNo"},
	{"IDI", importDeal, kv("importerCode", "T5010001012345"), "count",
		kv("importerCode", "T5010001012345", "inquiryDateFrom", "20261130", "inquiryDateTo", "20261101"), "R0002", "inquiryDateFrom"},
	{"IES", exportDeal, kv("exporterCode", "T5010001012345"), "count", kv("exporterCode", "NOBODY"), "E0010", "exporterCode"},
}

// TestEveryBusinessCode: each of the seed's 27 codes accepts a valid form (NACCS ends
// normally with its output) and rejects an invalid one with a NACCS-style error naming the
// offending field; saving a value over the field's length is refused before NACCS.
func TestEveryBusinessCode(t *testing.T) {
	h := newHarness(t)
	if len(businessCases) != 27 {
		t.Fatalf("%d cases, want the seed's 27", len(businessCases))
	}
	codes := map[string]bool{}
	for _, b := range h.call("GET", "/API/v1/NACCS/BusinessCodes", nil).json(t)["businesses"].([]any) {
		codes[b.(map[string]any)["code"].(string)] = true
	}
	for _, bc := range businessCases {
		t.Run(bc.code, func(t *testing.T) {
			if !codes[bc.code] {
				t.Fatalf("%s is not in the catalogue", bc.code)
			}
			s := h.in("code-" + strings.ToLower(bc.code))
			s.t = t
			out := s.submit(bc.code, bc.deal, bc.valid)
			if out.Status != "completed" || out.ProcessingResult.ResultCode != "00000-0000-0000" || len(out.Outputs) != 1 {
				t.Fatalf("valid form: %+v", out)
			}
			o := out.Outputs[0]
			if o.Fields[bc.shows] == "" && (len(o.Rows) == 0 || o.Fields["count"] == "") {
				t.Fatalf("output %s lacks %s: %+v", o.Name, bc.shows, o)
			}
			if o.OutputCode != "S"+pad(bc.code)+"01" || out.ProcessingResult.OutputCode != "*S"+pad(bc.code) {
				t.Fatalf("output codes %q %q", out.ProcessingResult.OutputCode, o.OutputCode)
			}

			bad := h.in("bad-" + strings.ToLower(bc.code))
			bad.t = t
			out = bad.submit(bc.code, bc.deal, bc.invalid)
			if out.Status != "error" || len(out.Outputs) != 0 || len(out.ProcessingResult.Errors) == 0 {
				t.Fatalf("invalid form: %+v", out)
			}
			e := out.ProcessingResult.Errors[0]
			if e.Code != bc.errCode || e.Field != bc.errField || out.ProcessingResult.ResultCode != e.ResultCode ||
				!strings.HasPrefix(e.ResultCode, bc.errCode+"-") || e.Item == "" || !strings.Contains(e.Content, e.Item) {
				t.Fatalf("error %+v, want %s naming %s", e, bc.errCode, bc.errField)
			}

			f := bad.create(bc.code, bc.deal, broker)
			f[bc.errField] = strings.Repeat("9", 200)
			expectModelState(t, bad.call("PUT", "/API/v1/NACCS/"+bc.code+"/Update", f), "request."+bc.errField, "maximum length")
		})
	}
}

func pad(code string) string { return code + strings.Repeat(" ", 5-len(code)) }
