package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// measure runs every measurement in turn. The geoparse child runs first,
// alone; then the tile comparison, the static image and the ingest, each
// against the server.
func (b *bench) measure(ctx context.Context) error {
	cfg, rep := b.cfg, b.rep
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed+7))

	fmt.Fprintln(b.log, "benchside: geoparsing in a child process")
	gp, err := runGeoparseChild(ctx, b.db, b.repo, cfg.parseMiB, cfg.parseRounds, cfg.seed)
	if err != nil {
		return err
	}
	rep.Geoparse = gp

	fmt.Fprintln(b.log, "benchside: first start (ingests the bundled articles); fetching the tiles")
	if err := b.start(ctx); err != nil {
		return err
	}
	raw := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: cfg.concurrency, RawBodies: true})
	defer raw.CloseIdleConnections()
	area, err := loadtest.FetchArea(ctx, raw, b.srv.Base)
	if err != nil {
		return err
	}
	tiles := chooseTiles(area, cfg.tiles, cfg.maxZoom, rng)
	dir := filepath.Join(b.tmp, "static")
	var sets []tileSet
	for _, ext := range []string{"mvt", "png"} {
		ts, err := fetchTiles(ctx, raw, b.srv.Base, dir, ext, tiles)
		if err != nil {
			return err
		}
		sets = append(sets, ts)
	}
	if err := b.stop(); err != nil {
		return err
	}

	if err := b.coldRounds(ctx, dir, sets, rng); err != nil {
		return err
	}
	if err := b.warmRounds(ctx, dir, sets); err != nil {
		return err
	}
	if err := b.staticImages(ctx, area); err != nil {
		return err
	}
	if err := b.ingestArticles(ctx, area); err != nil {
		return err
	}
	rep.RSSAfter = rssOf(b.srv.PID)
	rep.PeakRSS, _ = loadtest.PeakRSS(b.srv.PID)
	for _, c := range rep.Tiles {
		rep.Errors += c.Errors
	}
	return nil
}

func rssOf(pid int) int64 {
	v, err := loadtest.RSS(pid)
	if err != nil {
		return -1
	}
	return v
}

// coldRounds starts a fresh server each round and a fresh file server,
// and asks each for every tile once. The format that goes first
// alternates: its first request also loads the layers and builds the tile
// index, the one-off cost of a start, reported on its own.
func (b *bench) coldRounds(ctx context.Context, dir string, sets []tileSet, rng *rand.Rand) error {
	cm, st := map[string][]measured{}, map[string][]measured{}
	for r := range b.cfg.rounds {
		fmt.Fprintf(b.log, "benchside: cold round %d/%d: fresh server\n", r+1, b.cfg.rounds)
		if err := b.start(ctx); err != nil {
			return err
		}
		b.rep.RSSIdle = append(b.rep.RSSIdle, rssOf(b.srv.PID))
		fsrv, err := startFileServer(dir)
		if err != nil {
			return err
		}
		order := sets
		if r%2 == 1 {
			order = []tileSet{sets[1], sets[0]}
		}
		for i, ts := range order {
			a, s := coldPass(ctx, b.srv.Base, fsrv.base, ts.paths, rng)
			if i == 0 {
				b.rep.ColdFirst = append(b.rep.ColdFirst, firstRequest{Format: ts.ext, Ms: loadtest.Ms(a.first)})
			}
			cm[ts.ext], st[ts.ext] = append(cm[ts.ext], a), append(st[ts.ext], s)
		}
		fsrv.close()
		if r < b.cfg.rounds-1 {
			if err := b.stop(); err != nil {
				return err
			}
		}
	}
	for _, ts := range sets {
		b.rep.Tiles = append(b.rep.Tiles, compare(ts.ext, "cold", len(ts.paths), cm[ts.ext], st[ts.ext]))
	}
	return nil
}

// warmRounds asks both servers for every tile once, then, each round and
// format, makes the same number of requests of each, alternating which
// server goes first.
func (b *bench) warmRounds(ctx context.Context, dir string, sets []tileSet) error {
	fsrv, err := startFileServer(dir)
	if err != nil {
		return err
	}
	defer fsrv.close()
	n, conc := b.cfg.warmRequests, b.cfg.concurrency
	cmc := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: conc, RawBodies: true})
	stc := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: conc, RawBodies: true})
	defer cmc.CloseIdleConnections()
	defer stc.CloseIdleConnections()
	for _, ts := range sets {
		hammer(ctx, cmc, b.srv.Base, ts.paths, len(ts.paths), 1)
		hammer(ctx, stc, fsrv.base, ts.paths, len(ts.paths), 1)
	}
	cm, st := map[string][]measured{}, map[string][]measured{}
	for r := range b.cfg.rounds {
		fmt.Fprintf(b.log, "benchside: warm round %d/%d\n", r+1, b.cfg.rounds)
		for _, ts := range sets {
			if r%2 == 0 {
				cm[ts.ext] = append(cm[ts.ext], hammer(ctx, cmc, b.srv.Base, ts.paths, n, conc))
				st[ts.ext] = append(st[ts.ext], hammer(ctx, stc, fsrv.base, ts.paths, n, conc))
			} else {
				st[ts.ext] = append(st[ts.ext], hammer(ctx, stc, fsrv.base, ts.paths, n, conc))
				cm[ts.ext] = append(cm[ts.ext], hammer(ctx, cmc, b.srv.Base, ts.paths, n, conc))
			}
		}
	}
	for _, ts := range sets {
		b.rep.Tiles = append(b.rep.Tiles, compare(ts.ext, "warm", len(ts.paths), cm[ts.ext], st[ts.ext]))
		b.rep.TileBytes = append(b.rep.TileBytes, tileBytes{Format: ts.ext, Tiles: len(ts.paths), MeanBytes: ts.bytes / int64(len(ts.paths))})
	}
	return ctx.Err()
}

// staticImages draws /static.png at 1024x768 over the events, one request
// at a time. The server keeps no drawn image, so each request draws; one
// untimed request first builds the layers.
func (b *bench) staticImages(ctx context.Context, area loadtest.Area) error {
	fmt.Fprintln(b.log, "benchside: static images")
	c := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: 1})
	defer c.CloseIdleConnections()
	bb := area.Bound
	q := fmt.Sprintf("/static.png?bbox=%.3f,%.3f,%.3f,%.3f&width=1024&height=768", bb.Min[0], bb.Min[1], bb.Max[0], bb.Max[1])
	if _, err := timedGet(ctx, c, b.srv.Base+q); err != nil {
		b.rep.Errors++
	}
	var lat []time.Duration
	for range b.cfg.staticRequests {
		d, err := timedGet(ctx, c, b.srv.Base+q)
		if err != nil {
			b.rep.Errors++
			continue
		}
		lat = append(lat, d)
	}
	s := loadtest.Summarize(lat)
	b.rep.Static = staticFigure{Path: q, Requests: s.Count, P50ms: loadtest.Ms(s.P50), P90ms: loadtest.Ms(s.P90)}
	return ctx.Err()
}

// ingestArticles POSTs generated articles one at a time and times the
// whole: each one is geoparsed, its events extracted, stored and fused.
func (b *bench) ingestArticles(ctx context.Context, area loadtest.Area) error {
	fmt.Fprintf(b.log, "benchside: ingesting %d articles\n", b.cfg.ingest)
	c := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: 1})
	defer c.CloseIdleConnections()
	gen := loadtest.NewGenerator(b.cfg.seed+1, area.From, area.To)
	var lat []time.Duration
	var size int64
	created := 0
	start := time.Now()
	for range b.cfg.ingest {
		a := gen.Next()
		body, err := json.Marshal(a)
		if err != nil {
			return err
		}
		size += int64(len(a.Text))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.Base+"/api/articles", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+b.token)
		t0 := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			b.rep.Errors++
			continue
		}
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		switch resp.StatusCode {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			b.rep.Errors++
		}
	}
	wall := time.Since(start)
	s := loadtest.Summarize(lat)
	tenth := max(len(lat)/10, 1)
	b.rep.Ingest = ingestFigure{Articles: b.cfg.ingest, Created: created, MeanBytes: size / int64(b.cfg.ingest),
		WallS: wall.Seconds(), PerSecond: float64(created) / wall.Seconds(), P50ms: loadtest.Ms(s.P50), P90ms: loadtest.Ms(s.P90),
		FirstP50ms: loadtest.Ms(loadtest.Summarize(lat[:min(tenth, len(lat))]).P50),
		LastP50ms:  loadtest.Ms(loadtest.Summarize(lat[max(len(lat)-tenth, 0):]).P50)}
	return ctx.Err()
}
