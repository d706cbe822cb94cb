package core

import (
	"bytes"
	"net/http"
)

type httpHandler = http.HandlerFunc

// capture buffers a mock's response so the core can journal it, validate it, and replace it
// when an after-phase fault says the client must not see it.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newCapture() *capture { return &capture{header: http.Header{}} }

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

func (c *capture) statusOr200() int {
	if c.status == 0 {
		return http.StatusOK
	}
	return c.status
}

// reset forgets what was written, keeping nothing of the processed response.
func (c *capture) reset() {
	c.header, c.status = http.Header{}, 0
	c.body.Reset()
}

func (c *capture) flushTo(w http.ResponseWriter) {
	for k, vs := range c.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(c.statusOr200())
	_, _ = w.Write(c.body.Bytes())
}

// WriteJSON writes v as JSON with status, the shape every JSON answer of the core takes.
func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
