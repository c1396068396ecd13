package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/features"
)

func runExtract(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("extract", env.Stdout)
	date := fs.String("date", "", "article date YYYY-MM-DD (overrides a 'date' header line)")
	dbPath := fs.String("db", defaultDBPath(env), "SQLite database file holding the gazetteer")
	outDir := fs.String("out", "", "write DIR/<input name>.geojson for each input instead of printing")
	actorsPath := fs.String("actors", "", "actors file with aliases (default: the bundled one; see geo/events/data/actors.json)")
	explain := fs.Bool("explain", false, "also print on stderr each gazetteer name judged not to be a place, and why")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: conflictmap extract [--date YYYY-MM-DD] [--db PATH] [--out DIR] FILE... | -")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: extract needs at least one FILE, or - for standard input", errUsage)
	}
	var override time.Time
	if *date != "" {
		d, err := article.ParseDate(*date)
		if err != nil {
			return fmt.Errorf("%w: --date: %v", errUsage, err)
		}
		override = d
	}
	if err := distinctOutputs(fs.Args()); err != nil {
		return err
	}
	arts, err := readArticles(env, fs.Args(), override)
	if err != nil {
		return err
	}
	parser, closeDB, err := openParser(ctx, env, *dbPath)
	if err != nil {
		return err
	}
	defer closeDB()
	actors, err := loadActors(*actorsPath)
	if err != nil {
		return err
	}
	extractor := events.NewExtractor(actors, parser.Index())

	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return fmt.Errorf("create output folder: %w", err)
		}
	}
	var all []*geojson.Feature
	for _, a := range arts {
		fc, res, evts := features.Extract(parser, extractor, a)
		if !a.HasDate() && len(evts) > 0 {
			fmt.Fprintf(env.Stderr, "%s: no 'date' header and no --date: its events are dated today\n", a.Name)
		}
		if *explain {
			for _, r := range res.Rejected {
				fmt.Fprintf(env.Stderr, "%s:%d-%d: %q not a place: %s\n", a.Name, r.Start, r.End, r.Text, r.Reason)
			}
		}
		if *outDir == "" {
			all = append(all, fc.Features...)
			continue
		}
		path := filepath.Join(*outDir, outputName(a.Name))
		if err := writeJSON(path, fc); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%s: %d features -> %s\n", a.Name, len(fc.Features), path)
	}
	if *outDir == "" {
		fc := geojson.NewFeatureCollection()
		fc.Features = all
		return encodeJSON(env.Stdout, fc)
	}
	return nil
}

// distinctOutputs refuses inputs whose outputs and feature ids would
// collide: a/x.txt and b/x.txt both write x.geojson.
func distinctOutputs(names []string) error {
	seen := map[string]string{}
	for _, n := range names {
		out := outputName(n)
		if prev, ok := seen[out]; ok {
			return fmt.Errorf("%w: %s and %s both write %s; rename one", errUsage, prev, n, out)
		}
		seen[out] = n
	}
	return nil
}

// outputName maps an input name to its output file: x.txt -> x.geojson.
func outputName(name string) string {
	base := filepath.Base(name)
	if name == "-" {
		base = "stdin"
	}
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".geojson"
}

// readArticles reads and validates every input before any work starts.
func readArticles(env *Env, names []string, date time.Time) ([]article.Article, error) {
	var out []article.Article
	for _, name := range names {
		var r io.Reader
		if name == "-" {
			r = env.Stdin
		} else {
			fi, err := os.Stat(name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, unwrapPathError(err))
			}
			if fi.IsDir() {
				return nil, fmt.Errorf("%s: is a directory, not an article file", name)
			}
			if fi.Size() > article.MaxBytes {
				return nil, fmt.Errorf("%s: %w (file is %d MiB)", name, article.ErrTooLarge, fi.Size()>>20)
			}
			f, err := os.Open(name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, unwrapPathError(err))
			}
			defer f.Close()
			r = f
		}
		a, err := article.Read(r, name, date)
		if err != nil {
			if errors.Is(err, article.ErrDate) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openParser opens the gazetteer (building it on first use) and loads the
// matcher index.
func openParser(ctx context.Context, env *Env, dbPath string) (*geoparse.Parser, func(), error) {
	db, gz, err := openGazetteer(ctx, env, dbPath)
	if err != nil {
		return nil, nil, err
	}
	p, err := newParser(ctx, gz)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return p, func() { db.Close() }, nil
}

// newParser loads the gazetteer's matcher index into a parser.
func newParser(ctx context.Context, gz *gazetteer.Store) (*geoparse.Parser, error) {
	ix, err := gazetteer.LoadIndex(ctx, gz)
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	return geoparse.New(ix)
}

func timeZero() time.Time { return time.Time{} }

func writeJSON(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := encodeJSON(f, v); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

// loadActors reads an actors file, or returns the bundled actors for "".
func loadActors(path string) (*events.Actors, error) {
	if path == "" {
		return events.DefaultActors(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("actors file: %w", unwrapPathError(err))
	}
	defer f.Close()
	return events.ParseActors(f)
}
