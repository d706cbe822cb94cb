//go:build race

package selftest

// raceEnabled: the self-test was built with -race (make test does), so the suite and the
// drivers are built with it too — the packages are then already in the build cache.
const raceEnabled = true
