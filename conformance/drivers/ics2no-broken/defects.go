package main

import (
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// defect is one deliberately broken rule.
type defect struct {
	breaks  string
	options []ics2nodriver.Option
}

// defects are the names the suite's self-test selects with -defect.
var defects = map[string]defect{
	"fixed-jti": {
		"a new jti in every Maskinporten grant: sends one constant jti",
		config(func(c *ics2noclient.Config) {
			c.NewJTI = func() string { return "0b7e3c1a-5d2f-4e6a-9c8b-7a6f5e4d3c2b" }
		})},
	"token-per-call": {
		"reuse the Customs token while it is valid: gets new tokens (both hops) for every call",
		config(func(c *ics2noclient.Config) { c.TokenMargin = 24 * time.Hour })},
	"no-refresh": {
		"renew an expired token: keeps sending the first Customs token it got",
		transport(staleToken)},
	"fixed-request-id": {
		"a fresh requestId on every presentation: sends one constant requestId",
		config(func(c *ics2noclient.Config) {
			c.NewRequestID = func() string { return "5f0c2a8e-1b3d-4c7e-8a9f-0e1d2c3b4a59" }
		})},
	"represent": {
		"never present goods twice: forgets what it presented and presents it again when asked",
		config(func(c *ics2noclient.Config) { c.Presented = forgetful{} })},
	"new-request-id-on-retry": {
		"a retried presentation keeps its requestId: gives the retry a new one",
		transport(newRequestIDOnRetry)},
	"no-status-check": {
		"read the validation status: takes every accepted presentation as SUCCESS without asking",
		transport(noStatusCheck)},
	"no-marker": {
		"follow routing with marker: reads routing from the start every time",
		transport(noMarker)},
	"reuse-failed-request-id": {
		"a requestId is used once, whatever the outcome: sends a failed presentation's requestId again with the next one",
		transport(reuseFailedRequestID)},
	"reused-as-success": {
		"a refused reuse is a failure: sends one constant requestId and takes \"requestId er allerede brukt\" for \"taken\"",
		append(config(func(c *ics2noclient.Config) {
			c.NewRequestID = func() string { return "5f0c2a8e-1b3d-4c7e-8a9f-0e1d2c3b4a59" }
		}), transport(reusedAsAccepted)...)},
	"read-64k-prefix": {
		"read answers whole: reads at most 64 KiB of each API answer",
		transport(readPrefix)},
	"local-time-as-utc": {
		"grant times in UTC: reads the local wall clock as UTC (only shows outside UTC; in Europe/Oslo every grant is refused, iat in the future)",
		config(func(c *ics2noclient.Config) {
			now := c.Now
			if now == nil {
				now = time.Now
			}
			c.Now = func() time.Time { return sabotage.LocalWallClockAsUTC(now(), time.Local) }
		})},
	"release-on-presentation": {
		"release only on TO_ENTRY: releases presented goods that have no signal yet",
		[]ics2nodriver.Option{ics2nodriver.WithDecider(releaseOnPresentation)}},
}

func config(f func(*ics2noclient.Config)) []ics2nodriver.Option {
	return []ics2nodriver.Option{ics2nodriver.WithClientConfig(f)}
}

func transport(w ics2nodriver.TransportWrapper) []ics2nodriver.Option {
	return []ics2nodriver.Option{ics2nodriver.WithTransport(w)}
}

// forgetful is a registry of presented goods that remembers nothing.
type forgetful struct{}

func (forgetful) Lookup(string) (ics2noclient.Record, bool) { return ics2noclient.Record{}, false }
func (forgetful) Record(string, ics2noclient.Record)        {}

// releaseOnPresentation decides as the reference client does, but releases what it holds.
func releaseOnPresentation(signals []ics2noclient.RoutingEntry, presented []ics2noclient.Goods) []ics2noclient.Decision {
	out := ics2noclient.Decide(signals, presented)
	for i := range out {
		if out[i].Action == ics2noclient.ActionHold {
			out[i].Action = ics2noclient.ActionRelease
		}
	}
	return out
}
