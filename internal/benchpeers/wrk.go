package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The body around the transactionId: the document's sample registration (one item).
const (
	bodyHead = `{"transactionId":"`
	bodyTail = `","movementSlipNo":"78964456306232651242","baseId":"2114dbec-a137-11e8-9a80-ec21e50b3736",` +
		`"counterBaseId":"458435f8-2e5c-444b-b828-6f25f35f3a40","targetPath":null,"items":[{"trackingId":"000901000000000000040000-001",` +
		`"uid":"000901000000000000040000","autoIdType":"exampleType","path":"/Ship001/Cont001/Pallet001/000901000000000000040000-001/",` +
		`"itemCount":1,"movedDateTime":"2026-11-25T10:00:00.000000Z","individualRecognitionCode":null,"largeClassAggregationKey":"",` +
		`"middleClassAggregationKey":"","smallClassAggregationKey":"","isInactivated":false,"autoInactive":null}]}`
)

// luaScript gives every request a fresh 36-character transactionId: the run's prefix (wrk's
// argument), the thread's number and a counter.
const luaScript = `wrk.method = "POST"
%s
local head, tail = [==[%s]==], [==[%s]==]
local threads, counter, prefix = 0, 0, "x00"
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = args[1]
end
function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, head .. string.format("%%st%%02d-%%029d", prefix, tid, counter) .. tail)
end
`

func writeScript(c config, name string, headers map[string]string) (string, error) {
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		lines = append(lines, fmt.Sprintf("wrk.headers[%q] = %q", k, headers[k]))
	}
	path := filepath.Join(c.cache, name+".lua")
	return path, os.WriteFile(path, []byte(fmt.Sprintf(luaScript, strings.Join(lines, "\n"), bodyHead, bodyTail)), 0o644)
}

type wrkResult struct {
	reqPerSec    float64
	requests     int64
	p50, p99     time.Duration
	socketErrors string
}

var (
	wrkReqPerSec = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkRequests  = regexp.MustCompile(`(\d+) requests in`)
	wrkPercent   = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkNon2xx    = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSocket    = regexp.MustCompile(`Socket errors: (.*)`)
)

// runWrk loads url for d and parses wrk's report; any non-2xx answer fails the run.
func runWrk(ctx context.Context, c config, script, url string, d time.Duration, prefix string) (wrkResult, error) {
	var r wrkResult
	out, err := exec.CommandContext(ctx, "wrk", "-t", fmt.Sprint(c.threads), "-c", fmt.Sprint(c.connections),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "10s", "--latency", "-s", script, url, "--", prefix).CombinedOutput()
	text := string(out)
	if err != nil {
		return r, fmt.Errorf("wrk: %w: %s", err, text)
	}
	if m := wrkNon2xx.FindStringSubmatch(text); m != nil {
		return r, fmt.Errorf("wrk: %s answers were not 2xx:\n%s", m[1], text)
	}
	m := wrkReqPerSec.FindStringSubmatch(text)
	n := wrkRequests.FindStringSubmatch(text)
	if m == nil || n == nil {
		return r, fmt.Errorf("wrk: no throughput in\n%s", text)
	}
	r.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	r.requests, _ = strconv.ParseInt(n[1], 10, 64)
	for _, p := range wrkPercent.FindAllStringSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[p[3]]
		if p[1] == "50" {
			r.p50 = time.Duration(v * float64(unit))
		} else {
			r.p99 = time.Duration(v * float64(unit))
		}
	}
	if s := wrkSocket.FindStringSubmatch(text); s != nil {
		r.socketErrors = strings.TrimSpace(s[1])
	}
	return r, nil
}
