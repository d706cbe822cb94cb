package naccs

import (
	"bytes"
	"encoding/json"
	"time"
)

// CyberPort is a Japanese service: times on the wire are JST with their offset.
var jst = time.FixedZone("JST", 9*60*60)

const wireTime = "2006-01-02T15:04:05+09:00"

func fmtTime(t time.Time) string { return t.In(jst).Format(wireTime) }

func fmtTimePtr(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := fmtTime(*t)
	return &s
}

// naccsDate is NACCS's YYYYMMDD, in JST.
func naccsDate(t time.Time) string { return t.In(jst).Format("20060102") }

// CreateReportRequest is CyberPort's CreateReportRequest.
type CreateReportRequest struct {
	BusinessTypeID string `json:"businessTypeId"`
	DealNo         string `json:"dealNo"`
	OrganizationID string `json:"organizationId"`
}

// SendRequest is the body of a send: whose form, and the _etag of the version to send.
type SendRequest struct {
	OrganizationID string `json:"organizationId"`
	BusinessTypeID string `json:"businessTypeId"`
	ETag           string `json:"_etag"`
}

// WebhookRequest sets an organisation's webhook destination.
type WebhookRequest struct {
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	URL            string `json:"url"`
}

// DealInformation is the deal a report belongs to, as the report resource shows it.
type DealInformation struct {
	DealNo      string  `json:"dealNo"`
	DealName    string  `json:"dealName"`
	DomesticNo  *string `json:"domesticNo"`
	BookingNo   *string `json:"bookingNo"`
	BlNumber    *string `json:"blNumber"`
	ScacCode    *string `json:"scacCode"`
	ContainerNo *string `json:"containerNo"`
}

// NaccsInformation is the business of a report and where its NACCS send stands.
type NaccsInformation struct {
	BusinessID      string  `json:"businessId"`
	BusinessCode    string  `json:"businessCode"`
	BusinessName    string  `json:"businessName"`
	BusinessKind    string  `json:"businessKind"`
	Status          string  `json:"status"`
	LastNaccsSendID *string `json:"lastNaccsSendId"`
	LastSentAt      *string `json:"lastSentAt"`
	LastReceivedAt  *string `json:"lastReceivedAt"`
	ResultCode      *string `json:"resultCode"`
}

// reportResource is the report as CyberPort answers it: the system fields, then the
// business's form fields at the top level, null when unset.
type reportResource struct {
	ETag             string           `json:"_etag"`
	DealReportID     string           `json:"dealReportId"`
	OrganizationID   string           `json:"organizationId"`
	BusinessTypeID   string           `json:"businessTypeId"`
	PartitionNo      *int             `json:"partitionNo"`
	DealInformation  DealInformation  `json:"dealInformation"`
	NaccsInformation NaccsInformation `json:"naccsInformation"`
	CreatedAt        string           `json:"createdAt"`
	UpdatedAt        string           `json:"updatedAt"`

	fields []fieldValue
}

type fieldValue struct {
	name  string
	value *string
}

// MarshalJSON writes the system fields, then the form fields in the business's order.
func (r reportResource) MarshalJSON() ([]byte, error) {
	type plain reportResource
	head, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	for _, f := range r.fields {
		name, _ := json.Marshal(f.name)
		value, _ := json.Marshal(f.value)
		b.WriteByte(',')
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// systemKeys are the report resource's own keys: an update may echo them back, and they
// are never taken as form fields.
var systemKeys = map[string]bool{
	"_etag": true, "dealReportId": true, "organizationId": true, "businessTypeId": true, "partitionNo": true,
	"dealInformation": true, "naccsInformation": true, "createdAt": true, "updatedAt": true,
}

// SendAccepted answers a send: it is on its way, the result comes later.
type SendAccepted struct {
	NaccsSendID  string `json:"naccsSendId"`
	DealReportID string `json:"dealReportId"`
	BusinessCode string `json:"businessCode"`
	Status       string `json:"status"`
	SentAt       string `json:"sentAt"`
}

// ProcessingResult is NACCS's 処理結果通知: 00000-0000-0000 or the errors, each naming
// the item it is about.
type ProcessingResult struct {
	OutputCode string        `json:"outputCode"`
	Name       string        `json:"name"`
	ResultCode string        `json:"resultCode"`
	Errors     []ResultError `json:"errors"`
}

// ResultError is one 処理結果コード with its item and the NACCS texts.
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

// OutputInfo is one 出力情報: a registration's copy, a called-up form's content or an
// inquiry's answer (Rows for list inquiries).
type OutputInfo struct {
	OutputCode         string              `json:"outputCode"`
	Name               string              `json:"name"`
	TargetBusinessCode *string             `json:"targetBusinessCode"`
	Fields             map[string]string   `json:"fields"`
	Rows               []map[string]string `json:"rows,omitempty"`
}

// NaccsOutput answers the output API (seed step ⑤).
type NaccsOutput struct {
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

// WebhookResource is an organisation's webhook destination.
type WebhookResource struct {
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	URL            string `json:"url"`
	UpdatedAt      string `json:"updatedAt"`
}

// TokenResponse is the OWIN token endpoint's answer.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// WebhookPayload is what CyberPort posts: who did it and what happened to which deal.
type WebhookPayload struct {
	MailAddress string      `json:"mailAddress"`
	UserName    string      `json:"userName"`
	Data        WebhookData `json:"data"`
}

// WebhookData is the event; operationType and operationName are CyberPort's pairs
// (NaccsReceive / "NACCS Data Received.", delete / "deleted.").
type WebhookData struct {
	DealReportHistoryID string   `json:"dealReportHistoryId"`
	DateTime            string   `json:"dateTime"`
	OperationType       string   `json:"operationType"`
	OperationName       string   `json:"operationName"`
	DealNo              string   `json:"dealNo"`
	DealName            string   `json:"dealName"`
	DomesticNo          *string  `json:"domesticNo"`
	BookingNo           *string  `json:"bookingNo"`
	BlNumber            *string  `json:"blNumber"`
	ScacCode            *string  `json:"scacCode"`
	ContainerNo         *string  `json:"containerNo"`
	DealReportID        string   `json:"dealReportId"`
	BusinessID          string   `json:"businessId"`
	BusinessCode        string   `json:"businessCode"`
	NaccsSendID         *string  `json:"naccsSendId,omitempty"`
	ResultCode          *string  `json:"resultCode,omitempty"`
	OutputCodes         []string `json:"outputCodes,omitempty"`
}

// Webhook events the mock posts.
const (
	eventNaccsReceive = "NaccsReceive"
	eventDelete       = "delete"
)

var operationNames = map[string]string{
	eventNaccsReceive: "NACCS Data Received.",
	eventDelete:       "deleted.",
}

// BusinessInfo is one business code as the catalogue API lists it.
type BusinessInfo struct {
	No         int            `json:"no"`
	ID         string         `json:"id"`
	Code       string         `json:"code"`
	Aliases    []string       `json:"aliases"`
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	Fills      *string        `json:"fills"`
	OutputName string         `json:"outputName"`
	Fields     []BusinessItem `json:"fields"`
}

// BusinessItem is one form field of a business.
type BusinessItem struct {
	Name      string   `json:"name"`
	Item      string   `json:"item"`
	Abbr      string   `json:"abbr"`
	Type      string   `json:"type"`
	Required  bool     `json:"required"`
	Length    *int     `json:"length"`
	MaxLength int      `json:"maxLength"`
	Values    []string `json:"values"`
}
