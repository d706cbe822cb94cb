package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// npmPackages are the peers, pinned. Prism 5.14.2 is the newest release that runs on Node 20
// (5.15 and later want Node 24); WireMock's package runs its standalone jar on the system's Java.
var npmPackages = map[string]string{
	"wiremock":   "wiremock@3.13.2",
	"prism":      "@stoplight/prism-cli@5.14.2",
	"mountebank": "@mbtest/mountebank@2.9.2",
}

// install provides wrk (apt-get when missing), the npm peers the run names (into the cache),
// and the upmock and bare binaries (built from this checkout).
func install(ctx context.Context, c config, names []string) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "installing wrk with apt-get")
		if err := runLogged(ctx, "", "apt-get", "update", "-qq"); err != nil {
			return fmt.Errorf("apt-get update: %w", err)
		}
		if err := runLogged(ctx, "", "apt-get", "install", "-y", "-qq", "wrk"); err != nil {
			return fmt.Errorf("apt-get install wrk (install it by hand and re-run): %w", err)
		}
	}
	var pkgs []string
	for _, name := range names {
		pkg := npmPackages[strings.TrimSuffix(name, "-nojournal")]
		if pkg == "" || installed(c.cache, pkg) || slices.Contains(pkgs, pkg) {
			continue
		}
		pkgs = append(pkgs, pkg)
	}
	if len(pkgs) > 0 {
		fmt.Fprintf(os.Stderr, "installing %s with npm into %s\n", strings.Join(pkgs, " "), c.cache)
		args := append([]string{"install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", c.cache}, pkgs...)
		if err := runLogged(ctx, "", "npm", args...); err != nil {
			return fmt.Errorf("npm install: %w", err)
		}
	}
	// The bare server is this program, re-executed with -bare-server, so it needs no build.
	return runLogged(ctx, "", "go", "build", "-o", filepath.Join(c.cache, "upmock"), "./cmd/upmock")
}

// installed reports whether the pinned version of pkg is in the cache.
func installed(cache, pkg string) bool {
	at := strings.LastIndex(pkg, "@")
	raw, err := os.ReadFile(filepath.Join(cache, "node_modules", pkg[:at], "package.json"))
	var meta struct{ Version string }
	return err == nil && json.Unmarshal(raw, &meta) == nil && meta.Version == pkg[at+1:]
}

func runLogged(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	return cmd.Run()
}
