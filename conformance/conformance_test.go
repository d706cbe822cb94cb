package conformance

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
	"github.com/upmock/upmock/conformance/drivers/ics2nodriver"
	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
	"github.com/upmock/upmock/conformance/drivers/naccsdriver"
	"github.com/upmock/upmock/conformance/drivers/occtodriver"
)

// TestConformance is the suite's command-line entry:
//
//	go tool ginkgo --label-filter='api:atlas' --junit-report=report.xml ./conformance -- --driver='CMD ARGS'
//
// Without --driver it judges the project's reference clients, in-process. (The ginkgo
// CLI recognises a suite by a test file importing ginkgo, so RunSpecs is called here.)
func TestConformance(t *testing.T) {
	start := func(io.Writer, string) (driver.Driver, error) {
		return driver.InProcess(referenceHandler()), nil
	}
	setsZone := false
	if *driverFlag != "" {
		var err error
		if start, err = commandStarter(*driverFlag); err != nil {
			t.Fatal(err)
		}
		setsZone = true
	}
	prepare(start, setsZone)
	RegisterFailHandler(Fail)
	RunSpecs(t, SuiteName)
	finish(t)
}

// referenceHandler is every API's in-process reference driver behind one handler:
// configure goes to each (each ignores the blocks of other APIs), an op to the driver
// of its prefix ("atlas.", "jaia.", "occto.", "ics2no.", "naccs.").
func referenceHandler() driver.Handler {
	handlers := map[string]driver.Handler{
		"atlas":  atlasdriver.NewHandler(),
		"jaia":   jaiadriver.NewHandler(),
		"occto":  occtodriver.NewHandler(),
		"ics2no": ics2nodriver.NewHandler(),
		"naccs":  naccsdriver.NewHandler(),
	}
	return func(ctx context.Context, op string, params json.RawMessage) (any, error) {
		if op == "configure" {
			for _, h := range handlers {
				if _, err := h(ctx, op, params); err != nil {
					return nil, err
				}
			}
			return struct{}{}, nil
		}
		api, _, _ := strings.Cut(op, ".")
		if h, ok := handlers[api]; ok {
			return h(ctx, op, params)
		}
		return nil, driver.Unsupported(op)
	}
}
