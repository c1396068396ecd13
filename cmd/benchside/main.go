// Command benchside measures conflictmap side by side with a baseline in
// one run: warm and cold vector and raster tiles against net/http's file
// server serving the same bytes, geoparsing speed, ingest rate, static
// image render time and memory, with the machine they ran on.
//
// Usage:
//
//	go run ./cmd/benchside [--bin conflictmap] [--db DB] [--rounds 5] [--json out.json]
//
// Everything runs on 127.0.0.1 and the run stops within --timeout.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

func main() {
	if os.Getenv(childEnv) == "geoparse" {
		os.Exit(geoparseChild(os.Args[1:], os.Stdout, os.Stderr))
	}
	loadtest.Main("benchside", run)
}

var (
	// errMeasure is a run in which some request failed: its figures are
	// printed but not to be trusted.
	errMeasure = errors.New("some requests failed")
)

// config is one benchside run.
type config struct {
	bin, repo, db                                 string
	rounds, tiles, maxZoom                        int
	warmRequests, concurrency                     int
	staticRequests, ingest, parseMiB, parseRounds int
	jsonPath                                      string
	seed                                          uint64
	timeout                                       time.Duration
	keep                                          bool
}

const usageHead = `benchside: conflictmap side by side with a plain file server, in one run.

Usage: go run ./cmd/benchside [flags]

It builds conflictmap from --repo (or runs --bin), imports a gazetteer into a
temporary database (or copies --db, which is never written), then measures:
geoparsing in a child process; tiles (MVT and PNG) cold (each round a fresh
server process, every tile asked for once) and warm (repeated requests),
interleaved with net/http's FileServer serving the same bytes from a
temporary folder; /static.png at 1024x768; ingest by POSTing generated
articles; and the server's memory. Figures are medians over --rounds, and
ratios are conflictmap/static taken within each round. Exit 1 if any request
failed, 2 on a usage mistake.

Flags:
`

func parseConfig(args []string, stdout io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("benchside", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.bin, "bin", "", "conflictmap binary (default: build ./cmd/conflictmap of --repo)")
	fs.StringVar(&c.repo, "repo", ".", "the conflictmap repository: testdata/articles and gazetteer/data")
	fs.StringVar(&c.db, "db", "", "gazetteer database to copy (VACUUM INTO; never written); default: import one")
	fs.IntVar(&c.rounds, "rounds", 5, "rounds of the tile comparison (each cold round starts a fresh server)")
	fs.IntVar(&c.tiles, "tiles", 24, "tiles per format, spread over the zooms, all holding events")
	fs.IntVar(&c.maxZoom, "maxzoom", 12, "highest zoom of the tiles")
	fs.IntVar(&c.warmRequests, "warm-requests", 1000, "requests per server, format and warm round")
	fs.IntVar(&c.concurrency, "concurrency", 4, "concurrent clients of the warm rounds")
	fs.IntVar(&c.staticRequests, "static-requests", 20, "/static.png 1024x768 requests")
	fs.IntVar(&c.ingest, "ingest", 1000, "articles POSTed for the ingest rate")
	fs.IntVar(&c.parseMiB, "parse-mib", 1, "MiB of text per geoparse corpus")
	fs.IntVar(&c.parseRounds, "parse-rounds", 5, "timed parses per corpus")
	fs.StringVar(&c.jsonPath, "json", "", "also write the figures as JSON to this file")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the tile sample and the generated articles")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Minute, "stop the whole run after this long")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary folder (database, tiles, server logs)")
	if err := loadtest.ParseFlags(fs, args, usageHead, stdout); err != nil {
		return c, err
	}
	return c, c.validate()
}

func (c config) validate() error {
	positive := []struct {
		name string
		v    int
	}{{"--rounds", c.rounds}, {"--tiles", c.tiles}, {"--warm-requests", c.warmRequests}, {"--concurrency", c.concurrency},
		{"--static-requests", c.staticRequests}, {"--ingest", c.ingest}, {"--parse-mib", c.parseMiB}, {"--parse-rounds", c.parseRounds}}
	for _, p := range positive {
		if p.v < 1 {
			return fmt.Errorf("%w: %s must be at least 1, got %d", loadtest.ErrUsage, p.name, p.v)
		}
	}
	switch {
	case c.maxZoom < 0 || c.maxZoom > 22:
		return fmt.Errorf("%w: --maxzoom must be from 0 to 22, got %d", loadtest.ErrUsage, c.maxZoom)
	case c.concurrency > 256:
		return fmt.Errorf("%w: --concurrency must be at most 256", loadtest.ErrUsage)
	case c.parseMiB > 64:
		return fmt.Errorf("%w: --parse-mib must be at most 64", loadtest.ErrUsage)
	case c.timeout <= 0:
		return fmt.Errorf("%w: --timeout must be above 0", loadtest.ErrUsage)
	}
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stdout)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	tmp, err := os.MkdirTemp("", "conflictmap-benchside-")
	if err != nil {
		return fmt.Errorf("temporary folder: %w", err)
	}
	if cfg.keep {
		fmt.Fprintf(stderr, "benchside: keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	rep := &report{Machine: loadtest.ReadMachine(), Rounds: cfg.rounds, Concurrency: cfg.concurrency}
	b := &bench{cfg: cfg, tmp: tmp, log: stderr, rep: rep}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	err = b.measure(ctx)
	if b.srv != nil {
		if serr := b.srv.Stop(); serr != nil {
			fmt.Fprintf(stderr, "benchside: %v\n", serr)
		}
	}
	if err != nil {
		return err
	}
	rep.print(stdout)
	if cfg.jsonPath != "" {
		if err := loadtest.WriteJSON(cfg.jsonPath, rep); err != nil {
			return err
		}
	}
	if rep.Errors > 0 {
		return fmt.Errorf("%w: %d", errMeasure, rep.Errors)
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// bench is the state of one run.
type bench struct {
	cfg   config
	tmp   string
	log   io.Writer
	rep   *report
	repo  string
	bin   string
	db    string
	token string
	srv   *loadtest.Server // the server running now, if any
	runs  int              // servers started, for their log names
}

// prepare finds or builds the binary and makes the database.
func (b *bench) prepare(ctx context.Context) error {
	repo, err := filepath.Abs(b.cfg.repo)
	if err != nil {
		return err
	}
	b.repo, b.bin, b.db, b.token = repo, b.cfg.bin, filepath.Join(b.tmp, "bench.db"), randomToken()
	if b.bin == "" {
		b.bin = filepath.Join(b.tmp, "conflictmap")
		fmt.Fprintf(b.log, "benchside: building conflictmap from %s\n", repo)
		if err := loadtest.BuildBinary(ctx, repo, b.bin, b.log); err != nil {
			return err
		}
	}
	b.rep.Binary = describeBinary(b.bin)
	if b.cfg.db != "" {
		fmt.Fprintf(b.log, "benchside: copying %s\n", b.cfg.db)
		return loadtest.CopyDB(ctx, b.cfg.db, b.db)
	}
	fmt.Fprintf(b.log, "benchside: importing the gazetteer\n")
	return loadtest.ImportGazetteer(ctx, b.bin, repo, b.db, io.Discard)
}

// start launches a fresh server process; the first one ingests the
// bundled articles (the store is empty), the later ones find them.
func (b *bench) start(ctx context.Context) error {
	b.runs++
	s, err := loadtest.Launch(ctx, loadtest.LaunchOptions{Bin: b.bin, Dir: b.repo, DB: b.db, Token: b.token,
		Articles: filepath.Join(b.repo, "testdata", "articles"), Log: filepath.Join(b.tmp, fmt.Sprintf("server-%d.log", b.runs))})
	if err != nil {
		return err
	}
	b.srv = s
	return nil
}

func (b *bench) stop() error {
	if b.srv == nil {
		return nil
	}
	err := b.srv.Stop()
	b.srv = nil
	return err
}
