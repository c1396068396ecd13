package main

import (
	"debug/buildinfo"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// report is every figure of a run. RSS figures are -1 when unread.
type report struct {
	Machine     loadtest.Machine `json:"machine"`
	Binary      binaryInfo       `json:"server_binary"`
	Rounds      int              `json:"rounds"`
	Concurrency int              `json:"warm_concurrency"`

	Tiles     []comparison   `json:"tiles"`
	TileBytes []tileBytes    `json:"tile_bytes"`
	ColdFirst []firstRequest `json:"cold_first_request"`
	Geoparse  geoparseResult `json:"geoparse"`
	Ingest    ingestFigure   `json:"ingest"`
	Static    staticFigure   `json:"static_png"`

	RSSIdle  []int64 `json:"server_rss_idle_bytes"` // each fresh start
	RSSAfter int64   `json:"server_rss_after_bytes"`
	PeakRSS  int64   `json:"server_peak_rss_bytes"`
	Errors   int     `json:"errors"`
}

// binaryInfo is what the server binary says of its build.
type binaryInfo struct {
	Path      string `json:"path"`
	GoVersion string `json:"go_version"`
	Revision  string `json:"revision,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
}

func describeBinary(path string) binaryInfo {
	bi := binaryInfo{Path: path}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return bi
	}
	bi.GoVersion = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			bi.Revision = s.Value
		case "vcs.modified":
			bi.Modified = s.Value == "true"
		}
	}
	return bi
}

// firstRequest is the first request of a fresh server: it loads the
// layers from SQLite and indexes them for tiling.
type firstRequest struct {
	Format string  `json:"format"`
	Ms     float64 `json:"ms"`
}

type tileBytes struct {
	Format    string `json:"format"`
	Tiles     int    `json:"tiles"`
	MeanBytes int64  `json:"mean_bytes"`
}

type staticFigure struct {
	Path     string  `json:"path"`
	Requests int     `json:"requests"`
	P50ms    float64 `json:"p50_ms"`
	P90ms    float64 `json:"p90_ms"`
}

type ingestFigure struct {
	Articles  int     `json:"articles"`
	Created   int     `json:"created"`
	MeanBytes int64   `json:"mean_bytes"`
	WallS     float64 `json:"wall_s"`
	PerSecond float64 `json:"articles_per_s"`
	P50ms     float64 `json:"p50_ms"`
	P90ms     float64 `json:"p90_ms"`
	// the first and last tenth of the articles: does ingest slow down as
	// the store grows?
	FirstP50ms float64 `json:"first_tenth_p50_ms"`
	LastP50ms  float64 `json:"last_tenth_p50_ms"`
}

// medianBytes is the median of the measured sizes, -1 for none.
func medianBytes(xs []int64) int64 {
	var fs []float64
	for _, x := range xs {
		if x >= 0 {
			fs = append(fs, float64(x))
		}
	}
	if len(fs) == 0 {
		return -1
	}
	return int64(loadtest.Median(fs))
}

func (r *report) print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\nconflictmap benchside  %s\n", m.Date)
	fmt.Fprintf(w, "machine: %s, %d cores, %.1f GiB, Linux %s, load average at start %s\n", m.CPU, m.Cores, float64(m.MemTotal)/(1<<30), m.Kernel, m.LoadAvg)
	rev := r.Binary.Revision
	if rev == "" {
		rev = "no VCS stamp"
	} else if r.Binary.Modified {
		rev += " (modified)"
	}
	fmt.Fprintf(w, "go:      benchside %s, server built with %s (%s)\n\n", m.GoVersion, r.Binary.GoVersion, rev)

	fmt.Fprintf(w, "Tiles: conflictmap against net/http FileServer serving the same bytes, uncompressed\n")
	fmt.Fprintf(w, "(medians of %d rounds; ratios conflictmap/static within each round; warm: %d clients)\n", r.Rounds, r.Concurrency)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "format\tstate\ttiles\tcm req/s\tstatic req/s\treq/s ratio\tcm p50 ms\tstatic p50 ms\tp50 ratio\terrors\t")
	for _, c := range r.Tiles {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%.0f\t%.3g\t%.3f\t%.3f\t%.3g\t%d\t\n", c.Format, c.State, c.Tiles, c.CMRPS, c.StaticRPS, c.RPSRatio,
			c.CMP50ms, c.StaticP50ms, c.P50Ratio, c.Errors)
	}
	tw.Flush()
	var sizes, firsts []string
	for _, t := range r.TileBytes {
		sizes = append(sizes, fmt.Sprintf("%s %d bytes", t.Format, t.MeanBytes))
	}
	for _, f := range r.ColdFirst {
		firsts = append(firsts, fmt.Sprintf("%s %.0f", f.Format, f.Ms))
	}
	fmt.Fprintf(w, "mean tile size: %s\n", strings.Join(sizes, ", "))
	fmt.Fprintf(w, "first request after each start, ms (loads the layers, builds the tile index): %s\n\n", strings.Join(firsts, "; "))

	g := r.Geoparse
	fmt.Fprintf(w, "Geoparse (in-process parser, %d places, index loaded in %.2fs; one core):\n", g.Places, g.IndexLoadS)
	for _, c := range g.Corpora {
		fmt.Fprintf(w, "  %-20s %7d bytes  median %5.1f MB/s, best %5.1f MB/s of %d\n", c.Name, c.Bytes, c.MBps, c.Best, len(c.Rounds))
	}
	for _, e := range g.Errors {
		fmt.Fprintf(w, "  (%s)\n", e)
	}
	in := r.Ingest
	fmt.Fprintf(w, "\nIngest: %d articles (%d new, ~%d bytes each) POSTed one at a time in %.1fs: %.1f articles/s (p50 %.1f ms, p90 %.1f ms;\n",
		in.Articles, in.Created, in.MeanBytes, in.WallS, in.PerSecond, in.P50ms, in.P90ms)
	fmt.Fprintf(w, "        p50 of the first tenth %.1f ms, of the last tenth %.1f ms)\n", in.FirstP50ms, in.LastP50ms)
	s := r.Static
	fmt.Fprintf(w, "Static image 1024x768: median %.0f ms, p90 %.0f ms over %d requests (%s)\n", s.P50ms, s.P90ms, s.Requests, s.Path)

	var idle []string
	for _, v := range r.RSSIdle {
		idle = append(idle, loadtest.MiB(v))
	}
	fmt.Fprintf(w, "\nMemory: server idle after start %s (median; each start: %s), after the runs %s, peak %s\n",
		loadtest.MiB(medianBytes(r.RSSIdle)), strings.Join(idle, ", "), loadtest.MiB(r.RSSAfter), loadtest.MiB(r.PeakRSS))
	fmt.Fprintf(w, "        geoparse process: at start %s, index loaded %s, after parsing %s, peak %s\n",
		loadtest.MiB(g.RSSStart), loadtest.MiB(g.RSSAfterLoad), loadtest.MiB(g.RSSAfterParse), loadtest.MiB(g.PeakRSS))
	fmt.Fprintf(w, "Errors: %d\n", r.Errors)
}
