# fengqiao — the documented entry points. `make help` lists them.
SHELL := /bin/bash
GO    ?= go
BIN   ?= ./fengqiao
DATA  ?= ./pb_data
HTTP  ?= 127.0.0.1:8090

.PHONY: help demo build ui ui-deps test test-go fuzz test-ui test-e2e e2e-deps vet fmt bench bench-alarms clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: build ## build everything and start the appliance with the demo community and its simulated sensors
	@mkdir -p $(DATA); echo "simulated sensors (fengqiao simulate): tail -f $(DATA)/simulate.log"; \
	( until (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; do sleep 0.5; done; \
	  exec $(BIN) simulate --dir $(DATA) --url mqtt://127.0.0.1:1883 ) > $(DATA)/simulate.log 2>&1 & sim=$$!; \
	trap 'kill $$sim 2>/dev/null' EXIT; \
	$(BIN) serve --demo --dir $(DATA) --http $(HTTP)

build: ui ## build the web UI and the fengqiao binary
	$(GO) build -o $(BIN) .

ui-deps: ui/node_modules/.installed ## install the UI's npm packages from the lockfile (needs Node.js + npm)
ui/node_modules/.installed: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund && touch node_modules/.installed
e2e/node_modules/.installed: e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund && touch node_modules/.installed

ui: ui-deps ## build the web UI into ui/dist (embedded by the Go build)
	cd ui && npm run build

test: vet test-go fuzz test-ui test-e2e ## run every test: Go, fuzz (briefly), UI unit, browser end-to-end

test-go: ## Go tests (no Node needed)
	$(GO) test -count=1 ./...

FUZZTIME ?= 10s
fuzz: ## run each Go fuzz target briefly (FUZZTIME=10s)
	$(GO) test -run '^$$' -fuzz '^FuzzInbound$$' -fuzztime $(FUZZTIME) ./broker
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./payload
	$(GO) test -run '^$$' -fuzz '^FuzzCompile$$' -fuzztime $(FUZZTIME) ./rules

test-ui: ui-deps ## UI unit tests (vitest)
	cd ui && npm test

e2e-deps: ## Debian's chromium and a CJK font for the browser tests (needs root)
	./e2e/install-deps.sh

test-e2e: build e2e-deps e2e/node_modules/.installed ## browser tests against a real appliance on loopback
	cd e2e && FENGQIAO_BIN=$(abspath $(BIN)) npm test

vet: ## go vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l . | grep -v node_modules)" || (gofmt -l . | grep -v node_modules; echo "gofmt needed"; exit 1)

bench: ## the appliance beside Debian's mosquitto on loopback: ingest, latency, memory per device, reconnect storm
	./loadgen/bench.sh

bench-alarms: ## SOS publish → alarm → 50 dashboards, at 1,000 and 10,000 msg/s background telemetry
	./loadgen/bench-alarms.sh

clean: ## remove build output
	rm -rf $(BIN) ui/node_modules e2e/node_modules
	find ui/dist -mindepth 1 ! -name .keep -delete
