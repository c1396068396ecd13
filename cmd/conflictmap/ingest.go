package main

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/store"
)

func runIngest(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet("ingest", env.Stdout)
	dbPath := fset.String("db", defaultDBPath(env), "SQLite database file")
	source := fset.String("source", "", "source of the articles (a newspaper, an agency); default: the file name")
	actorsPath := fset.String("actors", "", "actors file with aliases (default: the bundled one)")
	date := fset.String("date", "", "article date YYYY-MM-DD for files without a 'date' header")
	url := fset.String("url", "", "URL the article was published at (for a single article)")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	var override time.Time
	if *date != "" {
		d, err := article.ParseDate(*date)
		if err != nil {
			return fmt.Errorf("%w: --date: %v", errUsage, err)
		}
		override = d
	}
	if fset.NArg() == 0 {
		return fmt.Errorf("%w: ingest needs FILE or DIR arguments", errUsage)
	}
	files, err := articleFiles(fset.Args())
	if err != nil {
		return err
	}
	if *url != "" && len(files) > 1 {
		return fmt.Errorf("%w: --url names one article, but %d files were given", errUsage, len(files))
	}
	arts, err := readArticles(env, files, override)
	if err != nil {
		return err
	}
	p, err := openPipeline(ctx, env, *dbPath, *actorsPath)
	if err != nil {
		return err
	}
	defer p.close()
	for i, a := range arts {
		a.Name = filepath.Base(a.Name)
		a.Source, a.URL = *source, *url
		if a.Source == "" {
			a.Source = a.Name
		}
		got, err := p.ingest(ctx, a)
		if err != nil {
			return err
		}
		state := fmt.Sprintf("%d events", len(got.Events))
		if !a.HasDate() && len(got.Events) > 0 {
			state += " (no 'date' header and no --date: dated today)"
		}
		if got.Existing {
			state = "already stored, unchanged"
		}
		fmt.Fprintf(env.Stderr, "[%d/%d] %s: article %d, %s\n", i+1, len(arts), a.Name, got.ID, state)
	}
	return nil
}

// articleFiles expands folders into the .txt files they hold, sorted.
func articleFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, unwrapPathError(err))
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".txt") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .txt articles in this folder", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// pipeline is the chain articles go through: gazetteer, events, store.
type pipeline struct {
	db        *sql.DB
	parser    *geoparse.Parser
	extractor *events.Extractor
	store     *store.Store
	gazetteer *gazetteer.Store
}

func openPipeline(ctx context.Context, env *Env, dbPath, actorsPath string) (*pipeline, error) {
	actors, err := loadActors(actorsPath)
	if err != nil {
		return nil, err
	}
	db, gz, err := openGazetteer(ctx, env, dbPath)
	if err != nil {
		return nil, err
	}
	parser, err := newParser(ctx, gz)
	if err != nil {
		db.Close()
		return nil, err
	}
	st, err := store.New(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &pipeline{db: db, parser: parser, extractor: events.NewExtractor(actors, parser.Index()), store: st, gazetteer: gz}, nil
}

func (p *pipeline) close() { p.db.Close() }

// ingest geoparses an article, extracts its events and stores it all.
func (p *pipeline) ingest(ctx context.Context, a article.Article) (store.Ingested, error) {
	res := p.parser.Parse(a.Text)
	evts := p.extractor.Extract(a, res)
	return p.store.Ingest(ctx, a, res, evts, p.extractor.ControlClaims(a, res, evts)...)
}
