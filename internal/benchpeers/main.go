// Command benchpeers is `make bench-peers`: it measures upmock's real ATLAS call next to a bare
// net/http handler and the tools users would pick instead (WireMock, Prism, Mountebank), each
// serving a trivial stub for the same route, with one wrk load for all, and writes the table
// to bench/RESULTS.md. It installs what it needs (wrk from the system's packages, the peers
// from npm at pinned versions) and stops every process it started.
//
//	go run ./internal/benchpeers -warmup 20s -duration 10s -runs 3 -connections 32
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

type config struct {
	warmup, duration, soak time.Duration
	runs, connections      int
	threads                int
	peers                  string
	out, cache             string
	upmockFlags            string
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-bare-server" {
		serveBare(os.Args[2]) // the baseline runs as a process of its own, measured like the others
		return
	}
	var c config
	flag.DurationVar(&c.warmup, "warmup", 20*time.Second, "load before measuring, per server (the JVM needs it)")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of one measured run")
	flag.IntVar(&c.runs, "runs", 1, "measured runs per server (req/s is their mean, latency their worst)")
	flag.DurationVar(&c.soak, "soak", 0, "upmock only: extra load on the same session before the final RSS reading (the issue's 90 s check)")
	flag.IntVar(&c.connections, "connections", 32, "wrk connections")
	flag.IntVar(&c.threads, "threads", 2, "wrk threads")
	flag.StringVar(&c.peers, "peers", "bare,upmock,wiremock,wiremock-nojournal,prism,mountebank", "servers to measure, in order")
	flag.StringVar(&c.out, "out", "bench/RESULTS.md", "markdown file the table is written to")
	flag.StringVar(&c.cache, "cache", ".cache/bench-peers", "where npm packages and binaries are installed")
	flag.StringVar(&c.upmockFlags, "upmock-flags", "", "extra flags for upmock serve (e.g. --pprof 127.0.0.1:6060)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	cache, err := filepath.Abs(c.cache)
	if err != nil {
		return err
	}
	c.cache = cache
	if err := os.MkdirAll(c.cache, 0o755); err != nil {
		return err
	}
	names := strings.Split(c.peers, ",")
	if err := install(ctx, c, names); err != nil {
		return err
	}
	var results []result
	for _, name := range names {
		p, ok := peers[name]
		if !ok {
			return fmt.Errorf("unknown peer %q", name)
		}
		fmt.Fprintf(os.Stderr, "== %s\n", name)
		r, err := measure(ctx, c, name, p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "   %s\n", r.summary())
	}
	md := report(c, results, runtime.NumCPU(), time.Now().UTC())
	fmt.Print(md)
	if err := os.MkdirAll(filepath.Dir(c.out), 0o755); err != nil {
		return err
	}
	return writeResults(c.out, md)
}
