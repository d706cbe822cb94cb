package atlasclient

import "encoding/json"

// ActualShipping is one record of a shipping-data file (ActualShippingData).
type ActualShipping struct {
	TenantID       string               `json:"tenantId"`
	MovementSlipNo string               `json:"movementSlipNo"`
	BaseID         string               `json:"baseId"`
	CounterBaseID  string               `json:"counterBaseId"`
	Items          []ActualShippingItem `json:"items"`
	// Raw is the record exactly as served, fields this package does not know included.
	Raw json.RawMessage `json:"-"`
}

// ActualShippingItem is one item of an ActualShipping record.
type ActualShippingItem struct {
	TrackingID                string      `json:"trackingId"`
	UID                       string      `json:"uid"`
	AutoIDType                string      `json:"autoIdType"`
	Path                      string      `json:"path"`
	ItemCount                 int64       `json:"itemCount"`
	MovedDateTime             string      `json:"movedDateTime"`
	IndividualRecognitionCode string      `json:"individualRecognitionCode"`
	LargeClassAggregationKey  string      `json:"largeClassAggregationKey"`
	MiddleClassAggregationKey string      `json:"middleClassAggregationKey"`
	SmallClassAggregationKey  string      `json:"smallClassAggregationKey"`
	Detail                    *ItemDetail `json:"detail,omitempty"`
}

func (a *ActualShipping) UnmarshalJSON(data []byte) error {
	type fields ActualShipping // without this method, so Unmarshal does not recurse
	var f fields
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	*a = ActualShipping(f)
	a.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// InactiveTrackingID is one record of an inactive-tracking-ID file.
type InactiveTrackingID struct {
	TrackingID string `json:"trackingId"`
	// InactivatedReasonCd: "1" by the client, "2" UID duplicate, "3" autoInactive elapsed.
	InactivatedReasonCd  string `json:"inactivatedReasonCd"`
	InactivatedUpdatedAt string `json:"inactivatedUpdatedAt"`
	// Raw is the record exactly as served.
	Raw json.RawMessage `json:"-"`
}

func (r *InactiveTrackingID) UnmarshalJSON(data []byte) error {
	type fields InactiveTrackingID
	var f fields
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	*r = InactiveTrackingID(f)
	r.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// shippingFile and inactiveFile are the JSON files behind the download URLs.
type shippingFile struct {
	ActualShippingData []ActualShipping `json:"actualShippingData"`
}

type inactiveFile struct {
	InactiveTrackingIDs []InactiveTrackingID `json:"inactiveTrackingIds"`
}
