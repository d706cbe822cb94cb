package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// jaiaLongText is n characters of valid 全角 text, distinct for each seed: a name at the
// manual's 「最大 100 桁」 is 300 bytes of UTF-8.
func jaiaLongText(seed, n int, alphabet string) string {
	runes := []rune(alphabet)
	var b strings.Builder
	for i := range n {
		b.WriteRune(runes[(seed*7+i)%len(runes)])
	}
	return b.String()
}

const (
	jaiaKanjiNames = "東京都千代田区九段南一丁目娯楽施設店舗名称大阪府名古屋市中央通り駅前本店支店"
	jaiaKanaNames  = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
)

var _ = Describe("JAIA", func() {
	It(ruleJaiaStore1.Name(), ruleJaiaStore1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaStore1
		j := newJaiaSession(ctx)
		// One store alone, then three at once, each named with 100 characters; then one
		// renamed (100 other characters) and one deleted.
		stores := jaiaStores("ST", 4)
		for i, s := range stores {
			s["storeName"] = jaiaLongText(i, 100, jaiaKanjiNames)
		}
		_, derr1 := j.createStores(ctx, stores[:1])
		_, derr2 := j.createStores(ctx, stores[1:])
		renamed := jaiaStore(stores[1]["jaiaCode"])
		renamed["storeName"] = jaiaLongText(9, 100, jaiaKanjiNames)
		_, derr3 := j.call(ctx, "jaia.updateStore", map[string]any{"store": renamed})
		_, derr4 := j.call(ctx, "jaia.deleteStore", map[string]any{"jaiaCode": stores[2]["jaiaCode"]})

		held := j.storedStores(ctx)
		writes := filter(j.journal(ctx), func(e control.Entry) bool {
			return e.Operation != "AUTH_LOGIN" && e.Operation != "STORE_SELECT"
		})
		did := fmt.Sprintf("The suite asked for one store, then three at once (100-character names), renamed %s (100 other "+
			"characters) and deleted %s. The upstream saw:\n%s\nDriver: create %s; create %s; update %s; delete %s",
			renamed["jaiaCode"], stores[2]["jaiaCode"], describeAll(writes), outcome(derr1), outcome(derr2), outcome(derr3), outcome(derr4))
		var wrong []string
		want := func(code, what string, ok bool, detail string) {
			if !ok {
				wrong = append(wrong, fmt.Sprintf("%s %s: %s", code, what, detail))
			}
		}
		for i, s := range stores {
			code := s["jaiaCode"]
			row, found := held[code]
			reported := derr1 == nil
			if i > 0 {
				reported = derr2 == nil
			}
			if !reported {
				continue // a failure the client reported is judged by the result rules
			}
			if !found {
				want(code, "created", false, "the driver reported it created; the upstream holds no such store")
				continue
			}
			name := s["storeName"]
			if i == 1 && derr3 == nil {
				name = renamed["storeName"]
			}
			want(code, "store_name", row["store_name"] == name, fmt.Sprintf("the upstream holds %q (%d characters); the client was given %q (%d characters)",
				row["store_name"], utf8.RuneCountInString(row["store_name"]), name, utf8.RuneCountInString(name)))
			if i == 2 && derr4 == nil {
				want(code, "deleted", row["delete_date"] != "", "the driver reported it deleted; the upstream holds it undeleted")
			}
		}
		// A request refused for its common items is JAIA-REQ-1's business; then one
		// operation reported done is enough here (a client refused everything still fails).
		var malformed []string
		for _, e := range writes {
			if p := jaiaCommonProblem(e, j.userID); p != "" {
				malformed = append(malformed, describe(e)+": "+p)
			}
		}
		failed := 0
		for _, d := range []*driver.Error{derr1, derr2, derr3, derr4} {
			if d != nil {
				failed++
			}
		}
		if len(malformed) == 0 {
			check(failed == 0, r, "%s\nEvery operation was valid; the client reported %d of the 4 failed.", did, failed)
		} else {
			check(failed < 4, r, "%s\nThe client reported every operation failed (requests refused for their common items, "+
				"which JAIA-REQ-1 judges:\n%s).", did, strings.Join(malformed, "\n"))
		}
		sort.Strings(wrong)
		check(len(wrong) == 0, r, "%s\nWhat the upstream holds differs from what the client reported done:\n%s", did, strings.Join(wrong, "\n"))
	})

	It(ruleJaiaRead1.Name(), ruleJaiaRead1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaRead1
		j := newJaiaSession(ctx)
		// 400 stores with 100-character names and readings: a 200-row page is about
		// 130 KB of JSON.
		names := map[string][2]string{}
		codes := j.seedStoreRows(ctx, "RD", 400, func(i int, row map[string]string) {
			row["store_name"] = jaiaLongText(i, 100, jaiaKanjiNames)
			row["store_name_kana"] = jaiaLongText(i, 100, jaiaKanaNames)
			names[row["jaia_code"]] = [2]string{row["store_name"], row["store_name_kana"]}
		})
		raw, derr := j.call(ctx, "jaia.searchStores", map[string]any{"conditions": jaiaByCompany,
			"columns": []string{"jaia_code", "store_name", "store_name_kana"}, "infoOpenStatus": "99", "displayNumber": jaiaMaxDisplay})
		var res jaiaSearchResult
		if derr == nil {
			Expect(json.Unmarshal(raw, &res)).To(Succeed(), "jaia.searchStores must answer {\"total\": number, \"stores\": [object…]}; it answered %s", clip(string(raw), 300))
		}
		var pages []string
		for _, e := range filter(j.journal(ctx), jaiaOp("STORE_SELECT")) {
			pages = append(pages, describe(e))
		}
		did := fmt.Sprintf("400 stores with 100-character names (300 bytes each) were seeded; the suite asked for all of them "+
			"in pages of 200. Searches:\n%s\nDriver: %s, %d stores returned", strings.Join(pages, "\n"), outcome(derr), len(res.Stores))
		check(derr == nil, r, "%s\nThe search failed; the upstream answered it.", did)
		var wrong []string
		got := map[string]bool{}
		for _, s := range res.Stores {
			code := s["jaia_code"]
			got[code] = true
			w, known := names[code]
			if known && (s["store_name"] != w[0] || s["store_name_kana"] != w[1]) {
				wrong = append(wrong, fmt.Sprintf("%s: store_name %q, store_name_kana %q", code, clip(s["store_name"], 60), clip(s["store_name_kana"], 60)))
			}
		}
		for _, c := range codes {
			if !got[c] {
				wrong = append(wrong, c+": missing")
			}
		}
		check(len(wrong) == 0, r, "%s\n%d of the 400 stores are missing or differ from what the upstream sent, e.g.:\n%s",
			did, len(wrong), strings.Join(wrong[:min(5, len(wrong))], "\n"))
	})
})
