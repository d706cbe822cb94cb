package occto

import "time"

// State is the whole model, exactly what GET/PUT /__upmock/state/occto exchange; the
// fixtures' state.json is a State without traffic.
type State struct {
	// OCCTO is the receiving side every message is addressed to.
	OCCTO Receiver `json:"occto"`
	// Companies are the 事業者 and their WebAPI users.
	Companies []Company `json:"companies"`
	// Files are the submitted files, oldest first.
	Files []File `json:"files"`
	// Plans are the accepted plans, in reception-number order.
	Plans []Plan `json:"plans"`
	// Usage is each company's WebAPI calls on one JST day (only the current day matters).
	Usage []Usage `json:"usage"`
	// LastFileNo and LastPlanNo number FILERECEPTIONNO and OCCTORECEPTIONNO.
	LastFileNo int64 `json:"lastFileNo"`
	LastPlanNo int64 `json:"lastPlanNo"`
}

// Receiver is OCCTO's identity in messages: 受信者コード (JPC09, JP06112), its name and the
// BPID 機関コード (JPC10). The real codes are not public; the fixtures hold stand-ins.
type Receiver struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	BPIDAgencyCode string `json:"bpidAgencyCode"`
}

// Company is one 事業者: its 事業者コード (the 送信者コード of its messages) and users.
type Company struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Users []User `json:"users"`
}

// User is a WebAPI login.
type User struct {
	UserID   string `json:"userid"`
	Password string `json:"password"`
}

// Receipt statuses (計画受付ステータス) of a submitted file.
const (
	statusProcessing = "01"
	statusAccepted   = "02"
	statusError      = "09"
)

var statusNames = map[string]string{
	statusProcessing: "処理中",
	statusAccepted:   "受付完了",
	statusError:      "提出エラー",
}

// File is one submitted message. Its checks ran at submission; Status turns from 処理中 to
// 受付完了 or 提出エラー at Due (the processingDelay later), when its plans are applied.
type File struct {
	ReceptionNo string    `json:"filereceptionno"`
	Company     string    `json:"company"`
	UserID      string    `json:"userid"`
	Name        string    `json:"fileName"`
	Encoding    string    `json:"encoding"`
	SubmittedAt time.Time `json:"submittedAt"`
	Due         time.Time `json:"due"`
	Status      string    `json:"status"`
	Errors      []Finding `json:"errors"`
	// Pending are the plans waiting for Due; PlanNos the OCCTORECEPTIONNOs they got.
	Pending []PendingPlan `json:"pending"`
	PlanNos []string      `json:"planNos"`
}

// Finding is one entry of a 受信確認メッセージ: the error code, the element (path with
// 1-based indices), its value and the message.
type Finding struct {
	Code    string `json:"code"`
	Item    string `json:"item"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// PendingPlan is one plan row of an accepted file before it is applied.
type PendingPlan struct {
	PlanFields
	XML string `json:"xml"`
}

// PlanFields are what lists show of a plan, read from its message.
type PlanFields struct {
	Division     string `json:"plandivision"`
	SubmitPlanNo string `json:"submitPlanNo"`
	FacilityCode string `json:"facilityCode"`
	FacilityName string `json:"facilityName"`
}

// Plan is an accepted plan: its keys, its message (UTF-8, the registering message reduced
// to this plan's row) and its history.
type Plan struct {
	PlanFields
	ReceptionNo     string    `json:"occtoreceptionno"`
	Company         string    `json:"company"`
	FileReceptionNo string    `json:"filereceptionno"`
	Version         int       `json:"version"`
	RegisteredAt    time.Time `json:"registeredAt"`
	UpdatedAt       time.Time `json:"updatedAt"`
	XML             string    `json:"xml"`
}

// Usage counts one company's calls on one JST day (YYYY-MM-DD).
type Usage struct {
	Company string `json:"company"`
	Date    string `json:"date"`
	Count   int    `json:"count"`
}

// Plan divisions (計画区分, the plandivision parameter).
var divisionNames = map[string]string{
	"01": "年間計画",
	"02": "月間計画",
	"03": "週間計画",
}
