# pushd — common tasks. `make help` lists them.
GO       ?= go
BIN      ?= bin/pushd
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: help run build test test-short generate lint bench services

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: build ## run pushd with all roles on the embedded default (no Postgres or Redis needed)
	./$(BIN) serve

build: ## build the pushd binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/pushd

test: services ## run every test against real PostgreSQL and Redis (starts them if they are down)
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...

generate: ## regenerate ent and gqlgen code after a schema change
	$(GO) run -mod=mod ./ent/entc.go
	$(GO) tool gqlgen generate

lint: ## vet, formatting and module tidiness
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff

bench: services ## benchmarks and load runs (not part of CI)
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench-gateway.sh
	scripts/bench-pipeline.sh

services: ## start local PostgreSQL and Redis if they are down (CI machine layout)
	@scripts/services.sh
