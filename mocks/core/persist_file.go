package core

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// The on-disk formats of --state-dir. A snapshot is written whole to a temporary file,
// synced and renamed over the old one, so it is either the old or the new; a log is a run of
// framed records appended and synced one by one, so only its tail can be cut short by a crash.

// recordHeader is a log record's frame: payload length and CRC-32C of the payload.
const recordHeader = 8

// maxRecord bounds one record, so a corrupt length cannot make a restore allocate gigabytes.
const maxRecord = 1 << 30

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// frame returns payload with its header, ready to append in one write.
func frame(payload []byte) []byte {
	out := make([]byte, recordHeader, recordHeader+len(payload))
	binary.LittleEndian.PutUint32(out[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(out[4:8], crc32.Checksum(payload, castagnoli))
	return append(out, payload...)
}

// readRecords reads the framed records of a log. It stops at the first record that is cut
// short or fails its checksum and reports the offset where the good records end, so the
// caller can truncate the bad tail.
func readRecords(r io.Reader) (records [][]byte, good int64, err error) {
	var head [recordHeader]byte
	for {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			if err == io.EOF {
				return records, good, nil
			}
			return records, good, fmt.Errorf("record header at byte %d cut short", good)
		}
		n := binary.LittleEndian.Uint32(head[0:4])
		if n > maxRecord {
			return records, good, fmt.Errorf("record at byte %d claims %d bytes", good, n)
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return records, good, fmt.Errorf("record at byte %d cut short", good)
		}
		if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(head[4:8]) {
			return records, good, fmt.Errorf("record at byte %d fails its checksum", good)
		}
		records = append(records, payload)
		good += int64(recordHeader) + int64(n)
	}
}

// writeFileAtomic replaces dir/name with data: a synced temporary file renamed over it, then
// the directory synced so the rename itself survives a crash.
func writeFileAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the directory's entries (new, renamed or removed files) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
