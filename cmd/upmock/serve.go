package main

import (
	"bytes"
	"context"
	"errors"
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

	controlToken  string
	allowHosts    string
	allowNonLoop  bool
	conns         core.ConnLimits
	shutdownGrace time.Duration
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
	f.fs.StringVar(&f.controlToken, "control-token", "", "token the control API (/__upmock/) requires as Authorization: Bearer TOKEN; needed to listen beyond loopback (default $"+core.ControlTokenEnv+")")
	f.fs.StringVar(&f.allowHosts, "allow-host", "", "comma list of extra host names the control API accepts in Host (* for any), e.g. a proxy's or container's name")
	f.fs.BoolVar(&f.allowNonLoop, "allow-non-loopback-webhooks", false, "let NACCS webhooks post beyond loopback (only this flag can allow it)")
	f.fs.DurationVar(&f.conns.ReadHeaderTimeout, "read-header-timeout", core.DefaultReadHeaderTimeout, "time a client has to send a request's header")
	f.fs.DurationVar(&f.conns.ReadTimeout, "read-timeout", core.DefaultReadTimeout, "time a client has to send a whole request, body included")
	f.fs.DurationVar(&f.conns.WriteTimeout, "write-timeout", core.DefaultWriteTimeout, "time one write of an answer may stall while the client does not read (never cuts injected delays or a flowing download)")
	f.fs.DurationVar(&f.conns.IdleTimeout, "idle-timeout", core.DefaultIdleTimeout, "time a keep-alive connection may stay idle")
	f.fs.IntVar(&f.conns.MaxConns, "max-conns", core.DefaultMaxConns, "open connections at most; at the cap idle ones make room, and when all are busy a new one gets 503")
	f.fs.DurationVar(&f.shutdownGrace, "shutdown-grace", 10*time.Second, "on SIGTERM or Ctrl-C, how long requests in flight may finish before they are cut")
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
	logOut := newBatchWriter(stderr)
	defer logOut.Close()
	logger, err := newLogger(f.logFormat, logOut)
	if err != nil {
		return err
	}
	if f.memoryMiB <= 0 {
		return fmt.Errorf("--memory-budget %d: give a positive number of MiB", f.memoryMiB)
	}
	if f.controlToken == "" {
		f.controlToken = os.Getenv(core.ControlTokenEnv)
	}
	opts := mocks.Options{Listen: f.listen, Logger: logger, MaxSessions: f.maxSessions, MemoryBudget: f.memoryMiB << 20, StateDir: f.stateDir,
		ControlToken: f.controlToken, AllowNonLoopbackCalls: f.allowNonLoop, Conns: f.conns}
	if f.allowHosts != "" {
		opts.AllowHosts = strings.Split(f.allowHosts, ",")
	}
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
	logger.Info("shutting down", "grace", f.shutdownGrace)
	shutdown, cancel := context.WithTimeout(context.Background(), f.shutdownGrace)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if cut, ok := errors.AsType[*core.CutRequestsError](err); ok {
		// Cutting what outlives the grace period is what the user asked for; say it, not fail.
		logger.Warn("shut down: "+cut.Error(), "grace", f.shutdownGrace, "cut", cut.Requests)
		return nil
	}
	return err
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
// interleave with it. It stays short: one seeded login per API, and where all of them (with
// the private keys and certificates) are served, /__upmock/credentials.
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
	fmt.Fprintf(w, "  %-13s %s/__upmock/ui/  (the web console: journal, timeline, controls, state)\n", "console", srv.URL())
	fmt.Fprintf(w, "  sessions: prefix any path with /s/{name}/ for an isolated copy (or send %s: {name} on a root listener)\n\n", core.SessionHeader)
	if tls {
		fmt.Fprintf(w, "TLS: CA %s\n     client certificate %s, key %s\n\n", certs.CACert, certs.ClientCert, certs.ClientKey)
	}
	fmt.Fprintf(w, "test credentials, all of them with keys and certificates: %s/__upmock/credentials\n", srv.URL())
	sess, err := srv.Session(core.DefaultSession)
	if err == nil {
		for _, api := range srv.APIs() {
			if line := credentialLine(sess.Instance(api.Name()).Credentials()); line != "" {
				fmt.Fprintf(w, "  %-13s %s\n", api.Name(), line)
			}
		}
	}
	fmt.Fprintln(w)
}
