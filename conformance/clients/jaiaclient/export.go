package jaiaclient

import (
	"context"
	"fmt"
	"mime"
	"net/http"
)

// ExportDeleted returns the master's logically deleted records that conditions match, as
// the CSV the upstream writes (§1-10): a header such as 「JAIA 事業者,JAIA コード,廃止日時」 and
// one quoted row per record.
func (c *Client) ExportDeleted(ctx context.Context, m Master, conditions []Condition, infoOpenStatus string) ([]byte, error) {
	op := m.ExportDeleted()
	if !m.HasExport {
		return nil, fmt.Errorf("jaia: the %s master has no export-deleted API", m.Prefix)
	}
	if len(conditions) == 0 {
		return nil, fmt.Errorf("jaia %s: an export needs at least one condition", op.APIID)
	}
	fields := map[string]any{"searchConditions": conditions}
	if infoOpenStatus != "" && m.publishes() {
		fields["infoOpenStatus"] = infoOpenStatus
	}
	var file []byte
	err := c.invoke(ctx, op, jsonBody(op, fields), func(status int, header http.Header, body []byte) error {
		mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
		if status == http.StatusOK && mt == "text/csv" {
			file = body
			return nil
		}
		// A failure comes as the JAIA envelope; so, the manual says, may an abnormal end
		// with status 200.
		if _, err := decodeEnvelope(op.APIID, status, body); err != nil {
			return err
		}
		return fmt.Errorf("jaia %s: %w: the CSV file", op.APIID, errNoPayload)
	})
	return file, err
}
