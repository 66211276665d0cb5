# The two commands a newcomer needs are `make dev` and `make test`; each
# installs what it needs (npm packages, Debian's PostgreSQL 15, the Go build of
# FerretDB, the Go build of helm, Debian's promtool; for `make test` also
# Debian's podman and runc, and the three images) first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS := $(CURDIR)/.tools
FERRETDB_VERSION := v1.24.2
HELM_VERSION := v3.22.0

.PHONY: lint format dev test install tools postgres promtool chromium podman image build web web-api web-api-check proto proto-check k6-check chart-typecheck unit chart clean

dev: build tools ## start the database, the four services and the gateway on :8080
	node packages/local-platform/dist/dev.js

test: build tools image proto-check web-api-check k6-check chart-typecheck lint ## every test: unit, proxy, platform (browser tests included), chart, containers
	npx jest --ci

unit: build ## unit tests only (no processes)
	npx jest --ci --selectProjects unit

chart: build $(TOOLS)/helm promtool ## the chart's tests only: helm lint/template, schemas, alerts (promtool), deploy commands
	npx jest --ci --selectProjects chart

install: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json $(wildcard */package.json */*/package.json)
	npm ci --no-audit --no-fund
	@touch $@

tools: $(TOOLS)/ferretdb $(TOOLS)/helm postgres promtool chromium

postgres: ## Debian's PostgreSQL 15 binaries, for the local database's private cluster
	bash scripts/ensure-postgres.sh

$(TOOLS)/ferretdb: scripts/build-ferretdb.sh
	FERRETDB_VERSION=$(FERRETDB_VERSION) bash scripts/build-ferretdb.sh $(TOOLS)

$(TOOLS)/helm: scripts/build-helm.sh ## helm, built from source at a pinned version (the chart's tests and the deploy commands use it)
	HELM_VERSION=$(HELM_VERSION) bash scripts/build-helm.sh $(TOOLS)

promtool: ## Debian's promtool, for checking and unit-testing the chart's alert rules
	bash scripts/ensure-promtool.sh

build: install
	npx tsc -b
	$(MAKE) -s web

# The two web interfaces, built by Vite only when a source changed.
WEB_SOURCES := $(shell find web/src -type f) web/vite.config.ts web/package.json
web: web/dist/.built
web/dist/.built: $(WEB_SOURCES) node_modules/.package-lock.json
	npm run -s build -w @testmancer/web
	@touch $@

web-api: build ## regenerate the web interfaces' typed client from the gateway's OpenAPI document
	bash web/scripts/generate-api.sh

web-api-check: build ## fails when the web interfaces' typed client is older than the gateway's routes
	@fresh=$$(mktemp --suffix=.d.ts); trap 'rm -f "$$fresh"' EXIT; \
	bash web/scripts/generate-api.sh "$$fresh"; \
	diff -q "$$fresh" web/src/shared/api/schema.d.ts >/dev/null || { echo "web/src/shared/api/schema.d.ts is stale: run make web-api" >&2; exit 1; }

podman: ## Debian's podman and runc (and mmdebstrap, for the images' local base), for the images and the container tests
	bash scripts/ensure-podman.sh

image: build podman ## the backend image and both web images (the Dockerfile, built by podman), tagged with the commit; prints their sizes
	node packages/images/dist/cli.js

chromium: ## Debian's Chromium, for the browser tests (playwright-core drives it)
	bash scripts/ensure-chromium.sh

proto: install ## regenerate the TypeScript of proto/ (committed)
	bash proto/generate.sh

proto-check: install ## fails when buf lint fails or the generated code is stale
	bash proto/check.sh

lint: build ## every TypeScript file type-checked (tests included), ESLint with type information, Prettier's check
	npx tsc -p tsconfig.lint.json
	npx tsc -p web/tsconfig.json
	npx eslint .
	npx prettier --check .

format: install ## rewrite every file the way Prettier formats it
	npx prettier --write .

chart-typecheck: install ## type-checks the chart's tests (jest runs them through swc, which does not)
	npx tsc -p charts/tsconfig.json

k6-check: install ## type-checks the k6 scripts and the load engine (@types/k6)
	npx tsc -p k6/tsconfig.json

clean:
	npx tsc -b --clean
	rm -rf .local
