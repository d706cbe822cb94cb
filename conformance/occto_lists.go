package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
)

// occtoLongList is how many plans OCCTO-DATA-2 lists: with their random names the answer is
// about 120 KB of Base64, beyond a 64 KiB read.
const occtoLongList = 1000

var _ = Describe("OCCTO outage-plan WebAPI: lists", func() {
	It(ruleOcctoData2.Name(), ruleOcctoData2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoData2
		o := newOcctoSession(ctx)
		// Names of 50 random kanji keep the deflated answer large.
		rnd := rand.New(rand.NewPCG(9, 2026))
		seeded := make([]occtoPlan, occtoLongList)
		for i := range seeded {
			seeded[i] = newOcctoPlan([]string{"01", "02", "03"}[i%3], i+1)
			seeded[i].ReceptionNo = fmt.Sprintf("%010d", 6100000+i*37+rnd.IntN(30))
			seeded[i].SubmitPlanNo = fmt.Sprintf("LL-%05d-%08x", i, rnd.Uint32())
			name := make([]rune, 50)
			for j := range name {
				name[j] = rune(0x4E00 + rnd.IntN(0x5000))
			}
			seeded[i].FacilityName = string(name)
		}
		o.seedPlans(ctx, seeded...)
		plans, derr := o.plans(ctx, "occto.listPlans", map[string]string{})

		entries := o.journal(ctx)
		lists := byOperation(entries, "BA13B103")
		Expect(lists).NotTo(BeEmpty(), "the spec needs a list call; upmock saw:\n%s", describeAll(entries))
		// The journal keeps an answer's first 64 KiB: a full record means a larger answer.
		Expect(len(lists[len(lists)-1].ResponseBody)).To(BeNumerically(">=", 64<<10), "the spec needs a list answer over 64 KiB")
		var problems []string
		if derr != nil {
			problems = append(problems, "the driver failed: "+describeDriverError(derr))
		}
		got := map[string]planResult{}
		for _, p := range plans {
			got[p.ReceptionNo] = p
		}
		missing, wrong := 0, 0
		for _, want := range seeded {
			p, ok := got[want.ReceptionNo]
			switch {
			case !ok:
				if missing++; missing <= 5 {
					problems = append(problems, "plan "+want.ReceptionNo+" is missing")
				}
			case p.Division != want.Division || p.FacilityName != want.FacilityName:
				if wrong++; wrong <= 5 {
					problems = append(problems, fmt.Sprintf("plan %s: plandivision %q facilityName %q, listed %q %q",
						want.ReceptionNo, p.Division, p.FacilityName, want.Division, want.FacilityName))
				}
			}
		}
		if missing+wrong > 0 {
			problems = append(problems, fmt.Sprintf("%d plans missing, %d read wrong, of %d", missing, wrong, len(seeded)))
		}
		check(len(problems) == 0, r, "The suite stored %d plans of the user's company and asked for the plan list; upmock's answer "+
			"was over 64 KiB (Base64 of a ZIP); the driver returned %d plans.\n%s\n\nCalls:\n%s",
			len(seeded), len(plans), strings.Join(problems, "\n"), describeAll(entries))
	})

	It(ruleOcctoFiles1.Name(), ruleOcctoFiles1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoFiles1
		o := newOcctoSession(ctx)
		// Files stay 処理中 for an hour of the mock clock; the suite moves the clock on once
		// the client has read the status twice, so a client must poll, and no timing of the
		// machine decides what it sees.
		o.patchSettings(ctx, map[string]any{"processingDelay": "1h"})
		stop := o.settleAfterPolls(ctx, 2, time.Hour)
		good1 := o.occtoMessage(newOcctoPlan("01", 21), newOcctoPlan("02", 22))
		good2 := o.occtoMessage(newOcctoPlan("03", 23))
		bad := strings.Replace(o.occtoMessage(newOcctoPlan("02", 24)), "<STOP_REASON_CD>02<", "<STOP_REASON_CD>99<", 1)
		type outcome struct {
			name string
			res  submitResult
			err  string
		}
		var outcomes []outcome
		for _, f := range []struct{ name, xml string }{{"files-a.xml", good1}, {"files-b.xml", good2}, {"files-c.xml", bad}} {
			res, derr := o.submit(ctx, f.name, f.xml)
			outcomes = append(outcomes, outcome{f.name, res, describeOcctoError(derr)})
		}
		stop()
		raw, lerr := o.op(ctx, "occto.listFiles", map[string]string{})
		var listed struct {
			Files []listedFile `json:"files"`
		}
		if lerr == nil {
			Expect(json.Unmarshal(raw, &listed)).To(Succeed(), `occto.listFiles must answer {"files": […]}; it answered %s`, raw)
		}

		var state struct {
			Files []struct{ FileReceptionNo, Status string } `json:"files"`
			Plans []struct {
				FileReceptionNo string `json:"filereceptionno"`
			} `json:"plans"`
		}
		Expect(o.ctl.State(ctx, "occto", &state)).To(Succeed())
		entries := o.journal(ctx)
		var problems, did []string
		for _, oc := range outcomes {
			did = append(did, fmt.Sprintf("submit %s → %s status %q %q", oc.name, oc.err, oc.res.Status, oc.res.StatusName))
			if oc.res.Status != "02" {
				continue
			}
			i := slices.IndexFunc(state.Files, func(f struct{ FileReceptionNo, Status string }) bool {
				return f.FileReceptionNo == oc.res.FileReceptionNo
			})
			plans := 0
			for _, p := range state.Plans {
				if p.FileReceptionNo == oc.res.FileReceptionNo {
					plans++
				}
			}
			switch {
			case i < 0:
				problems = append(problems, fmt.Sprintf("%s was reported 受付完了 as file %q, which upmock does not know", oc.name, oc.res.FileReceptionNo))
			case state.Files[i].Status != "02" || plans == 0:
				problems = append(problems, fmt.Sprintf("%s was reported 受付完了, but upmock has file %s in status %s with %d plans registered",
					oc.name, oc.res.FileReceptionNo, state.Files[i].Status, plans))
			}
		}
		if lerr != nil {
			problems = append(problems, "listFiles failed: "+describeDriverError(lerr))
		} else if lists := byOperation(entries, "BA13B006"); len(lists) > 0 {
			served := servedFiles(lists[len(lists)-1])
			for _, want := range served {
				if !slices.Contains(listed.Files, want) {
					problems = append(problems, fmt.Sprintf("listFiles: the last receipt-file list served %+v; the driver did not return it so", want))
				}
			}
			if len(listed.Files) != len(served) {
				problems = append(problems, fmt.Sprintf("listFiles returned %d files; the list served %d", len(listed.Files), len(served)))
			}
		}
		check(len(problems) == 0, r, "With files 処理中 until the client had read the status twice, the suite submitted two good files "+
			"and a broken one, then asked for the receipt-file list.\n%s\n\nDriver:\n%s\nCalls:\n%s",
			strings.Join(problems, "\n"), strings.Join(did, "\n"), describeAll(entries))
	})
})

// listedFile is one file of occto.listFiles, and of a served BA13B006 answer.
type listedFile struct {
	ReceptionNo string `json:"filereceptionno"`
	Name        string `json:"fileName"`
	Status      string `json:"status"`
	StatusName  string `json:"statusName"`
	PlanCount   int    `json:"planCount"`
	ErrorCount  int    `json:"errorCount"`
}

// servedFiles are the FILE_INFO of a journaled BA13B006 answer.
func servedFiles(e control.Entry) []listedFile {
	doc, err := answerFile(e)
	if err != nil {
		return nil
	}
	var out []listedFile
	for _, f := range doc.FindElements("SBD-MSG/FILE_INFO") {
		text := func(tag string) string {
			if c := f.SelectElement(tag); c != nil {
				return c.Text()
			}
			return ""
		}
		var plans, errs int
		_, _ = fmt.Sscan(text("PLAN_CNT"), &plans)
		_, _ = fmt.Sscan(text("ERR_CNT"), &errs)
		out = append(out, listedFile{text("FILERECEPTIONNO"), text("FILE_NM"), text("PLAN_RECPT_STAT"), text("PLAN_RECPT_STAT_NM"), plans, errs})
	}
	return out
}

// settleAfterPolls moves the session's clock on by step each time the client has read the
// receipt-file list polls times since its last registration (or the last move), so files
// settle only for a client that polls. Call the returned func to stop it.
func (o *occtoSession) settleAfterPolls(ctx context.Context, polls int, step time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer GinkgoRecover()
		defer wg.Done()
		var movedAt int64
		tick := time.NewTicker(15 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			entries, err := o.ctl.Requests(ctx, "occto")
			if err != nil {
				continue
			}
			since, seen := movedAt, 0
			for _, e := range entries {
				if e.Operation == "BA13B101" && e.Seq > since {
					since = e.Seq
				}
			}
			for _, e := range entries {
				if e.Operation == "BA13B006" && e.Seq > since {
					seen++
				}
			}
			if seen >= polls {
				if _, err := o.ctl.AdvanceClock(ctx, step); err == nil {
					movedAt = entries[len(entries)-1].Seq
				}
			}
		}
	}()
	stop = func() { cancel(); wg.Wait() }
	DeferCleanup(stop)
	return stop
}
