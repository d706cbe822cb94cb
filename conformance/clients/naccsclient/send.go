package naccsclient

import (
	"context"
	"net/http"
	"net/url"
)

// SendAccepted is the answer to a send.
type SendAccepted struct {
	NaccsSendID  string `json:"naccsSendId"`
	DealReportID string `json:"dealReportId"`
	BusinessCode string `json:"businessCode"`
	Status       string `json:"status"`
	SentAt       string `json:"sentAt"`
}

// Output is the output API's answer: NACCS's processing result and 出力情報 of a send.
type Output struct {
	NaccsSendID      string            `json:"naccsSendId"`
	DealReportID     string            `json:"dealReportId"`
	BusinessID       string            `json:"businessId"`
	BusinessCode     string            `json:"businessCode"`
	BusinessName     string            `json:"businessName"`
	BusinessKind     string            `json:"businessKind"`
	Status           string            `json:"status"`
	SentAt           string            `json:"sentAt"`
	ReceivedAt       *string           `json:"receivedAt"`
	ProcessingResult *ProcessingResult `json:"processingResult"`
	Outputs          []OutputInfo      `json:"outputs"`
}

// ProcessingResult is NACCS's 処理結果通知.
type ProcessingResult struct {
	OutputCode string        `json:"outputCode"`
	Name       string        `json:"name"`
	ResultCode string        `json:"resultCode"`
	Errors     []ResultError `json:"errors"`
}

// ResultError is one 処理結果コード and the item it names.
type ResultError struct {
	ResultCode   string `json:"resultCode"`
	Code         string `json:"code"`
	Field        string `json:"field"`
	Item         string `json:"item"`
	Abbreviation string `json:"abbreviation"`
	Repetition   int    `json:"repetition"`
	Content      string `json:"content"`
	Action       string `json:"action"`
}

// OutputInfo is one 出力情報.
type OutputInfo struct {
	OutputCode         string              `json:"outputCode"`
	Name               string              `json:"name"`
	TargetBusinessCode *string             `json:"targetBusinessCode"`
	Fields             map[string]string   `json:"fields"`
	Rows               []map[string]string `json:"rows,omitempty"`
}

// Done reports whether NACCS has answered.
func (o *Output) Done() bool { return o != nil && o.Status != "" && o.Status != "sending" }

// Send is POST /API/v1/NACCS/{code}/Send/{id}: it sends the form at version etag.
func (c *Client) Send(ctx context.Context, code, id, etag string) (SendAccepted, error) {
	var acc SendAccepted
	_, err := c.do(ctx, http.MethodPost, "/API/v1/NACCS/"+code+"/Send/"+url.PathEscape(id), map[string]string{
		"organizationId": c.cfg.OrganizationID, "businessTypeId": c.cfg.BusinessTypeID, "_etag": etag,
	}, &acc)
	return acc, err
}

// Output is GET /API/v1/NACCS/{code}/Output/{id}?naccsSendId=…
func (c *Client) Output(ctx context.Context, code, id, sendID string) (*Output, error) {
	var out Output
	path := "/API/v1/NACCS/" + code + "/Output/" + url.PathEscape(id)
	if sendID != "" {
		path += "?naccsSendId=" + url.QueryEscape(sendID)
	}
	if _, err := c.do(ctx, http.MethodGet, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SaveWebhook is POST /API/v1/Webhook/Save: the organisation's destination.
func (c *Client) SaveWebhook(ctx context.Context, name, target string) error {
	_, err := c.do(ctx, http.MethodPost, "/API/v1/Webhook/Save", map[string]string{
		"organizationId": c.cfg.OrganizationID, "name": name, "url": target,
	}, nil)
	return err
}
