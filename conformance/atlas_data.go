package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/upmock/upmock/conformance/control"
)

var slipSeq atomic.Int64

// shipment is what the suite asks a driver to register: one movementSlipNo, one pallet
// (the targetPath) and items on it. Values keep the upstream's formats: movementSlipNo is
// 20 alphanumerics, trackingId alphanumerics and hyphens, uid upper-case hex, paths
// "/PALLET/TRACKING/", movedDateTime YYYY-MM-DDThh:mm:ss.ffffffZ.
type shipment struct {
	Slip       string
	TargetPath string
	Items      []map[string]any
}

// newShipment returns a shipment of n items with every item field set explicitly, so
// that only ATLAS-VAL-1 judges what a client sends for unset fields.
func newShipment(n int) shipment {
	sh := newBareShipment(n)
	for _, it := range sh.Items {
		it["individualRecognitionCode"] = "IRC-" + it["trackingId"].(string)
		it["largeClassAggregationKey"] = "LARGE"
		it["middleClassAggregationKey"] = "MIDDLE"
		it["smallClassAggregationKey"] = "SMALL"
		it["autoInactive"] = map[string]any{
			"isAutoInactivated": false,
			"targetParentPath":  sh.TargetPath,
			"elapsedDays":       30,
		}
	}
	return sh
}

// newBareShipment returns a shipment of n items that leaves the optional item fields
// unset: individualRecognitionCode, the three aggregation keys and autoInactive.
func newBareShipment(n int) shipment {
	// "CF" + 8 digits of pid + 10 digits of sequence: 20 alphanumerics, unique per process.
	slip := fmt.Sprintf("CF%08d%010d", os.Getpid()%100000000, slipSeq.Add(1))
	tag := slip[2:]
	sh := shipment{Slip: slip, TargetPath: "/PL" + tag + "/"}
	moved := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	for i := 1; i <= n; i++ {
		tid := fmt.Sprintf("TR%s-%02d", tag, i)
		sh.Items = append(sh.Items, map[string]any{
			"trackingId":    tid,
			"uid":           fmt.Sprintf("E2%s%04X", tag, i),
			"autoIdType":    "RFID",
			"path":          sh.TargetPath + tid + "/",
			"itemCount":     1,
			"movedDateTime": moved,
			"isInactivated": false,
		})
	}
	return sh
}

// params is the driver's Registration for this shipment; an empty TargetPath is null.
func (sh shipment) params(mode, baseID, counterBaseID string) map[string]any {
	var target any
	if sh.TargetPath != "" {
		target = sh.TargetPath
	}
	return map[string]any{
		"mode":           mode,
		"movementSlipNo": sh.Slip,
		"baseId":         baseID,
		"counterBaseId":  counterBaseID,
		"targetPath":     target,
		"items":          sh.Items,
	}
}

// trackingIDs lists the shipment's trackingIds in order.
func (sh shipment) trackingIDs() []string {
	ids := make([]string, len(sh.Items))
	for i, it := range sh.Items {
		ids[i] = it["trackingId"].(string)
	}
	return ids
}

// The operations that register data, by OpenAPI operationId.
var registrationOps = map[string]bool{
	"postShippingItem": true, "postShippingItems": true,
	"postReceivingItem": true, "postReceivingItems": true,
}

func isRegistration(e control.Entry) bool { return registrationOps[e.Operation] }

// registrationBody is what the suite reads back from a journaled registration.
type registrationBody struct {
	TransactionID  string `json:"transactionId"`
	MovementSlipNo string `json:"movementSlipNo"`
	Items          []struct {
		TrackingID string `json:"trackingId"`
	} `json:"items"`
}

func parseRegistration(e control.Entry) (registrationBody, error) {
	var b registrationBody
	err := json.Unmarshal([]byte(e.Body), &b)
	return b, err
}

// key identifies the payload a registration carries, whatever its transactionId:
// attempts of one request share it.
func (b registrationBody) key() string {
	k := b.MovementSlipNo
	for _, it := range b.Items {
		k += "|" + it.TrackingID
	}
	return k
}

// registrationsOf returns the journaled registration attempts that carry slip.
func registrationsOf(entries []control.Entry, slip string) []control.Entry {
	return filter(entries, func(e control.Entry) bool {
		if !isRegistration(e) {
			return false
		}
		b, err := parseRegistration(e)
		return err == nil && b.MovementSlipNo == slip
	})
}
