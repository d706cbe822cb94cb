// Package browser finds (or installs) headless Chromium for the project's browser tests and
// opens chromedp contexts on it with the flags this closed, sandboxed machine needs.
package browser

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// candidates are the names Debian, Ubuntu and Chrome install the browser under.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

var (
	findOnce sync.Once
	found    string
	why      string
)

// Path returns the browser's executable, installing Debian's chromium package first when
// none is found and the test runs as root. When none can be had it skips the test, saying why.
func Path(t testing.TB) string {
	t.Helper()
	findOnce.Do(func() {
		if found = lookPath(); found != "" {
			return
		}
		if os.Geteuid() != 0 {
			why = "no chromium on PATH and not root to install it (apt-get install chromium)"
			return
		}
		if out, err := install(); err != nil {
			why = "chromium is not on PATH and `apt-get install chromium` failed: " + err.Error() + "\n" + tail(out)
			return
		}
		if found = lookPath(); found == "" {
			why = "apt-get installed chromium but no browser is on PATH"
		}
	})
	if found == "" {
		t.Skip("browser test skipped: " + why)
	}
	return found
}

func lookPath() string {
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func install() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "apt-get", "update", "-qq").CombinedOutput()
	if err != nil {
		return out, err
	}
	cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	return cmd.CombinedOutput()
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// New opens a headless browser tab for the test, closed when the test ends. The flags keep
// Chromium off the network (this machine has none) and out of the sandbox it cannot use as root.
func New(t testing.TB) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first run starts the browser, and lives as long as its context: no timeout on it.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("starting %s: %v", Path(t), err)
	}
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}
