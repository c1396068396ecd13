package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/store"
	"github.com/conflictmap/conflictmap/geo/tiles"
	"github.com/conflictmap/conflictmap/server"
)

// runExport writes the map's data to a file: MBTiles, GeoJSON, ACLED CSV
// or a PNG.
func runExport(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet("export", env.Stdout)
	dbPath := fset.String("db", defaultDBPath(env), "SQLite database file")
	format := fset.String("format", "", "mbtiles, geojson, csv or png (required)")
	out := fset.String("o", "", "file to write (required)")
	minZoom := fset.Int("minzoom", 0, "mbtiles: lowest zoom")
	maxZoom := fset.Int("maxzoom", 12, "mbtiles: highest zoom (up to 22)")
	bbox := fset.String("bbox", "", "minLon,minLat,maxLon,maxLat (default: all the data)")
	date := fset.String("date", "", "YYYY-MM-DD or START/END: only what the date selects (default: everything)")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return fmt.Errorf("%w: export needs -o FILE", errUsage)
	case fset.NArg() > 0:
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, fset.Arg(0))
	case *format != "mbtiles" && *format != "geojson" && *format != "csv" && *format != "png":
		return fmt.Errorf("%w: --format must be mbtiles, geojson, csv or png, got %q", errUsage, *format)
	case *minZoom < 0 || *maxZoom > tiles.MaxZoom || *minZoom > *maxZoom:
		return fmt.Errorf("%w: zooms must satisfy 0 <= --minzoom <= --maxzoom <= %d, got %d and %d", errUsage, tiles.MaxZoom, *minZoom, *maxZoom)
	}
	var bound orb.Bound
	if *bbox != "" {
		b, wrap, err := server.ParseBBox(*bbox)
		if err != nil {
			return fmt.Errorf("%w: --bbox: %v", errUsage, err)
		}
		if wrap {
			return fmt.Errorf("%w: --bbox must not cross the antimeridian", errUsage)
		}
		bound = b
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s: run 'conflictmap serve' or 'conflictmap ingest' first", *dbPath)
	}
	p, err := openPipeline(ctx, env, *dbPath, "")
	if err != nil {
		return err
	}
	defer p.close()
	if *format == "csv" {
		return exportCSV(ctx, p.store, *out)
	}
	srv, err := newServer(ctx, p, "", nil)
	if err != nil {
		return err
	}
	if *format == "png" {
		q := url.Values{}
		if *bbox != "" {
			q.Set("bbox", *bbox)
		}
		if *date != "" {
			q.Set("date", *date)
		}
		data, err := srv.StaticPNG(ctx, q)
		if err := usageProblem(err); err != nil {
			return err
		}
		return writeFile(env, *out, data)
	}
	ex, err := srv.Export(ctx, *date)
	if err := usageProblem(err); err != nil {
		return err
	}
	if *format == "geojson" {
		return exportGeoJSON(env, ex, *out)
	}
	if *bbox == "" {
		b, ok := ex.Bound()
		if !ok {
			return errors.New("nothing to export: the database holds no features")
		}
		bound = b
	}
	return exportMBTiles(ctx, env, ex, *out, bound, *minZoom, *maxZoom, *date)
}

// usageProblem turns a server's 4xx problem into a usage error.
func usageProblem(err error) error {
	var bad *server.Problem
	if errors.As(err, &bad) && bad.Status < 500 {
		return fmt.Errorf("%w: %s", errUsage, bad.Detail)
	}
	return err
}

func writeFile(env *Env, path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%d bytes)\n", path, len(data))
	return nil
}

// exportCSV writes the fused events with ACLED's columns.
func exportCSV(ctx context.Context, st *store.Store, path string) error {
	fused, err := st.FusedEvents(ctx)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := writeACLED(f, fused); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// exportGeoJSON writes every layer into one FeatureCollection; each
// feature's "layer" property says which it came from.
func exportGeoJSON(env *Env, ex *server.Export, path string) error {
	fc := geojson.NewFeatureCollection()
	counts := []string{}
	for _, id := range ex.Layers() {
		fs := ex.Features(id)
		for _, f := range fs {
			props := geojson.Properties{}
			for k, v := range f.Properties {
				props[k] = v
			}
			props["layer"] = id
			g := geojson.NewFeature(f.Geometry)
			g.ID, g.Properties = f.ID, props
			fc.Append(g)
		}
		counts = append(counts, fmt.Sprintf("%s %d", id, len(fs)))
	}
	data, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("encode geojson: %w", err)
	}
	fmt.Fprintf(env.Stderr, "layers: %s\n", strings.Join(counts, ", "))
	return writeFile(env, path, data)
}

// exportMBTiles writes the vector tiles of bound from minZoom to maxZoom.
// A tile with nothing in it has no children worth visiting, so each zoom
// only looks under the tiles of the one above that held something.
func exportMBTiles(ctx context.Context, env *Env, ex *server.Export, path string, bound orb.Bound, minZoom, maxZoom int, date string) error {
	start := time.Now()
	mb, err := tiles.CreateMBTiles(ctx, path)
	if err != nil {
		return err
	}
	bound.Min[1] = max(bound.Min[1], -85)
	bound.Max[1] = min(bound.Max[1], 85)
	lo, hi := maptile.At(orb.Point{bound.Min[0], bound.Max[1]}, maptile.Zoom(minZoom)), maptile.At(orb.Point{bound.Max[0], bound.Min[1]}, maptile.Zoom(minZoom))
	var level []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			level = append(level, maptile.New(x, y, maptile.Zoom(minZoom)))
		}
	}
	written := 0
	for z := minZoom; z <= maxZoom && len(level) > 0; z++ {
		full, err := exportLevel(ctx, env, ex, mb, z, maxZoom, level)
		if err != nil {
			mb.Abort()
			return err
		}
		written += len(full)
		level = level[:0]
		for _, t := range full {
			for _, c := range t.Children() {
				if c.Bound().Intersects(bound) {
					level = append(level, c)
				}
			}
		}
	}
	b := bound
	name := "conflictmap"
	if date != "" {
		name += " " + date
	}
	center := b.Center()
	err = mb.Close(ctx, tiles.Metadata{
		Name: name, Description: "Conflict events, places, estimates, distances, areas of control and frontlines",
		Attribution: "GeoNames (CC BY 4.0), Natural Earth; events from the stored articles",
		Bounds:      [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, Center: [3]float64{center[0], center[1], float64(minZoom)},
		MinZoom: minZoom, MaxZoom: maxZoom, VectorLayers: ex.VectorLayers(),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %d tiles, zooms %d-%d, in %.1f s\n", path, written, minZoom, maxZoom, time.Since(start).Seconds())
	return nil
}

// exportLevel builds one zoom's tiles on every core and stores them;
// it returns the tiles that held something.
func exportLevel(ctx context.Context, env *Env, ex *server.Export, mb *tiles.MBTiles, z, maxZoom int, level []maptile.Tile) ([]maptile.Tile, error) {
	type built struct {
		t    maptile.Tile
		data []byte
		err  error
	}
	jobs := make(chan maptile.Tile)
	results := make(chan built)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				data, err := ex.Tile(t)
				results <- built{t, data, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, t := range level {
			select {
			case jobs <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var full []maptile.Tile
	var firstErr error
	done, last := 0, time.Now()
	for r := range results {
		done++
		if firstErr == nil && r.err == nil && len(r.data) > 0 {
			r.err = mb.Put(ctx, r.t, r.data)
			full = append(full, r.t)
		}
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		if time.Since(last) > time.Second || done == len(level) {
			exportProgress(env, z, maxZoom, done, len(level), len(full))
			last = time.Now()
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if env.Terminal {
		fmt.Fprintln(env.Stderr)
	}
	return full, firstErr
}

// exportProgress reports a zoom's tiles: a line each, redrawn in a terminal.
func exportProgress(env *Env, z, maxZoom, done, total, full int) {
	var w io.Writer = env.Stderr
	if env.Terminal {
		fmt.Fprintf(w, "\rzoom %d/%d: %d/%d tiles, %d with data", z, maxZoom, done, total, full)
		return
	}
	fmt.Fprintf(w, "zoom %d/%d: %d/%d tiles, %d with data\n", z, maxZoom, done, total, full)
}
