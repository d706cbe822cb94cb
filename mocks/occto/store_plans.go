package occto

import "time"

// planList is the company's accepted plans updated on or after from (JST; zero: all), of
// one division or all (""), in reception-number order. The copies share nothing mutable
// with the model.
func (s *store) planList(company string, from time.Time, division string) []*Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked(s.clock.Now())
	var out []*Plan
	for _, p := range s.plans {
		if p.Company != company || p.UpdatedAt.Before(from) || (division != "" && p.Division != division) {
			continue
		}
		c := *p
		out = append(out, &c)
	}
	return out
}

// plan is one of the company's plans by both keys: a reception number with the wrong
// division, or another company's, is not found.
func (s *store) plan(company, division, no string) (*Plan, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked(s.clock.Now())
	p := s.planByNo[no]
	if p == nil || p.Company != company || p.Division != division {
		return nil, &errNotFound
	}
	c := *p
	return &c, nil
}
