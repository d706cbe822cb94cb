# upmock: the README's two commands are `go run ./cmd/upmock serve` and `make test`.
GO      ?= go
CACHE   := .cache
# make conformance DRIVER='python3 my_driver.py' LABELS='api:atlas'
DRIVER  ?= $(CACHE)/atlas-reference
LABELS  ?=
REPORT  ?= $(CURDIR)/report-conformance.xml

.PHONY: run test conformance bench vet

run:
	$(GO) run ./cmd/upmock serve

# Every test: vet, then unit, mock and conformance tests (the conformance self-test runs the
# suite against the reference, Python and broken drivers) under the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...

# The conformance suite against DRIVER (default: the reference Go driver), JUnit report in REPORT.
conformance:
	@mkdir -p $(CACHE)
	$(GO) build -o $(CACHE)/atlas-reference ./conformance/drivers/atlas-reference
	$(GO) tool ginkgo --label-filter='$(LABELS)' --junit-report=$(REPORT) ./conformance -- --driver='$(DRIVER)'

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2000x ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
