package jaiaclient

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
)

// ImportCounts are an import's metadata: rows in the file, rows that passed the checks, rows
// with errors; USER_IMPORT_CREATE adds the user IDs it numbered.
type ImportCounts struct {
	Total    int        `json:"total"`
	Success  int        `json:"success"`
	Error    int        `json:"error"`
	UserInfo []UserInfo `json:"userInfo,omitempty"`
}

// UserInfo is one user USER_IMPORT_CREATE created.
type UserInfo struct {
	UserMail string `json:"userMail"`
	UserID   string `json:"userId"`
}

// ImportRecords sends records as one import (create, or update when update is true). It
// refuses more than MaxImportRows records: CreateRecords splits them.
func (c *Client) ImportRecords(ctx context.Context, m Master, records []Record, update bool) (ImportCounts, error) {
	op, columns := m.ImportCreate(), m.CreateColumns
	if update {
		op, columns = m.ImportUpdate(), m.UpdateColumns
	}
	if len(records) > MaxImportRows {
		return ImportCounts{}, fmt.Errorf("jaia %s: %d records: %w (%d)", op.APIID, len(records), errTooManyRows, MaxImportRows)
	}
	data, err := EncodeCSV(columns, records)
	if err != nil {
		return ImportCounts{}, fmt.Errorf("jaia %s: %w", op.APIID, err)
	}
	return c.SendImport(ctx, op, strings.ToLower(m.Prefix)+".csv", data)
}

// SendImport sends a ready CSV file to an import API as the manual's multipart/form-data:
// a "body" part with the common items (and the unused dataset {}) and a "file" part.
func (c *Client) SendImport(ctx context.Context, op Operation, filename string, file []byte) (ImportCounts, error) {
	env, err := c.call(ctx, op, func(s *Session) (string, []byte, error) {
		return multipartBody(op, s, filename, file)
	})
	if err != nil {
		return ImportCounts{}, err
	}
	var counts ImportCounts
	if err := decodeJSON(env.Metadata, &counts); err != nil {
		return ImportCounts{}, fmt.Errorf("jaia %s: %w: metadata total/success/error", op.APIID, errNoPayload)
	}
	return counts, nil
}

func multipartBody(op Operation, s *Session, filename string, file []byte) (string, []byte, error) {
	common, err := json.Marshal(map[string]any{"apiId": op.APIID, "userId": s.UserID, "appId": AppID, "dataset": map[string]any{}})
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	// The body part first, as the manual's samples have it, named like a browser's Blob.
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="body"; filename="blob"`)
	h.Set("Content-Type", "application/json")
	part, err := w.CreatePart(h)
	if err != nil {
		return "", nil, err
	}
	if _, err := part.Write(common); err != nil {
		return "", nil, err
	}
	h = textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "text/csv")
	if part, err = w.CreatePart(h); err != nil {
		return "", nil, err
	}
	if _, err := part.Write(file); err != nil {
		return "", nil, err
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}

// EncodeCSV writes the import file: a header row of columns, then one row per record,
// UTF-8 without BOM, CRLF line ends, fields quoted where CSV needs it.
func EncodeCSV(columns []string, records []Record) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(columns); err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(columns))
	for _, col := range columns {
		known[col] = true
	}
	row := make([]string, len(columns))
	for i, r := range records {
		for j, col := range columns {
			row[j] = r[col]
		}
		for k := range r {
			if !known[k] {
				return nil, fmt.Errorf("record %d: %q is not an import column", i+1, k)
			}
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func decodeJSON(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return errNoPayload
	}
	return json.Unmarshal(raw, v)
}
