package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/upmock/upmock/mocks"
	"github.com/upmock/upmock/mocks/core"
)

type serveFlags struct {
	fs          *flag.FlagSet
	listen      string
	apis        string
	tls         bool
	certDir     string
	stateDir    string
	fixtures    string
	logFormat   string
	maxSessions int
	pprof       string
	port        string
	memoryMiB   int64
}

func newServeFlags(out io.Writer) *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("serve", flag.ContinueOnError)}
	f.fs.SetOutput(out)
	f.fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on (:0 picks a free port)")
	f.fs.StringVar(&f.apis, "apis", "", "comma list of APIs to serve (default all)")
	f.fs.BoolVar(&f.tls, "tls", false, "serve HTTPS with a generated CA, server and client certificate")
	f.fs.StringVar(&f.certDir, "cert-dir", defaultCertDir(), "where --tls writes (and reuses) its certificates")
	f.fs.StringVar(&f.stateDir, "state-dir", "", "keep every session's state in this directory, durable before each answer, restored on start")
	f.fs.StringVar(&f.fixtures, "fixtures", "", "directory laid out like fixtures/ replacing the embedded set")
	f.fs.StringVar(&f.logFormat, "log-format", "text", "text or json")
	f.fs.IntVar(&f.maxSessions, "max-sessions", 256, "isolated sessions kept at once")
	f.fs.StringVar(&f.port, "port", "", "serve APIs at the root of listeners of their own: api=PORT or api=HOST:PORT, comma-separated (e.g. occto=8443,atlas=8081)")
	f.fs.Int64Var(&f.memoryMiB, "memory-budget", core.DefaultMemoryBudget>>20, "MiB that all sessions' journals and growing state may hold together; the oldest journal entries go first")
	f.fs.StringVar(&f.pprof, "pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6060); off by default")
	return f
}

func defaultCertDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "upmock", "certs")
	}
	return filepath.Join(os.TempDir(), "upmock-certs")
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newServeFlags(stderr)
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", f.fs.Args())
	}
	logger, err := newLogger(f.logFormat, stderr)
	if err != nil {
		return err
	}
	if f.memoryMiB <= 0 {
		return fmt.Errorf("--memory-budget %d: give a positive number of MiB", f.memoryMiB)
	}
	opts := mocks.Options{Listen: f.listen, Logger: logger, MaxSessions: f.maxSessions, MemoryBudget: f.memoryMiB << 20, StateDir: f.stateDir}
	if f.apis != "" {
		opts.APIs = strings.Split(f.apis, ",")
	}
	if opts.AtRoot, err = parsePorts(f.port, f.listen); err != nil {
		return err
	}
	if f.fixtures != "" {
		if _, err := os.Stat(f.fixtures); err != nil {
			return fmt.Errorf("--fixtures: %w", err)
		}
		opts.Fixtures = os.DirFS(f.fixtures)
	}
	var certs core.CertFiles
	if f.tls {
		if certs, err = core.EnsureCerts(f.certDir); err != nil {
			return fmt.Errorf("--tls: %w", err)
		}
		if opts.TLS, err = core.ServerTLSConfig(certs); err != nil {
			return fmt.Errorf("--tls: %w", err)
		}
		opts.CertFiles = &certs
	}
	if f.pprof != "" {
		stopPprof, err := startPprof(f.pprof, logger)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	started := time.Now()
	srv, err := mocks.Start(opts)
	if err != nil {
		return err
	}
	printBanner(stdout, srv, certs, f.tls, time.Since(started))
	<-ctx.Done()
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// printBanner tells a new user where everything is, in one write so request log lines never
// interleave with it. It stays short: the credentials (secrets, private keys) are served at
// /__upmock/credentials, not printed.
func printBanner(out io.Writer, srv *mocks.Server, certs core.CertFiles, tls bool, took time.Duration) {
	w := &bytes.Buffer{}
	defer func() { _, _ = out.Write(w.Bytes()) }()
	fmt.Fprintf(w, "upmock ready in %s on %s\n\n", took.Round(time.Millisecond), srv.URL())
	for _, api := range srv.APIs() {
		fmt.Fprintf(w, "  %-13s %s%s\n", api.Name(), srv.URL(), api.BasePath())
		if root := srv.RootURL(api.Name()); root != "" {
			fmt.Fprintf(w, "  %-13s %s/  (at the root of its own listener)\n", "", root)
		}
	}
	fmt.Fprintf(w, "  %-13s %s/__upmock/  (health, credentials, requests, reset, faults, maintenance, clock, specs, state, settings)\n", "control", srv.URL())
	fmt.Fprintf(w, "  sessions: prefix any path with /s/{name}/ for an isolated copy (or send %s: {name} on a root listener)\n\n", core.SessionHeader)
	if tls {
		fmt.Fprintf(w, "TLS: CA %s\n     client certificate %s, key %s\n\n", certs.CACert, certs.ClientCert, certs.ClientKey)
	}
	fmt.Fprintf(w, "test credentials (API keys, users, client secrets, the Maskinporten client's key): %s/__upmock/credentials\n\n", srv.URL())
}
