# pushd — common tasks. `make help` lists them.
GO       ?= go
BIN      ?= bin/pushd
FAKES    ?= bin/pushd-fakes
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: help run console build test test-web test-short generate lint bench chaos fuzz services

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: console build ## run pushd with all roles on the embedded default (no Postgres or Redis needed)
	./$(BIN) serve

console: ## build the web console into web/dist when its sources are newer (skipped without npm)
	@if [ ! -f web/package.json ]; then exit 0; fi; \
	if ! command -v npm >/dev/null 2>&1; then echo "npm not found: pushd will serve a page saying how to build the console"; exit 0; fi; \
	if [ -f web/dist/index.html ] && [ -z "$$(find web/src web/index.html web/package.json web/schema.graphql -newer web/dist/index.html 2>/dev/null | head -1)" ]; then exit 0; fi; \
	echo "building the web console into web/dist (the first time installs web/package-lock.json's packages)"; \
	cd web && npm ci --no-audit --no-fund && npm run build

build: ## build the pushd binary, and pushd-fakes (local vendor fakes for demos and the browser tests), into bin/
	@[ -x $(BIN) ] || echo "building $(BIN): the first build downloads and compiles every dependency (a few minutes; later builds take seconds)"
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/pushd
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-s -w' -o $(FAKES) ./cmd/pushd-fakes

test: services ## run every test against real PostgreSQL and Redis (starts them if they are down)
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...
	cd deploy && $(GO) test -count=1 ./...

test-web: ## the console: generated types current, unit tests (Vitest), build, browser tests (Debian chromium) against a real pushd
	@command -v chromium >/dev/null 2>&1 || { echo "chromium is needed: apt-get install -y chromium"; exit 1; }
	cd web && npm ci --no-audit --no-fund && npm run codegen
	@if [ -n "$$(git status --porcelain -- web/src/gql)" ]; then git status --short -- web/src/gql; echo "web/src/gql differs from what codegen makes: run 'npm run codegen' in web/ and commit"; exit 1; fi
	cd web && npm test && npm run build
	$(MAKE) build
	cd web && PUSHD_BIN=$(CURDIR)/$(BIN) PUSHD_FAKES_BIN=$(CURDIR)/$(FAKES) npm run test:e2e

generate: ## regenerate ent and gqlgen code after a schema change
	$(GO) run -mod=mod ./ent/entc.go
	$(GO) tool gqlgen generate
	$(GO) run ./cmd/pushd schema > web/schema.graphql
	@if command -v npm >/dev/null 2>&1 && [ -d web/node_modules ]; then cd web && npm run codegen; fi

lint: ## vet, formatting and module tidiness
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	cd deploy && $(GO) mod tidy -diff && $(GO) vet ./...

bench: services ## benchmarks and load runs (not part of CI)
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench-gateway.sh
	N=12000 GATEWAYS=3 scripts/bench-fleet.sh
	scripts/bench-pipeline.sh
	$(MAKE) console build
	cd web && node bench/console-bench.mjs size && node bench/console-bench.mjs interactive 20 && node bench/console-bench.mjs memory 60

chaos: services ## the fault suite: every fault mid-broadcast on 60,000 devices, lost = 0 checked (not part of CI, which runs its kill -9 case)
	$(GO) test -tags chaos -count=1 -run '^TestChaos' -v -timeout 90m ./cmd/pushd

fuzz: ## every fuzz target for FUZZTIME each (default 30s; FUZZ=regexp picks targets); failing inputs land in testdata/fuzz (not part of CI)
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

services: ## start local PostgreSQL and Redis if they are down (CI machine layout)
	@scripts/services.sh
