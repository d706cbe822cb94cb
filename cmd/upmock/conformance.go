package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/upmock/upmock/conformance"
)

const conformanceUsage = `usage: upmock conformance --driver 'CMD ARGS' [--api atlas,jaia] [--upmock-url URL [--upmock-token T]]
                          [--junit FILE.xml] [--report FILE.html] [--focus RULE]
       upmock conformance --new-driver python|node --api API DIR

Runs the conformance suite against your driver (conformance/DRIVER.md): one line per rule as
it finishes, then a summary; the exit status is 1 when a rule is broken. With --new-driver it
writes a driver skeleton for one API into DIR instead. Flags:
`

// errRulesBroken makes main exit with status 1: the run worked, and a rule was broken.
var errRulesBroken = errors.New("a rule is broken")

func runConformance(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, conformanceUsage); fs.PrintDefaults() }
	var o conformance.CommandOptions
	var apis, newDriver string
	fs.StringVar(&o.Driver, "driver", "", "the driver's command line, split on spaces; quotes and \\ as in a shell")
	fs.StringVar(&apis, "api", "", "comma list of APIs whose rules run ("+strings.Join(conformance.APIs, ",")+"; default all)")
	fs.StringVar(&o.UpmockURL, "upmock-url", "", "an already running upmock (e.g. http://127.0.0.1:8080); default: start one in-process")
	fs.StringVar(&o.UpmockToken, "upmock-token", "", "the --upmock-url upmock's control token (its --control-token); default $UPMOCK_CONTROL_TOKEN")
	fs.StringVar(&o.JUnit, "junit", "", "write a JUnit XML report to this file")
	fs.StringVar(&o.Report, "report", "", "write a self-contained HTML report to this file")
	fs.StringVar(&o.Focus, "focus", "", "run one rule (e.g. ATLAS-AUTH-1), or the rules whose names match this regular expression")
	fs.StringVar(&newDriver, "new-driver", "", "write a driver skeleton in this language (python or node) for --api into DIR")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if apis != "" {
		o.APIs = strings.Split(apis, ",")
	}
	if newDriver != "" {
		if fs.NArg() != 1 || len(o.APIs) != 1 {
			return errors.New("--new-driver takes one --api and one directory: upmock conformance --new-driver python --api atlas DIR")
		}
		path, err := conformance.WriteSkeleton(newDriver, o.APIs[0], fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s; run it with: upmock conformance --api %s --driver '%s %s'\n",
			path, o.APIs[0], map[string]string{"python": "python3", "node": "node"}[newDriver], path)
		return nil
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("conformance takes no arguments without --new-driver, got %q", fs.Args())
	}
	if o.Driver == "" {
		return errors.New("--driver is required: the command that starts your driver, e.g. --driver 'python3 driver.py'")
	}
	o.Out = stdout
	passed, err := conformance.RunCommand(o)
	if err != nil {
		return err
	}
	if !passed {
		return errRulesBroken
	}
	return nil
}
