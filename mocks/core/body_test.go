package core

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadBodyWhateverTheDeclaredSize(t *testing.T) {
	body := strings.Repeat("0123456789", 300) // 3000 bytes
	for _, hint := range []int64{-1, 0, 10, 2999, 3000, 3001, 1 << 30} {
		// OneByteReader: the body arrives in pieces, as from a slow client.
		got, status, err := readBody(iotest.OneByteReader(strings.NewReader(body)), 1<<20, hint)
		if err != nil || status != 0 || string(got) != body {
			t.Errorf("hint %d: got %d bytes, status %d, err %v; want the 3000 bytes", hint, len(got), status, err)
		}
	}
	if _, status, err := readBody(strings.NewReader(body), 2999, 3000); status != 413 || err == nil {
		t.Errorf("over the limit: status %d, err %v; want 413", status, err)
	}
	if _, status, err := readBody(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(io.ErrUnexpectedEOF)), 100, 10); status != 400 || err == nil {
		t.Errorf("broken body: status %d, err %v; want 400", status, err)
	}
	if b, _, _ := readBody(bytes.NewReader([]byte(body)), 1<<20, 3000); cap(b) > 3001 {
		t.Errorf("a body of its declared size took %d bytes of capacity, want one allocation of 3001", cap(b))
	}
}
