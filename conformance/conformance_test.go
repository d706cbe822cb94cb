package conformance

import (
	"context"
	"io"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
)

// TestConformance is the suite's command-line entry:
//
//	go tool ginkgo --label-filter='api:atlas' --junit-report=report.xml ./conformance -- --driver='CMD ARGS'
//
// Without --driver it judges the project's reference ATLAS client, in-process. (The ginkgo
// CLI recognises a suite by a test file importing ginkgo, so RunSpecs is called here.)
func TestConformance(t *testing.T) {
	start := func(io.Writer) (driver.Driver, error) {
		return driver.InProcess(atlasdriver.NewHandler()), nil
	}
	if *driverFlag != "" {
		args, err := splitCommand(*driverFlag)
		if err != nil {
			t.Fatal(err)
		}
		if len(args) == 0 {
			t.Fatal("--driver is blank")
		}
		args = resolvePaths(args)
		start = func(stderr io.Writer) (driver.Driver, error) {
			return driver.Start(context.Background(), args, stderr)
		}
	}
	prepare(start)
	RegisterFailHandler(Fail)
	RunSpecs(t, SuiteName)
	finish(t)
}
