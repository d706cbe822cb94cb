package main

import (
	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
)

// defect is one deliberately broken rule.
type defect struct {
	breaks  string
	options func() []atlasdriver.Option
}

// defects are the names the suite's broken-driver specs select with -defect.
var defects = map[string]defect{
	"stale-jwt": {
		"a new JWT for every request: reuses the first Authorization header it sent",
		transport(staleJWT)},
	"auth-on-download": {
		"no ATLAS headers on download URLs: sends X-ATLAS-API-Key and Authorization there",
		transport(authOnDownload)},
	"fixed-transaction-id": {
		"a unique transactionId per registration: sends one constant UUID",
		transport(fixedTransactionID)},
	"omit-null-fields": {
		"every field present, null when unset: drops null-valued keys from registrations",
		transport(omitNullFields)},
	"multi-item-single": {
		"one item per single-item call: sends all items in one call to the single endpoint",
		func() []atlasdriver.Option { return []atlasdriver.Option{atlasdriver.WithRegistrar(multiItemSingle)} }},
	"first-page-only": {
		"follow the cursor while hasNext: stops after the first listing page",
		transport(firstPageOnly)},
	"retry-on-400": {
		"never retry a 400: retries it like a transient failure",
		transport(retryOn400)},
	"no-retry": {
		"retry 500/503/504/429 and dropped connections: never retries",
		config(noRetry)},
	"new-transaction-id-on-retry": {
		"a retried registration keeps its transactionId: gives it a new one",
		transport(newTransactionIDOnRetry)},
	"requestdate-ahead": {
		"requestDate is the real UTC time of the request: dates every JWT 30 s ahead",
		config(requestDateAhead)},
	"one-transaction-id-per-registration": {
		"a transactionId per request, and a refusal is a failure: single-item requests of one registration share one, and \"already registered\" counts as done",
		transport(oneTransactionIDPerRegistration)},
	"return-sent-cursor": {
		"keep the last cursor served: returns the cursor it sent for the last page",
		transport(returnSentCursor)},
	"reuse-master-url": {
		"ask for a new URL once one expired: answers master-data requests from a cache of the first answer",
		transport(reuseMasterURL)},
	"read-64k-prefix": {
		"read download files whole: reads at most 64 KiB of each",
		transport(readPrefix)},
	"local-time-as-utc": {
		"requestDate in UTC: writes the local time with Z (only shows outside UTC; every call is refused 804 in Asia/Tokyo)",
		config(localTimeAsUTC)},
	"retry-at-once": {
		"wait before a retry: retries 500/503/504/429 without waiting",
		config(retryAtOnce)},
}

// config makes a defect out of a client Config change.
func config(f func(*atlasclient.Config)) func() []atlasdriver.Option {
	return func() []atlasdriver.Option { return []atlasdriver.Option{atlasdriver.WithClientConfig(f)} }
}

// transport makes a defect out of a transport wrapper.
func transport(w atlasdriver.TransportWrapper) func() []atlasdriver.Option {
	return func() []atlasdriver.Option { return []atlasdriver.Option{atlasdriver.WithTransport(w)} }
}
