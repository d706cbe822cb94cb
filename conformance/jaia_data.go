package conformance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
)

// The upstream's page size limit and import row limit (§1-8, §1-17).
const (
	jaiaMaxDisplay    = 200
	jaiaMaxImportRows = 10000
	jaiaCSVTooMany    = "レコード数は 1 万件以内で入力してください。"
)

var _ = Describe("JAIA", func() {
	It(ruleJaiaPage1.Name(), ruleJaiaPage1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaPage1
		j := newJaiaSession(ctx)
		// Seeded, not created by the client: this rule is about reading. 250 stores are
		// more than a page of the largest page size.
		codes := j.seedStores(ctx, "PG", 250)
		res, derr := j.searchStores(ctx, 0)

		selects := filter(j.journal(ctx), jaiaOp("STORE_SELECT"))
		// The journal numbers requests as they finish; the pages are judged in the order
		// they arrived (a slow page 0 may finish after page 1).
		sort.SliceStable(selects, func(a, b int) bool { return selects[a].Time.Before(selects[b].Time) })
		var lines []string
		pages, size, total := []int{}, jaiaMaxDisplay, -1
		for _, e := range selects {
			doc, err := jaiaCommonItems(e)
			if err != nil {
				lines = append(lines, describe(e)+": "+err.Error())
				continue
			}
			page := jaiaNumber(doc, "pageNumber", 0)
			size = jaiaNumber(doc, "displayNumber", jaiaMaxDisplay)
			if size <= 0 || size > jaiaMaxDisplay {
				size = jaiaMaxDisplay
			}
			a := jaiaAnswerOf(e)
			note := fmt.Sprintf("%s pageNumber %s displayNumber %s", describe(e), sent(doc, "pageNumber"), sent(doc, "displayNumber"))
			if a.Total != nil {
				total = *a.Total
				note += fmt.Sprintf(" → total %d", total)
			}
			lines = append(lines, note)
			pages = append(pages, page)
		}
		did := fmt.Sprintf("250 stores of the client's company were seeded; the suite asked for all of them. Searches:\n%s\nDriver: %s, %d stores returned",
			strings.Join(lines, "\n"), outcome(derr), len(res.Stores))
		check(len(pages) > 0, r, "%s\nThe client never called the search API.", did)
		check(pages[0] == 0, r, "%s\nThe first page asked for was %d; pages are numbered from 0.", did, pages[0])
		for i := 1; i < len(pages); i++ {
			check(pages[i] == pages[i-1]+1, r, "%s\nAfter page %d the client asked for page %d.", did, pages[i-1], pages[i])
		}
		last := pages[len(pages)-1]
		check(total < 0 || (last+1)*size >= total, r,
			"%s\nThe client stopped after page %d of %d-row pages: ⌈%d ÷ %d⌉ = %d pages hold the whole total.",
			did, last, size, total, size, (total+size-1)/size)
		check(derr == nil, r, "%s\nThe search failed.", did)
		found := map[string]bool{}
		for _, s := range res.Stores {
			found[s["jaia_code"]] = true
		}
		var missing []string
		for _, c := range codes {
			if !found[c] {
				missing = append(missing, c)
			}
		}
		check(len(missing) == 0, r, "%s\nThe result lacks %d of the 250 stores, e.g. %s.", did, len(missing), strings.Join(missing[:min(3, len(missing))], ", "))
	})

	It(ruleJaiaBulk1.Name(), ruleJaiaBulk1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleJaiaBulk1
		j := newJaiaSession(ctx)
		created, derr := j.createStores(ctx, jaiaStores("BK", 5))

		entries := j.journal(ctx)
		singles := filter(entries, jaiaOp("STORE_CREATE"))
		imports := filter(entries, jaiaOp("STORE_IMPORT_CREATE"))
		did := fmt.Sprintf("The suite asked for 5 stores at once. The upstream saw:\n%s\nDriver: %s", describeAll(entries), outcome(derr))
		check(len(singles) == 0, r, "%s\nThe client called the single create API (POST /store) %d times for one set of 5 stores.", did, len(singles))
		check(len(imports) > 0, r, "%s\nThe client never called the import API (POST /stores/import).", did)
		imported := 0
		for _, e := range imports {
			if _, success, ok := jaiaAnswerOf(e).counts(); ok && jaiaAnswerOf(e).ok(e) {
				imported += success
			}
		}
		check(derr == nil && imported == 5, r, "%s\nThe imports stored %d of the 5 stores (driver: %d created).", did, imported, created)
	})

	It(ruleJaiaBulk2.Name(), ruleJaiaBulk2.Labels(), SpecTimeout(2*time.Minute), func(ctx SpecContext) {
		r := ruleJaiaBulk2
		j := newJaiaSession(ctx)
		const n = jaiaMaxImportRows + 1
		// The shared fields go once, as defaults; each store carries its own code only.
		stores := make([]map[string]string, n)
		for i := range stores {
			stores[i] = map[string]string{"jaiaCode": jaiaCode("XL", i)}
		}
		// Only the required fields: the rule is about the number of rows, not their content.
		defaults := map[string]string{"jaiaCompanyCode": jaiaCompany, "infoOpenStartDate": "20240101", "publishSetting": "01"}
		_, derr := j.createStoresWith(ctx, defaults, stores)

		entries := j.journal(ctx)
		var lines, over []string
		stored := 0
		for _, e := range entries {
			switch e.Operation {
			case "STORE_CREATE":
				if jaiaAnswerOf(e).ok(e) {
					stored++
				}
				continue
			case "STORE_IMPORT_CREATE":
			default:
				continue
			}
			a := jaiaAnswerOf(e)
			rows, known := jaiaImportRows(e)
			line := describe(e)
			if known {
				line += fmt.Sprintf(", %d data rows", rows)
			}
			if total, success, ok := a.counts(); ok && a.ok(e) {
				stored += success
				line += fmt.Sprintf(" (metadata total %d success %d)", total, success)
			}
			lines = append(lines, line)
			if a.hasMessage(jaiaCSVTooMany) || (known && rows > jaiaMaxImportRows) {
				over = append(over, line)
			}
		}
		did := fmt.Sprintf("The suite asked for 10,001 stores at once. Imports:\n%s\nDriver: %s",
			strings.Join(lines, "\n"), outcome(derr))
		check(len(over) == 0, r, "%s\nImports over 10,000 rows (refused with 「%s」):\n%s", did, jaiaCSVTooMany, strings.Join(over, "\n"))
		check(stored == n, r, "%s\nThe upstream stored %d of the 10,001 stores.", did, stored)
		check(derr == nil, r, "%s\nEvery store was stored; the client reported a failure.", did)
	})
})

// sent renders a request item for a failure message ("absent" when it was not sent).
func sent(doc map[string]any, key string) string {
	v, ok := doc[key]
	if !ok {
		return "absent"
	}
	return jsonish(v)
}

// jaiaImportRows is how many data rows an import's CSV held: the answer's metadata.total,
// or the file's lines when the journal holds the whole request.
func jaiaImportRows(e control.Entry) (int, bool) {
	if total, _, ok := jaiaAnswerOf(e).counts(); ok {
		return total, true
	}
	if e.BodyTruncated {
		return 0, false
	}
	_, file, ok := strings.Cut(e.Body, `name="file"`)
	if !ok {
		return 0, false
	}
	if _, after, found := strings.Cut(file, "\r\n\r\n"); found {
		file = after
	}
	if i := strings.LastIndex(file, "\r\n--"); i >= 0 {
		file = file[:i]
	}
	lines := strings.Count(strings.TrimRight(file, "\r\n"), "\n") + 1
	return lines - 1, true // the header is row 1
}
