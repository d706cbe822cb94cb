package driver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// Limits from DRIVER.md: the suite waits 30 s for each answer, and a driver gets 5 s to
// exit once its standard input is closed.
const (
	OpTimeout = 30 * time.Second
	ExitGrace = 5 * time.Second
)

// Start runs command as a driver process. Its standard error is copied to stderr (nil
// discards it). The process is killed if ctx ends. Do sends one request line and waits at
// most OpTimeout for the matching response; Close closes standard input, waits ExitGrace
// for the process to exit, and kills it otherwise.
func Start(ctx context.Context, command []string, stderr io.Writer) (Driver, error) {
	return StartEnv(ctx, command, nil, stderr)
}

// StartEnv is Start with env ("KEY=value") added to the suite's own environment; a key
// given in env replaces the suite's value (the suite sets each driver's TZ this way).
func StartEnv(ctx context.Context, command, env []string, stderr io.Writer) (Driver, error) {
	if len(command) == 0 {
		return nil, errors.New("driver: empty command")
	}
	// Plain os.Pipes rather than cmd.StdinPipe/StdoutPipe: Wait may then run at any time
	// in its own goroutine, and writes to stdin can carry a deadline.
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("driver: %w", err)
	}
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		closeAll(stdinR, stdinW)
		return nil, fmt.Errorf("driver: %w", err)
	}
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, stdoutW, stderr
	if len(env) > 0 {
		// exec keeps the last value of a duplicated key.
		cmd.Env = append(os.Environ(), env...)
	}
	// Bounds Wait when a grandchild keeps the copied stderr open.
	cmd.WaitDelay = ExitGrace
	if err := cmd.Start(); err != nil {
		closeAll(stdinR, stdinW, stdoutR, stdoutW)
		return nil, fmt.Errorf("driver: starting %q: %w", command[0], err)
	}
	closeAll(stdinR, stdoutW) // the child holds its own copies

	p := &process{
		name:      command[0],
		cmd:       cmd,
		stdin:     stdinW,
		stdout:    stdoutR,
		frames:    make(chan frame, 16),
		exited:    make(chan struct{}),
		done:      make(chan struct{}),
		opTimeout: OpTimeout,
		exitGrace: ExitGrace,
	}
	go p.wait()
	go p.readFrames()
	return p, nil
}

type process struct {
	name   string
	cmd    *exec.Cmd
	stdin  *os.File
	stdout *os.File

	frames  chan frame    // response lines, closed at the end of stdout
	exited  chan struct{} // closed once the process has exited
	waitErr error         // valid after exited is closed
	done    chan struct{} // closed by Close, so the reader never blocks forever

	opTimeout time.Duration
	exitGrace time.Duration

	mu     sync.Mutex // one op at a time: the protocol has no concurrency
	nextID int64

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// frame is one line the driver wrote to stdout: a response, or why it is not one.
type frame struct {
	resp incomingResponse
	err  error
}

type incomingResponse struct {
	ID     int64           `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
}

type outgoingRequest struct {
	ID     int64           `json:"id"`
	Op     string          `json:"op"`
	Params json.RawMessage `json:"params"`
}

func (p *process) wait() {
	p.waitErr = p.cmd.Wait()
	close(p.exited)
}

func (p *process) readFrames() {
	defer close(p.frames)
	reader := bufio.NewReader(p.stdout)
	for {
		line, err := reader.ReadBytes('\n')
		if len(line) > 0 {
			select {
			case p.frames <- parseFrame(line):
			case <-p.done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func parseFrame(line []byte) frame {
	var resp incomingResponse
	if err := json.Unmarshal(line, &resp); err != nil {
		const max = 200
		shown := string(line)
		if len(shown) > max {
			shown = shown[:max] + "…"
		}
		return frame{err: fmt.Errorf("driver wrote a line that is not a protocol response (%v): %q", err, shown)}
	}
	return frame{resp: resp}
}

func (p *process) Do(ctx context.Context, op string, params any) (json.RawMessage, error) {
	raw, err := encodeParams(params)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		return nil, errors.New("driver: Do after Close")
	}
	p.nextID++
	id := p.nextID
	deadline := time.Now().Add(p.opTimeout)
	if err := p.send(outgoingRequest{ID: id, Op: op, Params: raw}, deadline); err != nil {
		return nil, fmt.Errorf("driver: sending op %q: %w%s", op, err, p.exitNote())
	}
	return p.receive(ctx, id, op, deadline)
}

func (p *process) send(req outgoingRequest, deadline time.Time) error {
	line, err := json.Marshal(req)
	if err != nil {
		return err
	}
	// A driver that stops reading must not block the suite past the op's deadline.
	if err := p.stdin.SetWriteDeadline(deadline); err != nil {
		return err
	}
	_, err = p.stdin.Write(append(line, '\n'))
	return err
}

func (p *process) receive(ctx context.Context, id int64, op string, deadline time.Time) (json.RawMessage, error) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		select {
		case f, ok := <-p.frames:
			if !ok {
				return nil, fmt.Errorf("driver: closed its standard output before answering op %q%s", op, p.exitNote())
			}
			if f.err != nil {
				return nil, fmt.Errorf("driver: op %q: %w", op, f.err)
			}
			if f.resp.ID != id {
				continue // the late answer to an op that already timed out
			}
			return responseResult(f.resp)
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, fmt.Errorf("driver: no response to op %q within %s", op, p.opTimeout)
		}
	}
}

func responseResult(resp incomingResponse) (json.RawMessage, error) {
	if !resp.OK {
		if resp.Error == nil {
			return nil, &Error{Message: "driver answered ok:false without an error object"}
		}
		return nil, resp.Error
	}
	if len(resp.Result) == 0 {
		return emptyObject, nil
	}
	return resp.Result, nil
}

// exitNote says how the process ended, if it has, to explain a broken pipe or EOF.
func (p *process) exitNote() string {
	select {
	case <-p.exited:
	case <-time.After(time.Second):
		return ""
	}
	if p.waitErr != nil {
		return fmt.Sprintf(" (driver exited: %v)", p.waitErr)
	}
	return " (driver exited with status 0)"
}

func (p *process) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		p.closeErr = p.shutdown()
	})
	return p.closeErr
}

func (p *process) shutdown() error {
	defer close(p.done)
	defer p.stdout.Close()
	_ = p.stdin.Close()
	select {
	case <-p.exited:
	case <-time.After(p.exitGrace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("driver: %s did not exit within %s of its standard input closing; killed", p.name, p.exitGrace)
	}
	if p.waitErr != nil {
		return fmt.Errorf("driver: %s: %w", p.name, p.waitErr)
	}
	return nil
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}
