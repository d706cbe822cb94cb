package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// result is one server's row.
type result struct {
	name, label      string
	reqPerSec        float64
	p50, p99         time.Duration
	rssIdle, rssLoad int64 // bytes, the server's whole process tree
	cpuPerReq        time.Duration
	startup          time.Duration
	requests         int64
	socketErrors     string
}

func (r result) summary() string {
	return fmt.Sprintf("%.0f req/s, p50 %s, p99 %s, RSS %s idle / %s loaded, CPU %s/req, ready in %s",
		r.reqPerSec, r.p50, r.p99, mib(r.rssIdle), mib(r.rssLoad), r.cpuPerReq, r.startup)
}

// measure starts one server, loads it the same way as every other, and stops it.
func measure(ctx context.Context, c config, name string, p peer) (result, error) {
	res := result{name: name, label: p.label}
	port, err := freePort()
	if err != nil {
		return res, err
	}
	cmd := p.command(c, port)
	out := &headWriter{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so stop reaches its children (WireMock's JVM)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer stop(cmd)
	if err := awaitAnswer(ctx, "http://"+loopback(port)+"/", 120*time.Second, cmd); err != nil {
		return res, fmt.Errorf("%w; its output: %s", err, out.String())
	}
	res.startup = time.Since(started)
	target, headers, err := p.setup(ctx, c, port)
	if err != nil {
		return res, err
	}
	if target == "" {
		target = "http://" + loopback(port)
	}
	script, err := writeScript(c, name, headers)
	if err != nil {
		return res, err
	}
	url := target + route
	if err := checkOnce(ctx, url, headers); err != nil {
		return res, err
	}
	time.Sleep(time.Second) // let start-up garbage settle before the idle reading
	res.rssIdle = treeRSS(cmd.Process.Pid)
	if _, err := runWrk(ctx, c, script, url, c.warmup, "w00"); err != nil {
		return res, fmt.Errorf("warm-up: %w", err)
	}
	cpuBefore := treeCPU(cmd.Process.Pid)
	var total float64
	for i := range c.runs {
		w, err := runWrk(ctx, c, script, url, c.duration, fmt.Sprintf("r%02d", i))
		if err != nil {
			return res, err
		}
		total += w.reqPerSec
		res.requests += w.requests
		res.p50, res.p99 = max(res.p50, w.p50), max(res.p99, w.p99)
		if w.socketErrors != "" {
			res.socketErrors = w.socketErrors
		}
	}
	if res.requests > 0 {
		res.cpuPerReq = (treeCPU(cmd.Process.Pid) - cpuBefore) / time.Duration(res.requests)
	}
	res.reqPerSec = total / float64(c.runs)
	if name == "upmock" && c.soak > 0 {
		if _, err := runWrk(ctx, c, script, url, c.soak, "s00"); err != nil {
			return res, fmt.Errorf("soak: %w", err)
		}
	}
	res.rssLoad = treeRSS(cmd.Process.Pid)
	return res, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// awaitAnswer polls until the server answers any HTTP request: start-up to first answer.
func awaitAnswer(ctx context.Context, url string, limit time.Duration, cmd *exec.Cmd) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if cmd.ProcessState != nil || syscall.Kill(cmd.Process.Pid, 0) != nil {
			return fmt.Errorf("exited before answering")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("no answer within %s", limit)
}

// checkOnce sends the request wrk will send and insists on 204: a server that refuses the
// call cannot look fast.
func checkOnce(ctx context.Context, url string, headers map[string]string) error {
	body := bodyHead + "check" + strings.Repeat("0", 31) + bodyTail
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(body)))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("POST %s: status %d, want 204: %s", url, resp.StatusCode, answer)
	}
	return nil
}

// stop ends the server's whole process group: TERM, then KILL after five seconds.
func stop(cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // children that outlived their parent
}

// headWriter keeps the first max bytes of a server's output, for error messages.
type headWriter struct {
	max int
	buf bytes.Buffer
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (h *headWriter) String() string { return h.buf.String() }

func mib(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
