package jaia

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Session and rate-limit rules (manual §1-3, §1-17; NOTES.md ).
const (
	idleExpiry   = 2 * time.Hour
	lockAfter    = 5 // failed logins before the account locks (「既定回数」)
	rateLimit    = 100
	rateWindow   = time.Minute
	loginLabel   = "利用者メールアドレス"
	passLabel    = "パスワード"
	externalApp  = "EXTERNAL"
	jaiaCategory = "99"
)

// caller is the authenticated user of a call.
type caller struct {
	userID     string
	company    string
	categories []string // the company's categories
	class      string   // 01 サイト管理者, 02 サイト利用者
}

func (c *caller) isJAIA() bool { return contains(c.categories, jaiaCategory) }

// mayWrite: サイト利用者 (02) only read (NOTES.md A-39).
func (c *caller) mayWrite() bool { return c.class == "01" }

// ownsCompany: JAIA users act for every company, others for their own (§1-5).
func (c *caller) ownsCompany(code string) bool { return c.isJAIA() || c.company == code }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// login is AUTH_LOGIN's business rule after the input checks (§3 ログイン, checks 1-4).
func (s *store) login(mail, password string) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	users := s.tables["user"]
	var u record
	for _, r := range users.rows {
		if !r.deleted() && r["user_mail"] == mail {
			u = r
			break
		}
	}
	if u == nil {
		return nil, fail(401, s.cat.msg("loginUnknown"))
	}
	failures, _ := strconv.Atoi(u["login_error_count"])
	if failures >= lockAfter {
		return nil, fail(401, s.cat.msg("loginLocked"))
	}
	now := s.clock.Now()
	company := s.tables["company"].get(u["jaia_company_code"])
	if company == nil || company.deleted() {
		return nil, fail(401, s.cat.msg("loginUnknown"))
	}
	if start := company["usage_start_date"]; start > now.Format("20060102") {
		return nil, fail(401, s.cat.msg("loginFutureStart", start[:4]+"/"+start[4:6]+"/"+start[6:]))
	}
	if s.passwords[u["user_id"]] != password {
		failures++
		u["login_error_count"] = strconv.Itoa(failures)
		if failures >= lockAfter {
			return nil, fail(401, s.cat.msg("loginLocked"))
		}
		return nil, fail(401, s.cat.msg("loginPassword"))
	}
	// A company not cleared for system cooperation (01) cannot use the API (§1-1, A-11).
	if company["cooperation_usage_classification"] != "01" {
		return nil, fail(401, s.cat.msg("auth"))
	}
	u["login_error_count"] = "0"
	u["last_login_date"] = u["login_date"]
	u["login_date"] = now.Format(auditLayout)
	token := s.ids.Hex(32)
	s.sessions[u["user_id"]] = &session{Token: token, LastSeen: now} // replaces any older token
	return map[string]any{
		"userId": u["user_id"], "companyCategory": u["company_category"],
		"userClassification": u["user_classification"], "criptToken": token,
		"jaiaCompanyCode": u["jaia_company_code"],
	}, nil
}

// authenticate checks the token for userID and slides the idle window (§1-3).
func (s *store) authenticate(userID, header string) (*caller, *apiError) {
	token := strings.TrimSpace(header)
	if len(token) > 7 && strings.EqualFold(token[:7], "Bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[userID]
	now := s.clock.Now()
	if sess == nil || token == "" || sess.Token != token {
		return nil, fail(401, s.cat.msg("auth"))
	}
	if now.Sub(sess.LastSeen) >= idleExpiry {
		delete(s.sessions, userID)
		return nil, fail(401, s.cat.msg("auth"))
	}
	u := s.tables["user"].get(userID)
	if u == nil || u.deleted() {
		delete(s.sessions, userID)
		return nil, fail(401, s.cat.msg("auth"))
	}
	sess.LastSeen = now
	c := &caller{userID: userID, company: u["jaia_company_code"], class: u["user_classification"]}
	if comp := s.tables["company"].get(c.company); comp != nil {
		c.categories = splitList(comp["company_category"])
	}
	return c, nil
}

// allow counts a call against the user's 100-a-minute budget (§1-17; NOTES.md A-28).
func (s *store) allow(userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	hits := s.hits[userID]
	keep := hits[:0]
	for _, t := range hits {
		if now.Sub(t) < rateWindow {
			keep = append(keep, t)
		}
	}
	if len(keep) >= rateLimit {
		s.hits[userID] = keep
		return false
	}
	s.hits[userID] = append(keep, now)
	return true
}

func (s *store) logout(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, userID)
}

// permitted is the per-classification permission of §1-5 (NOTES.md A-39): reading (select,
// export, codes) for every user; writing for site administrators; the company master's
// create and delete only for JAIA (99) administrators.
func permitted(c *caller, def APIDef) bool {
	switch def.Action {
	case "select", "export_deleted", "codes":
		return true
	}
	if !c.mayWrite() {
		return false
	}
	if def.Master == "company" && def.Action != "update" && def.Action != "import_update" {
		return c.isJAIA()
	}
	return true
}

// hdr is the token header.
func hdr(r *http.Request) string { return r.Header.Get("Authorization") }
