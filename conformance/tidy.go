package conformance

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/upmock/upmock/conformance/control"
)

// madeSessions are the upmock sessions this process created. Each spec deletes its own when
// it ends; finish deletes whatever is left (a spec interrupted before its cleanup, a session a
// late request recreated), so a shared, long-lived upmock keeps none of the suite's sessions.
var madeSessions struct {
	mu    sync.Mutex
	names map[string]bool
}

func trackSession(name string) {
	madeSessions.mu.Lock()
	defer madeSessions.mu.Unlock()
	if madeSessions.names == nil {
		madeSessions.names = map[string]bool{}
	}
	madeSessions.names[name] = true
}

// deleteSession deletes one session of the upmock at serverURL and forgets it.
func deleteSession(ctx context.Context, serverURL, name string) error {
	if err := control.New(serverURL, "").WithToken(*upmockTokenFlag).DeleteSession(ctx, name); err != nil {
		return err
	}
	madeSessions.mu.Lock()
	delete(madeSessions.names, name)
	madeSessions.mu.Unlock()
	return nil
}

// deleteMadeSessions deletes every session this process created that is still listed.
func deleteMadeSessions(ctx context.Context, serverURL string) error {
	madeSessions.mu.Lock()
	names := make([]string, 0, len(madeSessions.names))
	for n := range madeSessions.names {
		names = append(names, n)
	}
	madeSessions.mu.Unlock()
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		if err := deleteSession(ctx, serverURL, n); err != nil {
			errs = append(errs, fmt.Errorf("session %s: %w", n, err))
		}
	}
	return errors.Join(errs...)
}
