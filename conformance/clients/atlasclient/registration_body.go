package atlasclient

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
)

// registrationBody is the wire form of RegistrationRequest. No field has omitempty: the
// upstream wants every field present ("すべての項目を含めて送信"), null when unset.
type registrationBody struct {
	TransactionID  string     `json:"transactionId"`
	MovementSlipNo string     `json:"movementSlipNo"`
	BaseID         string     `json:"baseId"`
	CounterBaseID  string     `json:"counterBaseId"`
	TargetPath     *string    `json:"targetPath"`
	Items          []wireItem `json:"items"`
}

type wireItem struct {
	TrackingID                string        `json:"trackingId"`
	UID                       string        `json:"uid"`
	AutoIDType                string        `json:"autoIdType"`
	Path                      string        `json:"path"`
	ItemCount                 int64         `json:"itemCount"`
	MovedDateTime             string        `json:"movedDateTime"`
	IndividualRecognitionCode *string       `json:"individualRecognitionCode"`
	LargeClassAggregationKey  string        `json:"largeClassAggregationKey"`
	MiddleClassAggregationKey string        `json:"middleClassAggregationKey"`
	SmallClassAggregationKey  string        `json:"smallClassAggregationKey"`
	IsInactivated             bool          `json:"isInactivated"`
	AutoInactive              *AutoInactive `json:"autoInactive"`
	Detail                    *ItemDetail   `json:"detail,omitempty"`
}

// encodeRegistration renders reg under transactionID, the one body every attempt re-sends.
func encodeRegistration(transactionID string, reg Registration) ([]byte, error) {
	body := registrationBody{
		TransactionID:  transactionID,
		MovementSlipNo: reg.MovementSlipNo,
		BaseID:         reg.BaseID,
		CounterBaseID:  reg.CounterBaseID,
		TargetPath:     reg.TargetPath,
		Items:          make([]wireItem, 0, len(reg.Items)),
	}
	for _, it := range reg.Items {
		body.Items = append(body.Items, wireItem{
			TrackingID:                it.TrackingID,
			UID:                       it.UID,
			AutoIDType:                it.AutoIDType,
			Path:                      it.Path,
			ItemCount:                 it.ItemCount,
			MovedDateTime:             it.MovedDateTime,
			IndividualRecognitionCode: it.IndividualRecognitionCode,
			LargeClassAggregationKey:  emptyIfUnset(it.LargeClassAggregationKey),
			MiddleClassAggregationKey: emptyIfUnset(it.MiddleClassAggregationKey),
			SmallClassAggregationKey:  emptyIfUnset(it.SmallClassAggregationKey),
			IsInactivated:             it.IsInactivated,
			AutoInactive:              it.AutoInactive,
			Detail:                    it.Detail,
		})
	}
	return json.Marshal(body)
}

func emptyIfUnset(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// newTransactionID returns a random UUID v4, the upstream's recommended transactionId.
func newTransactionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // crypto/rand.Read never fails; it crashes the program instead
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
