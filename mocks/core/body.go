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
func readBody(body io.Reader, limit, sizeHint int64) ([]byte, int, error) {
	b, err := readAllSized(io.LimitReader(body, limit+1), min(sizeHint, limit, maxSizeHint))
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

// maxSizeHint caps what a declared Content-Length reserves before any byte arrives, so a
// client that claims a large body and sends nothing costs little.
const maxSizeHint = 1 << 20

// readAllSized is io.ReadAll starting at the size the request declared (its Content-Length),
// so a body is read into one allocation instead of a doubling series of them.
func readAllSized(r io.Reader, sizeHint int64) ([]byte, error) {
	if sizeHint <= 0 {
		sizeHint = 511 // unknown (chunked): io.ReadAll's first size
	}
	b := make([]byte, 0, sizeHint+1) // +1: room to read EOF without growing
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the declared size was wrong or absent: grow as ReadAll does
		}
	}
}
