package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/mocks"
)

// Run runs the conformance suite against a Go client, from that client's own test:
//
//	func TestATLASConformance(t *testing.T) {
//		conformance.Run(t, func() (driver.Driver, error) {
//			return driver.InProcess(myHandler()), nil
//		})
//	}
//
// factory is called once per spec and must return a fresh driver; the suite sends it
// "configure" first and closes it when the spec ends. The suite's flags (--upmock-url)
// and ginkgo's (-ginkgo.label-filter, -ginkgo.junit-report, …) apply as usual.
// Ginkgo runs one suite per process: call Run once, from a test package of its own.
func Run(t *testing.T, factory func() (driver.Driver, error)) {
	prepare(func(io.Writer, string) (driver.Driver, error) { return factory() }, false)
	RegisterFailHandler(Fail)
	RunSpecs(t, SuiteName)
	finish(t)
}

// SuiteName is the suite's name in reports (the JUnit testsuite and classname).
const SuiteName = "upmock conformance"

// starter starts one driver for one spec; what the driver writes to its standard error
// goes to stderr. tz is the TZ the spec wants the driver to run in (driverZone); a starter
// that cannot set it (an in-process driver) ignores it.
type starter func(stderr io.Writer, tz string) (driver.Driver, error)

// suite is the state one process's run shares between specs.
var suite struct {
	start    starter
	setsZone bool // start runs a process with the spec's TZ

	once      sync.Once
	serverURL string
	server    *mocks.Server // nil when --upmock-url points at a running upmock
	serverErr error
	apis      []string // what the upmock serves, from its health answer
}

// prepare sets how specs start their driver, and whether start gives the driver its TZ;
// call it before RunSpecs.
func prepare(start starter, setsZone bool) { suite.start, suite.setsZone = start, setsZone }

// finish deletes the sessions the run left on upmock and closes the in-process upmock, if
// one was started; call it after RunSpecs.
func finish(t *testing.T) {
	if err := closeRun(); err != nil {
		t.Error(err)
	}
}

func closeRun() error {
	var errs []error
	if suite.serverURL != "" && suite.serverErr == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := deleteMadeSessions(ctx, suite.serverURL); err != nil {
			errs = append(errs, fmt.Errorf("deleting the suite's sessions on upmock: %w", err))
		}
	}
	if suite.server != nil {
		if err := suite.server.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the in-process upmock: %w", err))
		}
	}
	return errors.Join(errs...)
}

// serverURL returns the upmock every spec talks to: --upmock-url, or one started
// in-process on first use. It is started lazily rather than in BeforeSuite so that a
// Go client's test calling Run keeps its own suite-level nodes.
func serverURL(ctx context.Context) string {
	GinkgoHelper()
	suite.once.Do(func() {
		if u := *upmockURLFlag; u != "" {
			suite.serverURL = u
		} else {
			srv, err := mocks.Start(mocks.Options{})
			if err != nil {
				suite.serverErr = fmt.Errorf("starting upmock in-process: %w", err)
				return
			}
			suite.server, suite.serverURL = srv, srv.URL()
		}
		hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		h, err := control.New(suite.serverURL, "").WithToken(*upmockTokenFlag).Health(hctx)
		if err != nil {
			suite.serverErr = fmt.Errorf("upmock at %s does not answer: %w", suite.serverURL, err)
		}
		suite.apis = h.APIs
	})
	Expect(suite.serverErr).NotTo(HaveOccurred(), "the suite needs a running upmock")
	return suite.serverURL
}

// requireAPI fails the spec unless the upmock serves api.
func requireAPI(api string) {
	GinkgoHelper()
	Expect(suite.apis).To(ContainElement(api), "upmock at %s does not serve %s", suite.serverURL, api)
}
