package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/conflictmap/conflictmap/server"
	"github.com/conflictmap/conflictmap/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet("serve", env.Stdout)
	addr := fset.String("addr", envOr(env, "CONFLICTMAP_ADDR", "127.0.0.1:8080"), "address to listen on (env CONFLICTMAP_ADDR)")
	dbPath := fset.String("db", defaultDBPath(env), "SQLite database file (env CONFLICTMAP_DB)")
	articles := fset.String("articles", envOr(env, "CONFLICTMAP_ARTICLES", filepath.Join("testdata", "articles")),
		"folder of articles ingested on first run, when the store is empty (env CONFLICTMAP_ARTICLES; empty to skip)")
	token := fset.String("token", env.Getenv("CONFLICTMAP_TOKEN"), "bearer token for writes; none refuses writes (env CONFLICTMAP_TOKEN)")
	actorsPath := fset.String("actors", "", "actors file with aliases (default: the bundled one)")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fset.Arg(0))
	}
	// the request log is batched: a write per line would cost a tenth of
	// the throughput of cached tiles
	logs := newLogBuffer(env.Stderr, 100*time.Millisecond)
	defer logs.Close()
	log := slog.New(slog.NewJSONHandler(logs, nil))
	p, err := openPipeline(ctx, env, *dbPath, *actorsPath)
	if err != nil {
		return err
	}
	defer p.close()
	srv, err := newServer(ctx, p, *token, log)
	if err != nil {
		return err
	}
	if err := firstRun(ctx, env, p, srv, *articles, log); err != nil {
		return err
	}
	if *token == "" {
		log.Warn("no token: writes (POST, DELETE) are refused; set --token or CONFLICTMAP_TOKEN")
	}
	log.Info("serving", "addr", "http://"+*addr, "db", *dbPath)
	return server.Run(ctx, server.HTTPServer(*addr, srv), log)
}

// firstRun ingests the bundled articles into an empty store.
func firstRun(ctx context.Context, env *Env, p *pipeline, srv *server.Server, dir string, log *slog.Logger) error {
	n, err := p.store.ArticleCount(ctx)
	if err != nil || n > 0 || dir == "" {
		return err
	}
	if _, err := os.Stat(dir); err != nil {
		log.Warn("no articles to ingest on first run", "folder", dir, "err", err.Error())
		return nil
	}
	files, err := articleFiles([]string{dir})
	if err != nil {
		return err
	}
	arts, err := readArticles(env, files, timeZero())
	if err != nil {
		return err
	}
	for i, a := range arts {
		a.Name = filepath.Base(a.Name)
		a.Source = a.Name
		got, err := srv.Ingest(ctx, a)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "first run: [%d/%d] %s: article %d, %d events\n", i+1, len(arts), a.Name, got.ID, len(got.Events))
	}
	return nil
}

func envOr(env *Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// newServer builds the server over the pipeline, with the basemap drawn
// from its gazetteer.
func newServer(ctx context.Context, p *pipeline, token string, log *slog.Logger) (*server.Server, error) {
	shapes, err := p.gazetteer.CountryShapes(ctx)
	if err != nil {
		return nil, err
	}
	cfg := server.Config{Store: p.store, Parser: p.parser, Extractor: p.extractor, Token: token, Log: log,
		Countries: p.gazetteer, Basemap: server.NewBasemap(shapes, p.parser.Index())}
	if page := web.Files(); web.HasLeaflet(page) {
		cfg.Page = page
	} else {
		log.Warn("the map page is not in this build: Leaflet was not bundled; build with `make build` (or run `make web` before `go build`); / serves the OGC landing document only")
	}
	return server.New(cfg)
}
