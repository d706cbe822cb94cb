package mocks

import "github.com/upmock/upmock/mocks/ics2no"

func init() {
	register(ics2no.MaskinportenAPI{})
	register(ics2no.API{})
}
