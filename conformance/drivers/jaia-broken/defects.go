package main

import (
	"context"

	"github.com/upmock/upmock/conformance/clients/jaiaclient"
	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
)

// defect is one deliberately broken rule.
type defect struct {
	breaks  string
	options func() []jaiadriver.Option
}

// defects are the names the suite's self-test selects with -defect, one per JAIA rule.
var defects = map[string]defect{
	"login-every-op": {
		"JAIA-AUTH-1, one login per session: logs in again before every operation",
		option(jaiadriver.WithBeforeOp(loginEveryOp))},
	"cached-login": {
		"JAIA-AUTH-2, log in again after the idle expiry: replays its first login's answer instead",
		transport(cachedLogin)},
	"no-logout": {
		"JAIA-AUTH-3, log out when done: never sends DELETE /auth",
		transport(noLogout)},
	"create-api-id-on-update": {
		"JAIA-REQ-1, apiId of the called API: sends STORE_CREATE's apiId to STORE_UPDATE",
		transport(createAPIIDOnUpdate)},
	"one-based-pages": {
		"JAIA-PAGE-1, pages from 0: numbers search pages from 1",
		transport(oneBasedPages)},
	"singles-for-small-batches": {
		"JAIA-BULK-1, import for several records: loops single creates up to 100 records",
		option(jaiadriver.WithStoreCreator(singlesForSmallBatches))},
	"one-csv": {
		"JAIA-BULK-2, at most 10,000 rows a CSV: imports any number of rows in one CSV",
		option(jaiadriver.WithStoreCreator(oneCSV))},
	"no-rate-limit": {
		"JAIA-RATE-1, at most the configured rate: sends as fast as it can",
		option(jaiadriver.WithClientConfig(func(c *jaiaclient.Config) { c.Limiter = unlimited{} }))},
	"departure-window": {
		"JAIA-RATE-1, the window counts from each answer: counts it from each request's departure",
		option(jaiadriver.WithClientConfig(func(c *jaiaclient.Config) { c.Limiter = newDepartureWindow(c.RateLimit) }))},
	"first-error-only": {
		"JAIA-RESULT-2, every message of a failure: reports only the first entry of errorMessageList",
		transport(firstErrorOnly)},
	"export-any-200": {
		"JAIA-EXPORT-1, an abnormal export is a failure: takes any HTTP 200 answer of an export for the file",
		transport(exportAny200)},
	"byte-length-names": {
		"JAIA-STORE-1, values stored as given: clips an update's storeName to 100 bytes",
		transport(byteLengthNames)},
	"read-prefix": {
		"JAIA-READ-1, answers read whole: reads the first 64 KiB of every answer",
		transport(readPrefix)},
	"relogin-without-app-id": {
		"JAIA-AUTH-2, log in again after the idle expiry: sends the second login without appId",
		transport(reloginWithoutAppID)},
	"http-status-only": {
		"JAIA-RESULT-1, success is result 0: takes every HTTP 2xx answer for a success",
		transport(httpStatusOnly)},
}

func option(o jaiadriver.Option) func() []jaiadriver.Option {
	return func() []jaiadriver.Option { return []jaiadriver.Option{o} }
}

func transport(w jaiadriver.TransportWrapper) func() []jaiadriver.Option {
	return option(jaiadriver.WithTransport(w))
}

// loginEveryOp logs in before every operation, as a client that opens a session per task.
func loginEveryOp(ctx context.Context, c *jaiaclient.Client) error {
	_, err := c.Login(ctx)
	return err
}

// singlesForSmallBatches calls the single create API in a loop for up to 100 stores, as a
// client that keeps the import API for "big" jobs.
func singlesForSmallBatches(ctx context.Context, c *jaiaclient.Client, stores []jaiaclient.Record) (int, error) {
	if len(stores) > 100 {
		return jaiadriver.DefaultStoreCreator(ctx, c, stores)
	}
	for i, s := range stores {
		if err := c.CreateRecord(ctx, jaiaclient.Store, s); err != nil {
			return i, err
		}
	}
	return len(stores), nil
}

// oneCSV sends every store in one import, as a client unaware of the 10,000-row limit.
func oneCSV(ctx context.Context, c *jaiaclient.Client, stores []jaiaclient.Record) (int, error) {
	if len(stores) < 2 {
		return jaiadriver.DefaultStoreCreator(ctx, c, stores)
	}
	file, err := jaiaclient.EncodeCSV(jaiaclient.Store.CreateColumns, stores)
	if err != nil {
		return 0, err
	}
	counts, err := c.SendImport(ctx, jaiaclient.Store.ImportCreate(), "store.csv", file)
	return counts.Success, err
}
