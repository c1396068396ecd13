package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// config is what one soak run does.
type config struct {
	base  string // attach to this server instead of launching one
	pid   int    // the attached server's process, for its RSS
	token string

	bin  string // conflictmap binary to launch; "" builds one from repo
	repo string
	db   string // database to copy; "" imports a fresh gazetteer

	duration, warmup, sampleEvery, writeEvery, requestTimeout time.Duration
	clients                                                   int
	maxGrowth                                                 float64 // percent
	jsonPath                                                  string
	seed                                                      uint64
	keep                                                      bool
}

const usageHead = `soak: a steady mixed load on a conflictmap server, with a writer adding articles.

Usage: go run ./cmd/soak [flags]

By default it builds conflictmap from --repo (or runs --bin), imports a
gazetteer into a temporary database (or copies --db, which is never
written), serves it on 127.0.0.1 with the bundled articles, and runs
--clients readers for --warmup and then --duration while one writer POSTs a
generated article every --write-every. With --base it attaches to a running
server instead (loopback only; --pid for its memory, --token for writes).

It fails (exit 1) on any error (a status other than 2xx or 304, or a
transport error) or when the server's RSS grows by more than
--max-rss-growth percent between the end of the warm-up and the end of the
run. Exit 2 is a usage mistake.

Why 30%: once warm, the server's caches are bounded (encoded tiles up to
64 MiB, layers and tile indexes per data version, dropped when an article
changes the data), so what may still grow is the ingested data itself (a
few kB per article) and the Go heap between two collections. In ten 60 s
runs on the 2-core development machine the RSS samples after the warm-up
swung by up to 21% peak to trough around a flat line (429-540 MiB). 30%
(about 140 MiB of a ~480 MiB server) clears that swing; a leak that grows
with the requests, such as a cache without a bound, keeps rising through
the samples and passes it. Keep the warm-up long enough for the caches to
fill (the RSS reached its plateau within 10-15 s), and lower the bound for
runs much longer than a minute.

Flags:
`

// parseConfig reads the flags; the environment gives the default token.
// -h prints the usage on stdout.
func parseConfig(args []string, stdout io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.base, "base", "", "URL of a running server to load instead of launching one (loopback only)")
	fs.IntVar(&c.pid, "pid", 0, "process id of the --base server, to read its RSS (optional)")
	fs.StringVar(&c.token, "token", os.Getenv("CONFLICTMAP_TOKEN"), "write token of the --base server (env CONFLICTMAP_TOKEN); launched servers get a random one")
	fs.StringVar(&c.bin, "bin", "", "conflictmap binary to launch (default: build ./cmd/conflictmap of --repo)")
	fs.StringVar(&c.repo, "repo", ".", "the conflictmap repository: testdata/articles and gazetteer/data")
	fs.StringVar(&c.db, "db", "", "database to start from, copied with VACUUM INTO and never written (default: import a fresh gazetteer, ~10-25 s)")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "length of the measured run")
	fs.DurationVar(&c.warmup, "warmup", 20*time.Second, "load before the measured run, long enough for the server's memory to reach its plateau; its latencies are not reported")
	fs.DurationVar(&c.sampleEvery, "sample-every", 10*time.Second, "interval of the RSS samples")
	fs.DurationVar(&c.writeEvery, "write-every", time.Second, "interval between two POSTed articles (0: no writer)")
	fs.DurationVar(&c.requestTimeout, "request-timeout", 30*time.Second, "limit of one request; a request over it is an error")
	fs.IntVar(&c.clients, "clients", 8, "concurrent readers")
	fs.Float64Var(&c.maxGrowth, "max-rss-growth", 30, "largest RSS growth allowed after warm-up, in percent of the RSS after warm-up")
	fs.StringVar(&c.jsonPath, "json", "", "also write the report as JSON to this file")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the random requests and articles")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary folder (database, server log)")
	if err := loadtest.ParseFlags(fs, args, usageHead, stdout); err != nil {
		return c, err
	}
	return c, c.validate()
}

// validate checks the flags together.
func (c config) validate() error {
	switch {
	case c.duration <= 0 || c.duration > 24*time.Hour:
		return fmt.Errorf("%w: --duration must be above 0 and at most 24h, got %v", loadtest.ErrUsage, c.duration)
	case c.warmup < 0 || c.warmup > time.Hour:
		return fmt.Errorf("%w: --warmup must be from 0 to 1h, got %v", loadtest.ErrUsage, c.warmup)
	case c.sampleEvery < 100*time.Millisecond:
		return fmt.Errorf("%w: --sample-every must be at least 100ms, got %v", loadtest.ErrUsage, c.sampleEvery)
	case c.writeEvery < 0 || c.writeEvery > 0 && c.writeEvery < 10*time.Millisecond:
		return fmt.Errorf("%w: --write-every must be 0 (no writer) or at least 10ms, got %v", loadtest.ErrUsage, c.writeEvery)
	case c.requestTimeout <= 0:
		return fmt.Errorf("%w: --request-timeout must be above 0", loadtest.ErrUsage)
	case c.clients < 1 || c.clients > 512:
		return fmt.Errorf("%w: --clients must be from 1 to 512, got %d", loadtest.ErrUsage, c.clients)
	case c.maxGrowth < 0:
		return fmt.Errorf("%w: --max-rss-growth must not be negative", loadtest.ErrUsage)
	case c.pid != 0 && c.base == "":
		return fmt.Errorf("%w: --pid goes with --base (a launched server's pid is known)", loadtest.ErrUsage)
	case c.base != "" && (c.bin != "" || c.db != ""):
		return fmt.Errorf("%w: --base attaches to a running server: --bin and --db launch one", loadtest.ErrUsage)
	case c.pid < 0:
		return fmt.Errorf("%w: --pid must be a process id", loadtest.ErrUsage)
	}
	if c.base != "" {
		if err := loadtest.CheckURL(c.base); err != nil {
			return fmt.Errorf("%w: --base: %v", loadtest.ErrUsage, err)
		}
		if c.writeEvery > 0 && c.token == "" {
			return fmt.Errorf("%w: the writer needs --token (or CONFLICTMAP_TOKEN) for --base, or --write-every 0", loadtest.ErrUsage)
		}
	}
	return nil
}

// hardLimit bounds the whole run: the load itself and the time to build,
// import, start and stop a server.
func (c config) hardLimit() time.Duration {
	return c.warmup + c.duration + 5*time.Minute
}
