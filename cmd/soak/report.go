package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// classReport is one endpoint class's line of the report.
type classReport struct {
	Class    string  `json:"class"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50ms    float64 `json:"p50_ms"`
	P90ms    float64 `json:"p90_ms"`
	P99ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// rssSample is the server's RSS at one moment of the run.
type rssSample struct {
	AtS   float64 `json:"at_s"` // seconds since the warm-up began
	Phase string  `json:"phase"`
	RSS   int64   `json:"rss_bytes"`
}

// report is everything a run measured. RSS figures are -1 when they
// could not be read (an attached server without --pid).
type report struct {
	Machine  loadtest.Machine `json:"machine"`
	Base     string           `json:"base"`
	PID      int              `json:"pid,omitempty"`
	Launched bool             `json:"launched"`

	DurationS    float64 `json:"duration_s"`
	WarmupS      float64 `json:"warmup_s"`
	Clients      int     `json:"clients"`
	WriteEveryS  float64 `json:"write_every_s"`
	MaxGrowthPct float64 `json:"max_rss_growth_pct"`

	Classes        []classReport `json:"classes"`
	Total          classReport   `json:"total"`
	RPS            float64       `json:"requests_per_second"`
	Ingested       int           `json:"articles_ingested"`
	Existing       int           `json:"articles_already_stored"`
	LatePosts      int64         `json:"posts_slower_than_interval"`
	WarmupRequests int           `json:"warmup_requests"`
	WarmupErrors   int           `json:"warmup_errors"`
	WarmupIngested int           `json:"warmup_articles_ingested"`

	RSSBefore      int64         `json:"rss_before_bytes"`
	RSSAfterWarmup int64         `json:"rss_after_warmup_bytes"`
	RSSAfter       int64         `json:"rss_after_bytes"`
	RSSGrowthPct   float64       `json:"rss_growth_pct"`
	Samples        []rssSample   `json:"rss_samples"`
	ErrorSamples   []errorSample `json:"error_samples,omitempty"`

	Failures []string `json:"failures"`
	Pass     bool     `json:"pass"`
}

// summarize fills the request figures from the measured phase and the
// warm-up.
func (r *report) summarize(measured, warm *phase, elapsed time.Duration) {
	classes := []string{classItems, classMVT, classPNG, classStatic, classPost}
	var all []time.Duration
	r.Classes = nil
	for _, c := range classes {
		lat := measured.latencies[c]
		all = append(all, lat...)
		r.Classes = append(r.Classes, classLine(c, lat, measured.errors[c]))
	}
	errs := 0
	for _, n := range measured.errors {
		errs += n
	}
	r.Total = classLine("total", all, errs)
	if elapsed > 0 {
		r.RPS = float64(r.Total.Requests) / elapsed.Seconds()
	}
	r.Ingested, r.Existing = measured.ingested, measured.existing
	r.ErrorSamples = append(append([]errorSample(nil), warm.samples...), measured.samples...)
	for _, lat := range warm.latencies {
		r.WarmupRequests += len(lat)
	}
	for _, n := range warm.errors {
		r.WarmupRequests += n
		r.WarmupErrors += n
	}
	r.WarmupIngested = warm.ingested
}

// classLine counts the successful latencies and the errors of a class;
// Requests counts both.
func classLine(class string, lat []time.Duration, errs int) classReport {
	s := loadtest.Summarize(lat)
	return classReport{Class: class, Requests: s.Count + errs, Errors: errs,
		P50ms: loadtest.Ms(s.P50), P90ms: loadtest.Ms(s.P90), P99ms: loadtest.Ms(s.P99), MaxMs: loadtest.Ms(s.Max)}
}

// judge decides the verdict: no error at all (warm-up included) and RSS
// growth after warm-up within the bound.
func (r *report) judge() {
	r.Failures = nil
	if r.Total.Requests == 0 {
		r.Failures = append(r.Failures, "no request was made")
	}
	if n := r.Total.Errors + r.WarmupErrors; n > 0 {
		r.Failures = append(r.Failures, fmt.Sprintf("%d errors (%d in the warm-up)", n, r.WarmupErrors))
	}
	r.RSSGrowthPct = 0
	if r.RSSAfterWarmup > 0 && r.RSSAfter >= 0 {
		r.RSSGrowthPct = 100 * float64(r.RSSAfter-r.RSSAfterWarmup) / float64(r.RSSAfterWarmup)
		if r.RSSGrowthPct > r.MaxGrowthPct {
			r.Failures = append(r.Failures, fmt.Sprintf("RSS grew %.1f%% after warm-up (%s to %s), above the %.0f%% bound",
				r.RSSGrowthPct, loadtest.MiB(r.RSSAfterWarmup), loadtest.MiB(r.RSSAfter), r.MaxGrowthPct))
		}
	}
	r.Pass = len(r.Failures) == 0
}

// print writes the report as tables.
func (r *report) print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\nconflictmap soak  %s\n", m.Date)
	fmt.Fprintf(w, "machine: %s, %d cores, %s, Linux %s, load average at start %s\n", m.CPU, m.Cores, m.GoVersion, m.Kernel, m.LoadAvg)
	origin := "attached"
	if r.Launched {
		origin = "launched"
	}
	fmt.Fprintf(w, "server:  %s (pid %d, %s)\n", r.Base, r.PID, origin)
	writer := "no writer"
	if r.WriteEveryS > 0 {
		writer = fmt.Sprintf("1 writer every %gs", r.WriteEveryS)
	}
	fmt.Fprintf(w, "load:    %gs measured after a %gs warm-up, %d readers, %s\n\n", r.DurationS, r.WarmupS, r.Clients, writer)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\trequests\terrors\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
	for _, c := range append(r.Classes, r.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", c.Class, c.Requests, c.Errors, c.P50ms, c.P90ms, c.P99ms, c.MaxMs)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nrequests per second: %.0f\n", r.RPS)
	fmt.Fprintf(w, "articles ingested:   %d new, %d already stored (warm-up: %d new); POSTs slower than the interval: %d\n",
		r.Ingested, r.Existing, r.WarmupIngested, r.LatePosts)
	fmt.Fprintf(w, "warm-up:             %d requests, %d errors (latencies not reported)\n", r.WarmupRequests, r.WarmupErrors)
	fmt.Fprintf(w, "server RSS:          before load %s, after warm-up %s, after the run %s",
		loadtest.MiB(r.RSSBefore), loadtest.MiB(r.RSSAfterWarmup), loadtest.MiB(r.RSSAfter))
	if r.RSSAfterWarmup > 0 && r.RSSAfter >= 0 {
		fmt.Fprintf(w, " (%+.1f%% after warm-up; bound %.0f%%)", r.RSSGrowthPct, r.MaxGrowthPct)
	}
	fmt.Fprintln(w)
	if len(r.Samples) > 0 {
		fmt.Fprint(w, "RSS samples:        ")
		for _, s := range r.Samples {
			fmt.Fprintf(w, " %.0fs %s;", s.AtS, loadtest.MiB(s.RSS))
		}
		fmt.Fprintln(w)
	}
	for _, e := range r.ErrorSamples {
		fmt.Fprintf(w, "error: %s %s: status %d %s\n", e.Class, e.Path, e.Status, e.Detail)
	}
	if r.Pass {
		fmt.Fprintln(w, "\nPASS: no errors, memory flat within the bound")
		return
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "\nFAIL: %s", f)
	}
	fmt.Fprintln(w)
}
