//go:build race

package selftest

// raceEnabled: the self-test was built with -race (make test does).
const raceEnabled = true
