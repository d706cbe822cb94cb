package core

import (
	"fmt"
	"net/http"

	"github.com/gorilla/mux"
)

// handleDeleteSession is DELETE /__upmock/sessions/{name}: a test run on a shared, long-lived
// upmock removes the sessions it created when it ends, instead of leaving them to idle out.
// It is a route of its own (not /s/{name}/__upmock/…) because that prefix would first create
// the session it is asked to delete.
func (s *Server) handleDeleteSession(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	switch {
	case !sessionName.MatchString(name):
		writeControlError(w, http.StatusBadRequest, fmt.Errorf("session name %q: use 1-64 characters of A-Z a-z 0-9 . _ -", name))
	case name == DefaultSession:
		writeControlError(w, http.StatusBadRequest, fmt.Errorf("the %s session cannot be deleted; POST /__upmock/reset resets it", DefaultSession))
	case !s.sessions.remove(name):
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no session %q", name))
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
