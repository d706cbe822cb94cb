package core

import (
	"errors"
	"fmt"
	"io"
	"net"
)

// readBody reads at most limit bytes of a request body. It fails with the status to answer:
// 413 naming the limit when the body is larger, 408 when the client stopped sending (the
// server's read timeout), 400 when the body broke off.
func readBody(body io.Reader, limit int64) ([]byte, int, error) {
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	var ne net.Error
	switch {
	case err == nil && int64(len(b)) > limit:
		return nil, 413, fmt.Errorf("request body over upmock's %s limit", byteSize(limit))
	case errors.As(err, &ne) && ne.Timeout():
		return nil, 408, errors.New("request body not received in time (--read-timeout)")
	case err != nil:
		return nil, 400, fmt.Errorf("request body unreadable: %w", err)
	}
	return b, 0, nil
}

// byteSize writes n as "1 MiB (1048576 bytes)" or "1000 bytes".
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	}
	return fmt.Sprintf("%d-byte", n)
}
