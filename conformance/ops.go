package conformance

// Op is one operation of the driver protocol, as DRIVER.md's tables define it.
type Op struct {
	Name   string // "atlas.registerShipping"
	Params string // what the suite sends, in DRIVER.md's shorthand
	Result string // what the driver answers
}

// Ops are every API's operations, in DRIVER.md's order. The skeleton generator writes one
// handler per op from this table; ops_test.go keeps it in step with DRIVER.md and with the
// ops the specs send.
var Ops = map[string][]Op{
	"atlas": {
		{"atlas.registerShipping", "Registration", "{} once the upstream accepted it"},
		{"atlas.registerReceiving", "Registration", "{}"},
		{"atlas.downloadShipping", `{"cursor": null or string}`, `{"records": [ActualShipping...], "cursor": string}`},
		{"atlas.downloadInactive", `{"cursor": null or string}`, `{"inactiveTrackingIds": [InactiveTrackingId...], "cursor": string}`},
		{"atlas.getMaster", `{"name": string, "lastDownloadDateTime": null or string}`, `{"found": bool, "content": string}`},
		{"atlas.getLogCredentials", "{}", "the upstream's Credentials object"},
	},
	"jaia": {
		{"jaia.createStores", `{"defaults"?: Store, "stores": [Store...]}`, `{"created": number} once the upstream stored them`},
		{"jaia.updateStore", `{"store": Store}`, "{}"},
		{"jaia.deleteStore", `{"jaiaCode": string}`, "{}"},
		{"jaia.searchStores", "Search", `{"total": number, "stores": [row...]}`},
		{"jaia.exportDeletedStores", `{"conditions": [Condition...], "infoOpenStatus"?: string}`, `{"csv": string}`},
		{"jaia.getCodes", `{"codeIds": [string...]}`, `{"codes": [metadataList rows...]}`},
		{"jaia.logout", "{}", "{}"},
	},
	"occto": {
		{"occto.submit", `{"filename": string, "xml": string}`, `{"filereceptionno", "status": "02"|"09", "statusName", "errors": [...]}`},
		{"occto.listPlans", `{"from"?: "YYYYMMDD", "plandivision"?: "01"|"02"|"03"}`, `{"plans": [...]}`},
		{"occto.fetchPlans", `{"from"?: "YYYYMMDD", "plandivision"?: "01"|"02"|"03"}`, `{"plans": [{"plandivision", "occtoreceptionno", "entryName", "xml"}...]}`},
		{"occto.listFiles", `{"from"?: "YYYYMMDD"}`, `{"files": [...]}`},
	},
	"ics2no": {
		{"ics2no.present", "Presentation", `{"requestId": string, "status": "SUCCESS", "alreadyPresented": bool}`},
		{"ics2no.processRouting", "{}", `{"signals": [...], "decisions": [...]}`},
	},
	"naccs": {
		{"naccs.submit", `{"businessCode", "dealNo", "fields": {...}}`, "Job once the output is fetched"},
		{"naccs.amend", `{"callUpCode", "dealNo", "key": {...}, "changes": {...}}`, "Job of the amended registration"},
		{"naccs.saveForm", `{"businessCode", "dealNo", "fields": {...}}`, `{"dealReportId", "_etag"}`},
		{"naccs.webhooks", "{}", `{"webhooks": [...]}`},
	},
}
