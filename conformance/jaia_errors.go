package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// jaiaUnexpected is the envelope of an abnormal end the specs inject (the manual's 500 text).
const (
	jaiaUnexpected   = "予期せぬエラーが発生しました。"
	jaiaUnexpectedEE = `{"result":1,"code":500,"errorMessageList":["` + jaiaUnexpected + `"]}`
)

var _ = Describe("JAIA", func() {
	It(ruleJaiaResult2.Name(), ruleJaiaResult2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaResult2
		j := newJaiaSession(ctx)
		taken := j.seedStores(ctx, "DB", 1)[0]
		// Five stores, three of them wrong in three ways: another company's code, the same
		// code twice in the file, and a code the upstream already holds.
		stores := jaiaStores("R2", 5)
		stores[1]["jaiaCode"] = "1002" + stores[1]["jaiaCode"][4:]
		stores[3]["jaiaCode"] = stores[2]["jaiaCode"]
		stores[4]["jaiaCode"] = taken
		_, derr := j.createStores(ctx, stores)

		writes := filter(j.journal(ctx), func(e control.Entry) bool {
			return e.Operation == "STORE_IMPORT_CREATE" || e.Operation == "STORE_CREATE"
		})
		did := fmt.Sprintf("The suite asked for 5 stores, three of them wrong (another company's code, a code twice, a code "+
			"already stored). Requests:\n%s\nDriver: %s", describeAll(writes), outcome(derr))
		var refused []string
		for _, e := range writes {
			if a := jaiaAnswerOf(e); !a.ok(e) {
				refused = append(refused, a.messages()...)
			}
		}
		Expect(refused).NotTo(BeEmpty(), "the spec needs the upstream to refuse the stores; it saw:\n%s", describeAll(writes))
		check(derr != nil, r, "%s\nThe upstream refused the stores; the client reported success.", did)
		var dropped []string
		for _, m := range refused {
			if !strings.Contains(derr.Message, jaiaMessageText(m)) {
				dropped = append(dropped, "「"+m+"」")
			}
		}
		check(len(dropped) == 0, r, "%s\nThe upstream answered %d messages; the failure the client reported lacks %d of them:\n%s",
			did, len(refused), len(dropped), strings.Join(dropped, "\n"))
	})

	It(ruleJaiaExport1.Name(), ruleJaiaExport1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaExport1
		j := newJaiaSession(ctx)
		stamp := time.Now().UTC().Format("2006/01/02 15:04:05.000")
		codes := j.seedStoreRows(ctx, "XP", 5, func(i int, row map[string]string) {
			if i%2 == 0 { // 0, 2 and 4 are deleted
				row["delete_date"], row["delete_user"], row["delete_pgid"] = stamp, "SYSTEM", "SEED"
			}
		})
		params := map[string]any{"conditions": jaiaByCompany, "infoOpenStatus": "99"}

		// A normal end: the CSV, as the upstream wrote it.
		raw, derr := j.call(ctx, "jaia.exportDeletedStores", params)
		exports := filter(j.journal(ctx), jaiaOp("STORE_EXPORT_DELETED"))
		var file struct {
			CSV string `json:"csv"`
		}
		if derr == nil {
			Expect(parseJSON(raw, &file)).To(Succeed(), "jaia.exportDeletedStores must answer {\"csv\": string}; it answered %s", clip(string(raw), 300))
		}
		did := fmt.Sprintf("Stores %s were seeded, %s, %s and %s of them deleted; the suite asked for the company's deleted stores. Exports:\n%s\nDriver: %s",
			strings.Join(codes, ", "), codes[0], codes[2], codes[4], describeAll(exports), outcome(derr))
		check(derr == nil, r, "%s\nThe export ended normally; the client reported a failure.", did)
		var served string
		for _, e := range exports {
			if jaiaIsFile(e) {
				served = e.ResponseBody
			}
		}
		check(served != "" && file.CSV == served, r, "%s\nThe driver returned:\n%s\nThe upstream's file was:\n%s", did, clip(file.CSV, 400), clip(served, 400))

		// An abnormal end, answered HTTP 200 in the upstream's envelope.
		envelope := jaiaUnexpectedEE
		_, err := j.ctl.AddFault(ctx, control.Fault{API: "jaia", Method: "POST", Path: "/stores/export/deleted", Count: 1,
			Status: 200, Body: &envelope})
		Expect(err).NotTo(HaveOccurred(), "injecting the abnormal end")
		before := len(exports)
		raw, derr = j.call(ctx, "jaia.exportDeletedStores", params)
		exports = filter(j.journal(ctx), jaiaOp("STORE_EXPORT_DELETED"))
		did = fmt.Sprintf("The suite made the upstream end the next export abnormally: HTTP 200 with %s. Exports:\n%s\nDriver: %s",
			jaiaUnexpectedEE, describeAll(exports[before:]), outcome(derr))
		if derr == nil {
			// Success only from a later export that did end normally.
			last := exports[len(exports)-1]
			check(len(exports)-before > 1 && jaiaIsFile(last), r,
				"%s\nThe client reported success, returning %s as the file.", did, clip(string(raw), 200))
		} else {
			check(strings.Contains(derr.Message, jaiaUnexpected), r, "%s\nThe failure does not carry the upstream's message 「%s」.", did, jaiaUnexpected)
		}

		// An abnormal end of the upstream's own: a date condition that is not a date.
		before = len(exports)
		_, derr = j.call(ctx, "jaia.exportDeletedStores", map[string]any{"infoOpenStatus": "99",
			"conditions": []map[string]any{{"columnName": "info_open_start_date", "value": "2024-01-01", "operator": 1}}})
		exports = filter(j.journal(ctx), jaiaOp("STORE_EXPORT_DELETED"))
		did = fmt.Sprintf("The suite asked for deleted stores whose info_open_start_date ≥ \"2024-01-01\" (not YYYYMMDD). Exports:\n%s\nDriver: %s",
			describeAll(exports[before:]), outcome(derr))
		var msgs []string
		for _, e := range exports[before:] {
			msgs = append(msgs, jaiaAnswerOf(e).messages()...)
		}
		Expect(msgs).NotTo(BeEmpty(), "the spec needs the upstream to refuse the condition; it saw:\n%s", describeAll(exports[before:]))
		check(derr != nil, r, "%s\nThe upstream ended the export abnormally; the client reported success.", did)
		for _, m := range msgs {
			check(strings.Contains(derr.Message, m), r, "%s\nThe failure does not carry the upstream's message 「%s」.", did, m)
		}
	})
})

// jaiaMessageText is a message as a client may quote it: an import row error's text
// (drivers may write the row as they like, DRIVER.md).
func jaiaMessageText(m string) string {
	if _, text, ok := strings.Cut(m, ": "); ok && strings.HasPrefix(m, "row ") {
		return text
	}
	return m
}

// jaiaIsFile reports whether an export was answered with the file: 200 and no envelope.
func jaiaIsFile(e control.Entry) bool { return e.Status == 200 && jaiaAnswerOf(e).Result == nil }
