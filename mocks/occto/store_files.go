package occto

import (
	"fmt"
	"time"
)

// submit receives a file: it is numbered and checked now, and its outcome (受付完了 with its
// plans applied, or 提出エラー) takes effect processingDelay later.
func (s *store) submit(acc account, name string, raw []byte) *File {
	recv := s.receiver()
	settings := s.currentSettings()
	// The checks run outside the lock: they read only the message and fixed identities.
	encoding, plans, findings := checkMessage(raw, acc.company, recv, settings.MaxFindings)

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.applyDueLocked(now)
	s.lastFileNo++
	f := &File{
		ReceptionNo: fmt.Sprintf("%010d", s.lastFileNo), Company: acc.company, UserID: acc.UserID,
		Name: name, Encoding: encoding, SubmittedAt: now, Due: now.Add(settings.ProcessingDelay.D()),
		Status: statusProcessing, Errors: findings, Pending: plans, PlanNos: []string{},
	}
	if f.Errors == nil {
		f.Errors = []Finding{}
	}
	if f.Name == "" {
		f.Name = "BA13B101_" + jstStamp(now, layoutDayTime) + ".xml"
	}
	s.files = append(s.files, f)
	s.fileByNo[f.ReceptionNo] = f
	s.applyDueLocked(now)
	return f
}

// applyDueLocked settles every file whose processing time has come, in submission order:
// a file with findings becomes 提出エラー; any other has its plans applied (a plan whose
// company, division and 事業者計画番号 match an existing one replaces it and keeps its
// OCCTORECEPTIONNO, as a 変更) and becomes 受付完了.
func (s *store) applyDueLocked(now time.Time) {
	for _, f := range s.files {
		if f.Status != statusProcessing || f.Due.After(now) {
			continue
		}
		if len(f.Errors) > 0 {
			f.Status, f.Pending = statusError, nil
			continue
		}
		for _, pp := range f.Pending {
			f.PlanNos = append(f.PlanNos, s.applyPlanLocked(f, pp).ReceptionNo)
		}
		f.Status, f.Pending = statusAccepted, nil
	}
}

func (s *store) applyPlanLocked(f *File, pp PendingPlan) *Plan {
	key := planKey{f.Company, pp.Division, pp.SubmitPlanNo}
	if p := s.planByKey[key]; p != nil {
		p.PlanFields, p.XML = pp.PlanFields, pp.XML
		p.FileReceptionNo, p.UpdatedAt = f.ReceptionNo, f.Due
		p.Version++
		return p
	}
	s.lastPlanNo++
	p := &Plan{
		PlanFields: pp.PlanFields, ReceptionNo: fmt.Sprintf("%010d", s.lastPlanNo), Company: f.Company,
		FileReceptionNo: f.ReceptionNo, Version: 1, RegisteredAt: f.Due, UpdatedAt: f.Due, XML: pp.XML,
	}
	s.plans = append(s.plans, p)
	s.planByNo[p.ReceptionNo], s.planByKey[key] = p, p
	return p
}

// fileList is the company's files submitted on or after from (JST; zero: all), oldest first.
func (s *store) fileList(company string, from time.Time) []*File {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked(s.clock.Now())
	var out []*File
	for _, f := range s.files {
		if f.Company == company && !f.SubmittedAt.Before(from) {
			c := *f
			out = append(out, &c)
		}
	}
	return out
}

// file is one of the company's files; another company's is not found.
func (s *store) file(company, no string) (*File, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked(s.clock.Now())
	f := s.fileByNo[no]
	switch {
	case f == nil || f.Company != company:
		return nil, &errNotFound
	case f.Status == statusProcessing:
		return nil, &errStillProcessing
	}
	c := *f
	return &c, nil
}
