package occto

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"io"
	"sync"
	"time"
)

// packFile is how OCCTO answers with a file: a ZIP holding the one XML entry, sent as Base64
// text (standard alphabet, padded, one line). The entry's modification time is the mock
// clock's, in JST.
func packFile(name string, content []byte, modified time.Time) ([]byte, error) {
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	// Lists run to megabytes of repetitive XML: the fastest deflate level keeps a list of
	// thousands of plans well under a tenth of a second and still shrinks it tenfold.
	zw.RegisterCompressor(zip.Deflate, pooledDeflate)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.In(jst)})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(content); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	out := make([]byte, base64.StdEncoding.EncodedLen(zbuf.Len()))
	base64.StdEncoding.Encode(out, zbuf.Bytes())
	return out, nil
}

// flateWriters recycles compressors: a deflate writer is large to allocate.
var flateWriters sync.Pool

func pooledDeflate(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := flateWriters.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return pooledWriter{fw}, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	return pooledWriter{fw}, nil
}

// pooledWriter returns its compressor to the pool once the entry is finished.
type pooledWriter struct{ *flate.Writer }

func (p pooledWriter) Close() error {
	err := p.Writer.Close()
	flateWriters.Put(p.Writer)
	return err
}
