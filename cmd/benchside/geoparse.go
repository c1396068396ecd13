package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// childEnv, set to "geoparse", makes benchside the geoparse child: the
// parser runs in a process of its own so that its memory is its own.
const childEnv = "CONFLICTMAP_BENCHSIDE_CHILD"

// geoparseResult is what the child reports on stdout.
type geoparseResult struct {
	Places        int            `json:"places"`
	IndexLoadS    float64        `json:"index_load_s"`
	RSSStart      int64          `json:"rss_start_bytes"`
	RSSAfterLoad  int64          `json:"rss_after_index_bytes"`
	RSSAfterParse int64          `json:"rss_after_parse_bytes"`
	PeakRSS       int64          `json:"peak_rss_bytes"`
	Corpora       []corpusFigure `json:"corpora"`
	Errors        []string       `json:"errors,omitempty"`
}

// corpusFigure is the parsing speed over one text.
type corpusFigure struct {
	Name   string    `json:"name"`
	Bytes  int       `json:"bytes"`
	MBps   float64   `json:"mb_per_s"` // median; 10^6 bytes per second, as go test reports
	Best   float64   `json:"best_mb_per_s"`
	Rounds []float64 `json:"rounds_mb_per_s"`
}

// runGeoparseChild starts this program again as the geoparse child and
// reads its report.
func runGeoparseChild(ctx context.Context, db, repo string, mib, rounds int, seed uint64) (geoparseResult, error) {
	self, err := os.Executable()
	if err != nil {
		return geoparseResult{}, fmt.Errorf("geoparse child: %w", err)
	}
	cmd := exec.CommandContext(ctx, self, "--db", db, "--repo", repo, "--mib", fmt.Sprint(mib), "--rounds", fmt.Sprint(rounds), "--seed", fmt.Sprint(seed))
	cmd.Env = append(os.Environ(), childEnv+"=geoparse")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return geoparseResult{}, fmt.Errorf("geoparse child: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res geoparseResult
	if err := json.Unmarshal(out, &res); err != nil {
		return geoparseResult{}, fmt.Errorf("geoparse child report: %w", err)
	}
	return res, nil
}

// geoparseChild is the child's main: load the gazetteer index, parse
// each corpus once untimed and then rounds times, and print the figures
// as JSON.
func geoparseChild(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchside geoparse child", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "gazetteer database")
	repo := fs.String("repo", ".", "repository, for testdata/articles")
	mib := fs.Int("mib", 1, "MiB of text per corpus")
	rounds := fs.Int("rounds", 5, "timed parses per corpus")
	seed := fs.Uint64("seed", 1, "seed of the generated articles")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	res, err := parseBench(context.Background(), *db, *repo, *mib<<20, *rounds, *seed)
	if err != nil {
		fmt.Fprintf(stderr, "geoparse: %v\n", err)
		return 1
	}
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		fmt.Fprintf(stderr, "geoparse: %v\n", err)
		return 1
	}
	return 0
}

func parseBench(ctx context.Context, dbPath, repo string, size, rounds int, seed uint64) (geoparseResult, error) {
	var res geoparseResult
	pid := os.Getpid()
	res.RSSStart, _ = loadtest.RSS(pid)
	db, err := sqlitedb.Open(dbPath)
	if err != nil {
		return res, err
	}
	defer db.Close()
	store, err := gazetteer.NewStore(ctx, db)
	if err != nil {
		return res, err
	}
	ix, err := gazetteer.LoadIndex(ctx, store)
	if err != nil {
		return res, fmt.Errorf("load gazetteer: %w", err)
	}
	p, err := geoparse.New(ix)
	if err != nil {
		return res, err
	}
	res.Places, res.IndexLoadS = ix.Len(), ix.LoadTime.Seconds()
	res.RSSAfterLoad, _ = loadtest.RSS(pid)

	day := time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)
	type corpus struct {
		name  string
		texts []string // parsed one at a time
	}
	corpora := []corpus{
		{"generated articles", []string{loadtest.NewGenerator(seed, day, day.AddDate(0, 3, 0)).Corpus(size)}},
	}
	if text, err := bundledArticles(repo, size); err == nil {
		corpora = append(corpora, corpus{"bundled articles", []string{text}})
	} else {
		res.Errors = append(res.Errors, err.Error())
	}
	if texts, err := devCorpora(repo); err == nil {
		corpora = append(corpora, corpus{"development corpora, article by article", texts})
	} else {
		res.Errors = append(res.Errors, err.Error())
	}
	for _, c := range corpora {
		n := 0
		for _, t := range c.texts {
			p.Parse(t) // untimed: fills the parser's caches
			n += len(t)
		}
		f := corpusFigure{Name: c.name, Bytes: n}
		for range rounds {
			start := time.Now()
			for _, t := range c.texts {
				p.Parse(t)
			}
			f.Rounds = append(f.Rounds, float64(n)/1e6/time.Since(start).Seconds())
		}
		f.MBps, f.Best = loadtest.Median(f.Rounds), slices.Max(f.Rounds)
		res.Corpora = append(res.Corpora, f)
	}
	res.RSSAfterParse, _ = loadtest.RSS(pid)
	res.PeakRSS, _ = loadtest.PeakRSS(pid)
	return res, nil
}

// bundledArticles repeats testdata/articles to size bytes, as
// BenchmarkParseMegabyte does, so the two figures compare.
func bundledArticles(repo string, size int) (string, error) {
	files, _ := filepath.Glob(filepath.Join(repo, "testdata", "articles", "*.txt"))
	if len(files) == 0 {
		return "", fmt.Errorf("no articles in %s/testdata/articles", repo)
	}
	sort.Strings(files)
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		data, err := os.ReadFile(files[i%len(files)])
		if err != nil {
			return "", err
		}
		b.Write(data)
		b.WriteString("\n\n")
	}
	return b.String(), nil
}

// devCorpora reads the articles of the public development corpora beside
// the repository (../shared/corpora: GeoWebNews, LGL, UCDP headlines):
// text nobody here wrote, parsed one article at a time.
func devCorpora(repo string) ([]string, error) {
	var out []string
	for _, c := range []string{"geowebnews-dev", "lgl-dev", "ucdp-dev"} {
		files, _ := filepath.Glob(filepath.Join(repo, "..", "shared", "corpora", c, "articles", "*.txt"))
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			out = append(out, string(data))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no development corpora in %s/../shared/corpora", repo)
	}
	return out, nil
}
