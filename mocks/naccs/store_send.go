package naccs

import (
	"encoding/json"
	"sort"
	"time"
)

// Sending to NACCS (seed steps ② and ③) and fetching what came back (⑤).

// send accepts the form for NACCS and answers at once; NACCS's result arrives
// ProcessingDelay later on the session clock. The send goes out as the client's NACCS user,
// which cannot have two sends in flight (CyberPort's 送信処理中 error).
func (s *store) send(c *APIClient, b *Business, routeCode, id string, req SendRequest) (SendAccepted, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permWrite) {
		return SendAccepted{}, errNoPermission(permWrite)
	}
	if c.NaccsUserID == "" {
		return SendAccepted{}, errNoNaccsUser
	}
	if req.OrganizationID != c.OrganizationID {
		return SendAccepted{}, errOtherOrganization(req.OrganizationID)
	}
	r, err := s.ownedLocked(c, b, id)
	if err != nil {
		return SendAccepted{}, err
	}
	if r.BusinessTypeID != req.BusinessTypeID {
		return SendAccepted{}, errNotOwner
	}
	if r.Status == statusSending {
		return SendAccepted{}, errReportSending
	}
	if req.ETag != r.ETag {
		return SendAccepted{}, errStaleETag
	}
	for _, sd := range s.state.Sends {
		if sd.Status == statusSending && sd.NaccsUserID == c.NaccsUserID {
			return SendAccepted{}, errNaccsUserBusy(c.NaccsUserID)
		}
	}
	now := s.now()
	sd := &Send{
		NaccsSendID: s.ids.UUID(), DealReportID: r.DealReportID, BusinessCode: routeCode, OrganizationID: r.OrganizationID,
		ClientID: c.ClientID, NaccsUserID: c.NaccsUserID, Fields: map[string]string{}, SentAt: now,
		Due: now.Add(s.settings.ProcessingDelay.D()), Status: statusSending, Outputs: []OutputInfo{},
	}
	for name, v := range r.Fields {
		if v != nil && *v != "" {
			sd.Fields[name] = *v
		}
	}
	i := sort.Search(len(s.state.Sends), func(i int) bool { return s.state.Sends[i].Due.After(sd.Due) })
	s.state.Sends = append(s.state.Sends, nil)
	copy(s.state.Sends[i+1:], s.state.Sends[i:])
	s.state.Sends[i] = sd
	s.sends[sd.NaccsSendID] = sd
	r.Status, r.LastSendID = statusSending, sd.NaccsSendID
	return SendAccepted{NaccsSendID: sd.NaccsSendID, DealReportID: r.DealReportID, BusinessCode: routeCode,
		Status: statusSending, SentAt: fmtTime(now)}, nil
}

// applyDueLocked lets NACCS process every send whose time has come, in due order, and
// queues the NaccsReceive webhook of each.
func (s *store) applyDueLocked() {
	now := s.now()
	for _, sd := range s.state.Sends {
		if sd.Due.After(now) {
			break
		}
		if sd.Status != statusSending {
			continue
		}
		b, _ := s.cat.Lookup(sd.BusinessCode)
		result, outputs := s.processLocked(b, sd)
		at := sd.Due
		sd.Result, sd.Outputs, sd.ReceivedAt = &result, outputs, &at
		sd.Status = statusCompleted
		if len(result.Errors) > 0 {
			sd.Status = statusError
		}
		r := s.reports[sd.DealReportID]
		if r == nil {
			continue
		}
		if r.LastSendID == sd.NaccsSendID {
			r.Status = sd.Status
		}
		s.queueEventLocked(eventNaccsReceive, s.clients[sd.ClientID], r, b, sd, at)
	}
}

// nextDueLocked is the earliest time something waits for: a send's processing or a
// delivery attempt (zero when nothing waits).
func (s *store) nextDueLocked() time.Time {
	var next time.Time
	earlier := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, sd := range s.state.Sends {
		if sd.Status == statusSending {
			earlier(sd.Due)
			break // sorted by due: the first in flight is the earliest
		}
	}
	for _, d := range s.state.Deliveries {
		if d.State == deliveryPending {
			earlier(d.Due)
		}
	}
	return next
}

// output is the output API: a send of the report (the latest when sendID is empty) with
// NACCS's processing result and output, or status "sending" while NACCS works.
func (s *store) output(c *APIClient, b *Business, id, sendID string) (NaccsOutput, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permRead) {
		return NaccsOutput{}, errNoPermission(permRead)
	}
	r, err := s.ownedLocked(c, b, id)
	if err != nil {
		return NaccsOutput{}, err
	}
	if sendID == "" {
		sendID = r.LastSendID
	}
	sd := s.sends[sendID]
	if sd == nil || sd.DealReportID != r.DealReportID {
		return NaccsOutput{}, errSendNotFound
	}
	sent, _ := s.cat.Lookup(sd.BusinessCode)
	out := NaccsOutput{
		NaccsSendID: sd.NaccsSendID, DealReportID: sd.DealReportID, BusinessID: sent.ID, BusinessCode: sd.BusinessCode,
		BusinessName: sent.Name, BusinessKind: sent.Kind, Status: sd.Status, SentAt: fmtTime(sd.SentAt),
		ReceivedAt: fmtTimePtr(sd.ReceivedAt), ProcessingResult: sd.Result, Outputs: sd.Outputs,
	}
	if out.Outputs == nil {
		out.Outputs = []OutputInfo{}
	}
	return out, nil
}

// queueEventLocked queues a webhook delivery of event to the report's organisation, due at
// at; it reports false when the organisation has no webhook (nothing is lost: the output
// stays fetchable).
func (s *store) queueEventLocked(event string, c *APIClient, r *Report, b *Business, sd *Send, at time.Time) bool {
	org := s.orgs[r.OrganizationID]
	if org == nil || org.Webhook == nil {
		return false
	}
	d := s.deals[r.DealNo]
	p := WebhookPayload{Data: WebhookData{
		DealReportHistoryID: s.ids.UUID(), DateTime: fmtTime(at), OperationType: event, OperationName: operationNames[event],
		DealNo: d.DealNo, DealName: d.DealName, DomesticNo: d.DomesticNo, BookingNo: d.BookingNo, BlNumber: d.BlNumber,
		ScacCode: d.ScacCode, ContainerNo: d.ContainerNo, DealReportID: r.DealReportID, BusinessID: b.ID, BusinessCode: b.Code,
	}}
	if c != nil {
		p.MailAddress, p.UserName = c.MailAddress, c.UserName
	}
	if sd != nil {
		id, code := sd.NaccsSendID, sd.Result.ResultCode
		p.Data.NaccsSendID, p.Data.ResultCode, p.Data.BusinessCode = &id, &code, sd.BusinessCode
		p.Data.OutputCodes = []string{sd.Result.OutputCode}
		for _, o := range sd.Outputs {
			p.Data.OutputCodes = append(p.Data.OutputCodes, o.OutputCode)
		}
	}
	raw, _ := json.Marshal(p)
	s.state.Deliveries = append(s.state.Deliveries, &Delivery{
		DeliveryID: s.ids.UUID(), OrganizationID: org.OrganizationID, Event: event, Payload: raw, Due: at,
		State: deliveryPending, Duplicates: s.settings.WebhookDuplicates, Attempts: []Attempt{},
	})
	s.trimDeliveriesLocked()
	return true
}

// maxDeliveries bounds the deliveries kept; the oldest finished ones go first.
const maxDeliveries = 500

func (s *store) trimDeliveriesLocked() {
	for len(s.state.Deliveries) > maxDeliveries {
		i := 0
		for i < len(s.state.Deliveries) && s.state.Deliveries[i].State == deliveryPending {
			i++
		}
		if i == len(s.state.Deliveries) {
			return
		}
		s.state.Deliveries = append(s.state.Deliveries[:i], s.state.Deliveries[i+1:]...)
	}
}
