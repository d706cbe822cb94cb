package core

import (
	"fmt"
	"net/http"
)

// persistAPI makes what an upstream request changed durable before its answer leaves: the
// session's core part (clock, IDs, faults, switches), its downloads and the API's own state.
// When the disk refuses, the client gets the upstream's 500 instead of a success that would
// not survive a crash.
func (s *Server) persistAPI(sess *Session, api string, inst Instance, rec *capture) {
	if err := sess.persist.commit(partCore, partDownloads, partAPIPrefix+api); err != nil {
		s.logger.Error("state dir: saving the change failed; answering 500", "session", sess.Name, "api", api, "err", err)
		rec.reset()
		ct, body := inst.FaultResponse(http.StatusInternalServerError)
		writeUpstreamError(rec, inst, http.StatusInternalServerError, ct, body)
	}
}

// persistControl wraps the control API: a request that may change the session (anything but
// GET and HEAD) is answered only once the whole session is durable.
func (s *Server) persistControl(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		sess := sessionOf(r)
		rec := newCapture()
		next.ServeHTTP(rec, r)
		if err := sess.persist.commit(sess.partNames()...); err != nil {
			s.logger.Error("state dir: saving the change failed; answering 500", "session", sess.Name, "err", err)
			rec.reset()
			writeControlError(rec, http.StatusInternalServerError, fmt.Errorf("the change was applied but could not be saved to the state dir: %v", err))
		}
		rec.flushTo(w)
	})
}
