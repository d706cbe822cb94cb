package naccs

import (
	"encoding/json"
	"time"
)

// State is the whole model, and exactly what GET/PUT /__upmock/state/naccs exchange; the
// fixtures' state.json is a State without traffic.
type State struct {
	Organizations []*Organization `json:"organizations"`
	Clients       []*APIClient    `json:"clients"`
	Deals         []*Deal         `json:"deals"`
	Reports       []*Report       `json:"reports"`
	Sends         []*Send         `json:"sends"`
	Deliveries    []*Delivery     `json:"deliveries"`
	Tokens        []*Token        `json:"tokens"`
	// Naccs is the simulated NACCS: what it has registered, by registry and key.
	Naccs NaccsDB `json:"naccs"`
}

// Organization is a CyberPort company; an administrator sets its webhook destination.
type Organization struct {
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	// SigningSecret signs every webhook posted to the organisation (X-CyberPort-Signature).
	SigningSecret string   `json:"signingSecret"`
	Webhook       *Webhook `json:"webhook"`
}

// Webhook is an organisation's destination: a name and a URL.
type Webhook struct {
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Permissions of a client's user.
const (
	permRead  = "read"
	permWrite = "write"
	permAdmin = "admin"
)

// APIClient is one API credential: a CyberPort user of an organisation, its permissions
// and the NACCS user its sends go out as.
type APIClient struct {
	ClientID       string   `json:"clientId"`
	ClientSecret   string   `json:"clientSecret"`
	OrganizationID string   `json:"organizationId"`
	UserName       string   `json:"userName"`
	MailAddress    string   `json:"mailAddress"`
	NaccsUserID    string   `json:"naccsUserId"`
	Permissions    []string `json:"permissions"`
}

func (c *APIClient) can(perm string) bool {
	for _, p := range c.Permissions {
		if p == perm {
			return true
		}
	}
	return false
}

// Deal is a CyberPort 取引: the companies taking part, each with its 事業種別.
type Deal struct {
	DealNo       string        `json:"dealNo"`
	DealName     string        `json:"dealName"`
	DomesticNo   *string       `json:"domesticNo"`
	BookingNo    *string       `json:"bookingNo"`
	BlNumber     *string       `json:"blNumber"`
	ScacCode     *string       `json:"scacCode"`
	ContainerNo  *string       `json:"containerNo"`
	Participants []Participant `json:"participants"`
}

// Participant is a company in a deal and the business type it takes part as.
type Participant struct {
	OrganizationID string `json:"organizationId"`
	BusinessTypeID string `json:"businessTypeId"`
}

// Report statuses (naccsInformation.status).
const (
	statusNotSent   = "notSent"
	statusSending   = "sending"
	statusCompleted = "completed"
	statusError     = "error"
)

// Report is a saved NACCS form (帳票) of one business in a deal.
type Report struct {
	DealReportID   string             `json:"dealReportId"`
	ETag           string             `json:"_etag"`
	BusinessCode   string             `json:"businessCode"` // the catalogue's code, not an alias
	DealNo         string             `json:"dealNo"`
	OrganizationID string             `json:"organizationId"`
	BusinessTypeID string             `json:"businessTypeId"`
	CreatedBy      string             `json:"createdBy"`
	CreatedAt      time.Time          `json:"createdAt"`
	UpdatedAt      time.Time          `json:"updatedAt"`
	Fields         map[string]*string `json:"fields"`
	Status         string             `json:"status"`
	LastSendID     string             `json:"lastSendId,omitempty"`
}

// Send is one send of a form to NACCS and, once processed, what NACCS returned.
type Send struct {
	NaccsSendID    string            `json:"naccsSendId"`
	DealReportID   string            `json:"dealReportId"`
	BusinessCode   string            `json:"businessCode"` // as sent: an alias (ICGOW) stays itself
	OrganizationID string            `json:"organizationId"`
	ClientID       string            `json:"clientId"`
	NaccsUserID    string            `json:"naccsUserId"`
	Fields         map[string]string `json:"fields"` // the form as sent
	SentAt         time.Time         `json:"sentAt"`
	Due            time.Time         `json:"due"`
	Status         string            `json:"status"`
	ReceivedAt     *time.Time        `json:"receivedAt"`
	Result         *ProcessingResult `json:"processingResult"`
	Outputs        []OutputInfo      `json:"outputs"`
}

// Delivery states.
const (
	deliveryPending   = "pending"
	deliveryDelivered = "delivered"
	deliveryFailed    = "failed"
)

// Delivery is one webhook event on its way to an organisation, with every attempt.
type Delivery struct {
	DeliveryID     string          `json:"deliveryId"`
	OrganizationID string          `json:"organizationId"`
	Event          string          `json:"event"`
	Payload        json.RawMessage `json:"payload"`
	Due            time.Time       `json:"due"`
	State          string          `json:"state"`
	// Duplicates is how many more times it is posted after a success.
	Duplicates int       `json:"duplicates"`
	Attempts   []Attempt `json:"attempts"`
}

// Attempt is one POST of a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	URL        string    `json:"url"`
	Status     int       `json:"status"`
	Error      string    `json:"error,omitempty"`
	DurationMs float64   `json:"durationMs"`
}

// Token is an issued bearer token.
type Token struct {
	AccessToken string    `json:"accessToken"`
	ClientID    string    `json:"clientId"`
	Expires     time.Time `json:"expires"`
}

// NaccsDB is the simulated NACCS's data: registries of records, and counters numbering new
// declarations and control numbers.
type NaccsDB struct {
	Counters   map[string]int64             `json:"counters"`
	Registries map[string][]*RegistryRecord `json:"registries"`
}

// RegistryRecord is one thing NACCS holds: a declaration, cargo, a container, a vanning.
type RegistryRecord struct {
	Key            string            `json:"key"`
	Status         string            `json:"status,omitempty"`
	RegisteredDate string            `json:"registeredDate"`
	Fields         map[string]string `json:"fields"`
}
