package jaiaclient

import (
	"context"
	"errors"
	"fmt"
)

// CreateRecord creates one record with the master's single create API. For more than one
// record use CreateRecords: the manual forbids calling create in a loop (§1-17).
func (c *Client) CreateRecord(ctx context.Context, m Master, r Record) error {
	return c.write(ctx, m.Create(), r)
}

// UpdateRecord updates one record (found by its key) with the single update API; an
// omitted optional field is cleared. For more than one record use UpdateRecords.
func (c *Client) UpdateRecord(ctx context.Context, m Master, r Record) error {
	if r[m.Key] == "" {
		return fmt.Errorf("jaia %s: the record has no %s", m.Update().APIID, m.Key)
	}
	return c.write(ctx, m.Update(), r)
}

func (c *Client) write(ctx context.Context, op Operation, r Record) error {
	_, err := c.call(ctx, op, jsonBody(op, map[string]any{"dataset": dataset(r)}))
	return err
}

// CreateUser creates one user and returns the user ID the upstream numbered
// (USER_CREATE's metadata.userId).
func (c *Client) CreateUser(ctx context.Context, r Record) (string, error) {
	op := User.Create()
	env, err := c.call(ctx, op, jsonBody(op, map[string]any{"dataset": dataset(r)}))
	if err != nil {
		return "", err
	}
	var meta struct {
		UserID string `json:"userId"`
	}
	if err := decodeJSON(env.Metadata, &meta); err != nil || meta.UserID == "" {
		return "", fmt.Errorf("jaia %s: %w: metadata.userId", op.APIID, errNoPayload)
	}
	return meta.UserID, nil
}

// DeleteRecord deletes (logically) the record whose key is key. There is no bulk delete:
// each record is its own call.
func (c *Client) DeleteRecord(ctx context.Context, m Master, key string) error {
	op := m.Delete()
	if key == "" {
		return fmt.Errorf("jaia %s: no %s given", op.APIID, m.Key)
	}
	_, err := c.call(ctx, op, jsonBody(op, map[string]any{"dataset": map[string]string{m.Key: key}}))
	return err
}

// CreateRecords creates records the way the manual asks: one record with the single create
// API, several with the import API, in CSVs of at most MaxImportRows rows. Each import is
// all or nothing; when one fails, the error says how many records earlier imports created.
func (c *Client) CreateRecords(ctx context.Context, m Master, records []Record) (ImportCounts, error) {
	return c.writeRecords(ctx, m, records, false)
}

// UpdateRecords is CreateRecords for updates.
func (c *Client) UpdateRecords(ctx context.Context, m Master, records []Record) (ImportCounts, error) {
	return c.writeRecords(ctx, m, records, true)
}

func (c *Client) writeRecords(ctx context.Context, m Master, records []Record, update bool) (ImportCounts, error) {
	switch len(records) {
	case 0:
		return ImportCounts{}, nil
	case 1:
		var err error
		if update {
			err = c.UpdateRecord(ctx, m, records[0])
		} else {
			err = c.CreateRecord(ctx, m, records[0])
		}
		if err != nil {
			return ImportCounts{}, err
		}
		return ImportCounts{Total: 1, Success: 1}, nil
	}
	var done ImportCounts
	for _, batch := range Batches(records, MaxImportRows) {
		counts, err := c.ImportRecords(ctx, m, batch, update)
		if err != nil {
			if done.Success > 0 {
				return done, fmt.Errorf("%w (%d of %d records were imported by earlier CSVs)", err, done.Success, len(records))
			}
			return done, err
		}
		done.Total += counts.Total
		done.Success += counts.Success
		done.UserInfo = append(done.UserInfo, counts.UserInfo...)
	}
	return done, nil
}

// Batches splits records into the fewest batches of at most max records, of near-equal size.
func Batches(records []Record, max int) [][]Record {
	if len(records) == 0 || max <= 0 {
		return nil
	}
	n := (len(records) + max - 1) / max
	out := make([][]Record, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, records[i*len(records)/n:(i+1)*len(records)/n])
	}
	return out
}

// dataset drops unset values: the upstream treats an absent key like an empty one.
func dataset(r Record) map[string]string {
	out := make(map[string]string, len(r))
	for k, v := range r {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

var errTooManyRows = errors.New("more rows than one import may carry")
