package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// The table replaces what lies between these markers in the results file, so the file can
// carry other sections (memory figures, in-process benchmarks) that this run does not write.
const (
	beginMarker = "<!-- bench-peers:begin -->"
	endMarker   = "<!-- bench-peers:end -->"
)

func report(c config, results []result, cores int, at time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## Peer benchmark (`make bench-peers`)\n\n", beginMarker)
	fmt.Fprintf(&b, "%s, %d cores, %s; wrk -t%d -c%d, %s warm-up, then %d × %s per server, one server at a time; "+
		"every request `POST %s` with a fresh 36-character `transactionId` (wrk Lua). upmock serves the real call: "+
		"session clock frozen through the control API, HS256 JWT signed for that instant, OpenAPI validation, journal on.",
		at.Format("2006-01-02 15:04 UTC"), cores, runtime.GOOS+"/"+runtime.GOARCH, c.threads, c.connections, c.warmup, c.runs, c.duration, route)
	if c.soak > 0 {
		fmt.Fprintf(&b, " upmock's RSS after load is read after a further %s of the same load on the same session: %s of load in all.",
			c.soak, c.warmup+time.Duration(c.runs)*c.duration+c.soak)
	}
	b.WriteString("\n\n| server | req/s | × bare | p50 | p99 | RSS idle | RSS after load | server CPU / request | start-up to first answer |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	var bare float64
	for _, r := range results {
		if r.name == "bare" {
			bare = r.reqPerSec
		}
	}
	for _, r := range results {
		ratio := "–"
		if bare > 0 {
			ratio = fmt.Sprintf("%.2f", r.reqPerSec/bare)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.label, thousands(r.reqPerSec), ratio,
			ms(r.p50), ms(r.p99), mib(r.rssIdle), mib(r.rssLoad), us(r.cpuPerReq), ms(r.startup))
	}
	b.WriteString("\nRSS covers the server's whole process tree (WireMock: Node launcher and JVM). CPU per request is the " +
		"tree's user+system time over the measured runs divided by the requests wrk completed. Start-up is from exec to the " +
		"first HTTP answer of any kind.\n")
	for _, r := range results {
		if r.socketErrors != "" {
			fmt.Fprintf(&b, "\n%s: wrk socket errors: %s\n", r.label, r.socketErrors)
		}
	}
	b.WriteString(endMarker + "\n")
	return b.String()
}

// writeResults puts md between the markers of path, or appends it.
func writeResults(path, md string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + md + text[j+len(endMarker)+1:]
	case text == "":
		text = "# Benchmark results\n\n" + md
	default:
		text += "\n" + md
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }
