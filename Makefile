# upmock: the README's two commands are `go run ./cmd/upmock serve` and `make test`.
GO      ?= go
CACHE   := .cache
# make conformance                      every API's specs against its reference driver
# make conformance DRIVER='python3 my_driver.py' API=atlas   your driver, your APIs (comma list)
DRIVER  ?=
API     ?=
REPORT  ?= $(CURDIR)/report-conformance.xml
HTML    ?= $(CURDIR)/report-conformance.html
# APIs with a reference driver: conformance/drivers/<api>-reference
REFERENCE_APIS := $(patsubst conformance/drivers/%-reference,%,$(wildcard conformance/drivers/*-reference))

.PHONY: run test conformance bench bench-peers vet dist

run:
	$(GO) run ./cmd/upmock serve

# Every test: vet, then unit, mock and conformance tests (the conformance self-test runs the
# suite against the reference, Python and broken drivers) under the race detector. Tests'
# artifacts (the console's screenshots) land in .cache/test-artifacts/_artifacts/.
test:
	$(GO) vet ./...
	@mkdir -p $(CACHE)/test-artifacts
	$(GO) test -race -count=1 -timeout 10m -artifacts -outputdir $(CURDIR)/$(CACHE)/test-artifacts ./...

# The conformance suite, run by the upmock binary as a partner runs it: with DRIVER, that
# driver on API (JUnit report in REPORT, HTML in HTML); without, each API's reference driver
# on its own rules (report-conformance-<api>.xml and .html).
# Without DRIVER: one go build for upmock and every reference driver, then the APIs' runs in
# parallel (each its own server and driver), their output printed in order once all are done.
conformance:
	@mkdir -p $(CACHE)
ifeq ($(strip $(DRIVER)),)
	$(GO) build -o $(CACHE)/ ./cmd/upmock $(foreach api,$(REFERENCE_APIS),./conformance/drivers/$(api)-reference)
	@for api in $(REFERENCE_APIS); do \
		( $(CACHE)/upmock conformance --api $$api --driver $(CURDIR)/$(CACHE)/$$api-reference \
			--junit $(CURDIR)/report-conformance-$$api.xml --report $(CURDIR)/report-conformance-$$api.html \
			> $(CACHE)/conformance-$$api.log 2>&1; echo $$? > $(CACHE)/conformance-$$api.status ) & \
	done; wait; status=0; \
	for api in $(REFERENCE_APIS); do \
		echo "== $$api with the reference driver"; cat $(CACHE)/conformance-$$api.log; \
		[ "$$(cat $(CACHE)/conformance-$$api.status)" = 0 ] || status=1; \
	done; exit $$status
else
	$(GO) build -o $(CACHE)/upmock ./cmd/upmock
	$(CACHE)/upmock conformance --driver '$(DRIVER)' --api '$(API)' --junit $(REPORT) --report $(HTML)
endif

# Release binaries for partners, who run them without Go: .cache/dist/upmock-<os>-<uname -m>,
# the files the README's partner section copies.
DIST := linux/amd64:linux-x86_64 linux/arm64:linux-aarch64 darwin/amd64:darwin-x86_64 darwin/arm64:darwin-arm64
dist:
	@mkdir -p $(CACHE)/dist
	@set -e; for t in $(DIST); do p=$${t%%:*}; n=$${t##*:}; \
		CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -trimpath -o $(CACHE)/dist/upmock-$$n ./cmd/upmock; \
		echo "$(CACHE)/dist/upmock-$$n"; done

# One op of most benchmarks is one request; the JAIA import's is a 10,000-row file, the
# registration memory figure wants 50,000 registrations to average out growth, and the
# accept latency is judged while the pending queue grows past a million.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2000x ./...
	$(GO) test -run '^$$' -bench 'Import10000Rows' -benchtime 5x ./mocks/jaia/
	$(GO) test -run '^$$' -bench 'AcceptedRegistrationMemory' -benchtime 50000x ./mocks/atlas/
	$(GO) test -run '^$$' -bench 'AcceptWhilePendingGrows' -benchtime 1200000x ./mocks/atlas/

# upmock's real ATLAS call next to a bare net/http handler, WireMock, Prism and Mountebank under
# one wrk load; installs wrk (apt-get) and the peers (npm, pinned) and writes bench/RESULTS.md.
# Not part of `make test`; about eight minutes. The defaults are issue #14's method: 20 s of
# warm-up, 3 × 10 s measured, and upmock's RSS read after 90 s of load in all (soak 40 s).
BENCH_WARMUP      ?= 20s
BENCH_DURATION    ?= 10s
BENCH_RUNS        ?= 3
BENCH_CONNECTIONS ?= 32
BENCH_SOAK        ?= 40s
BENCH_PEERS       ?= bare,upmock,wiremock,wiremock-nojournal,prism,mountebank
bench-peers:
	$(GO) run ./internal/benchpeers -warmup $(BENCH_WARMUP) -duration $(BENCH_DURATION) -runs $(BENCH_RUNS) \
		-connections $(BENCH_CONNECTIONS) -soak $(BENCH_SOAK) -peers $(BENCH_PEERS) -cache $(CACHE)/bench-peers -out bench/RESULTS.md

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
