package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
)

// runRender draws a static map image, with the options of /static.png.
func runRender(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet("render", env.Stdout)
	dbPath := fset.String("db", defaultDBPath(env), "SQLite database file")
	out := fset.String("o", "", "PNG file to write (required)")
	query := url.Values{}
	for _, name := range []string{"bbox", "center", "zoom", "width", "height", "layers", "date"} {
		help := map[string]string{
			"bbox": "minLon,minLat,maxLon,maxLat to show (default: fit the events)", "center": "lat,lon of the centre (with --zoom)",
			"zoom": "zoom level 0-22 (with --center)", "width": "width in pixels, up to 4096 (default 1024)",
			"height": "height in pixels, up to 4096 (default 768)", "layers": "overlays to draw, comma-separated (default all)",
			"date": "YYYY-MM-DD or an interval START/END (default: every event; zones of the latest day)",
		}[name]
		fset.Func(name, help, func(v string) error { query.Set(name, v); return nil })
	}
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: render needs -o FILE.png", errUsage)
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("%w: render takes no arguments, got %q", errUsage, fset.Arg(0))
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s: run 'conflictmap serve' or 'conflictmap ingest' first", *dbPath)
	}
	p, err := openPipeline(ctx, env, *dbPath, "")
	if err != nil {
		return err
	}
	defer p.close()
	srv, err := newServer(ctx, p, "", nil)
	if err != nil {
		return err
	}
	data, err := srv.StaticPNG(ctx, query)
	if err := usageProblem(err); err != nil {
		return err
	}
	return writeFile(env, *out, data)
}
