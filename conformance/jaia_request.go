package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// The messages the upstream answers a wrong apiId and a wrong appId with (§1-4 checks).
const (
	jaiaAPIIDMismatch = "入力された API ID が一致しません。"
	jaiaAppIDRequired = "項目「APP ID」は必須項目です。"
)

var _ = Describe("JAIA", func() {
	It(ruleJaiaReq1.Name(), ruleJaiaReq1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaReq1
		j := newJaiaSession(ctx)
		// One operation of every kind the driver has. Their outcome is judged by the
		// journal: a wrong apiId or appId is refused by the upstream.
		stores := jaiaStores("RQ", 3)
		j.call(ctx, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING", "STORE_FORMAT"}})
		j.createStores(ctx, stores[:1])
		j.createStores(ctx, stores[1:])
		renamed := jaiaStore(stores[0]["jaiaCode"])
		renamed["storeName"] = "改装コンフォーマンス店舗"
		j.call(ctx, "jaia.updateStore", map[string]any{"store": renamed})
		j.searchStores(ctx, 0)
		j.call(ctx, "jaia.deleteStore", map[string]any{"jaiaCode": stores[1]["jaiaCode"]})
		j.call(ctx, "jaia.exportDeletedStores", map[string]any{"conditions": jaiaByCompany, "infoOpenStatus": "99"})
		j.call(ctx, "jaia.logout", map[string]any{})

		entries := j.journal(ctx)
		calls := filter(entries, func(e control.Entry) bool { return e.Operation != "AUTH_LOGIN" && e.Operation != "AUTH_LOGOUT" })
		Expect(len(calls)).To(BeNumerically(">=", 5), "the spec needs the driver's calls to reach upmock; it saw:\n%s", describeAll(entries))
		var bad []string
		for _, e := range entries {
			if problem := jaiaCommonProblem(e, j.userID); problem != "" {
				bad = append(bad, describe(e)+"\n    "+problem)
			}
		}
		served := filter(calls, func(e control.Entry) bool { return jaiaAnswerOf(e).ok(e) })
		check(len(served) > 0, r, "The suite asked for codes, one store, two stores, an update, a search, a delete, "+
			"the deleted stores' export and a logout. The upstream refused every call, so their common items were never "+
			"checked past the refusal:\n%s\n%s", describeAll(calls), strings.Join(jaiaLoginProblems(entries, jaiaUserMail), "\n"))
		check(len(bad) == 0, r, "The suite asked for codes, one store, two stores, an update, a search, a delete, "+
			"the deleted stores' export and a logout, as user %s. Requests with wrong common items:\n%s", j.userID, strings.Join(bad, "\n"))
	})
})

// jaiaCommonProblem says what is wrong with a request's apiId, userId and appId ("" when
// nothing is). Login carries appId only, logout userId and appId (§1-4 ※).
func jaiaCommonProblem(e control.Entry, userID string) string {
	if e.Operation == "" {
		return "no JAIA API has this method and path"
	}
	doc, err := jaiaCommonItems(e)
	if err != nil {
		return err.Error()
	}
	var wrong []string
	want := func(key, value string) {
		got, present := doc[key]
		switch {
		case !present:
			wrong = append(wrong, fmt.Sprintf("no %s (want %q)", key, value))
		case got != value:
			wrong = append(wrong, fmt.Sprintf("%s %v (want %q)", key, jsonish(got), value))
		}
	}
	want("appId", "EXTERNAL")
	if e.Operation != "AUTH_LOGIN" {
		want("userId", userID)
	}
	if e.Operation != "AUTH_LOGIN" && e.Operation != "AUTH_LOGOUT" {
		want("apiId", e.Operation)
	}
	a := jaiaAnswerOf(e)
	for _, msg := range []string{jaiaAPIIDMismatch, jaiaAppIDRequired} {
		if a.hasMessage(msg) {
			wrong = append(wrong, "the upstream answered 「"+msg+"」")
		}
	}
	return strings.Join(wrong, "; ")
}

func jsonish(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}
