package main

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
	"github.com/conflictmap/conflictmap/server"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
	}{
		{"defaults launch a server", nil, nil},
		{"attach to loopback with a token", []string{"--base", "http://127.0.0.1:8080", "--token", "t", "--pid", "42"}, nil},
		{"attach without writer needs no token", []string{"--base", "http://[::1]:8080", "--write-every", "0"}, nil},
		{"non-loopback base refused", []string{"--base", "http://10.1.2.3:8080", "--token", "t"}, loadtest.ErrUsage},
		{"public host refused", []string{"--base", "https://example.org", "--token", "t"}, loadtest.ErrUsage},
		{"writer on an attached server needs a token", []string{"--base", "http://localhost:8080", "--token", ""}, loadtest.ErrUsage},
		{"pid without base refused", []string{"--pid", "12"}, loadtest.ErrUsage},
		{"base with bin refused", []string{"--base", "http://127.0.0.1:1", "--token", "t", "--bin", "x"}, loadtest.ErrUsage},
		{"zero duration refused", []string{"--duration", "0s"}, loadtest.ErrUsage},
		{"no clients refused", []string{"--clients", "0"}, loadtest.ErrUsage},
		{"negative growth bound refused", []string{"--max-rss-growth", "-1"}, loadtest.ErrUsage},
		{"too fast a writer refused", []string{"--write-every", "1ms"}, loadtest.ErrUsage},
		{"unknown flag", []string{"--nope"}, loadtest.ErrUsage},
		{"arguments refused", []string{"extra"}, loadtest.ErrUsage},
		{"help", []string{"-h"}, loadtest.ErrHelp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CONFLICTMAP_TOKEN", "")
			_, err := parseConfig(tc.args, io.Discard)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("parseConfig(%q) = %v, want %v", tc.args, err, tc.wantErr)
			}
		})
	}
}

func TestHardLimitBoundsTheRun(t *testing.T) {
	c, err := parseConfig([]string{"--duration", "60s", "--warmup", "10s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.hardLimit(); got != 70*time.Second+5*time.Minute {
		t.Fatalf("hardLimit = %v", got)
	}
}

var libya = loadtest.Area{Bound: orb.Bound{Min: orb.Point{10, 25}, Max: orb.Point{25, 34}},
	From: time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2019, 4, 30, 0, 0, 0, 0, time.UTC),
	Events: []orb.Point{{13.19, 32.89}, {15.09, 32.37}}}

// TestPickerTargetsAreValid checks that every target the picker draws is
// one the server accepts: tile addresses in range, bounding boxes, dates
// and sizes it parses.
func TestPickerTargetsAreValid(t *testing.T) {
	areas := []struct {
		name string
		area loadtest.Area
	}{{"libya", libya}, {"world", loadtest.World}}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			p := newPicker(1, a.area)
			counts := map[string]int{}
			for range 5000 {
				tg := p.next()
				counts[tg.class]++
				if got := classOf(tg.path); got != tg.class {
					t.Fatalf("classOf(%q) = %s, want %s", tg.path, got, tg.class)
				}
				checkTarget(t, tg)
			}
			for _, c := range readClasses {
				if share := counts[c.name] * 100 / 5000; share < c.share-4 || share > c.share+4 {
					t.Errorf("class %s drew %d%%, want about %d%%", c.name, share, c.share)
				}
			}
		})
	}
}

func checkTarget(t *testing.T, tg target) {
	t.Helper()
	u, err := url.Parse(tg.path)
	if err != nil {
		t.Fatalf("%s: %v", tg.path, err)
	}
	q := u.Query()
	switch tg.class {
	case classMVT, classPNG:
		parts := strings.Split(strings.TrimPrefix(u.Path, "/tiles/"), "/")
		if len(parts) != 3 {
			t.Fatalf("tile path %q", tg.path)
		}
		y := strings.TrimSuffix(strings.TrimSuffix(parts[2], ".mvt"), ".png")
		if _, err := server.ParseTile(parts[0], parts[1], y); err != nil {
			t.Fatalf("tile %q: %v", tg.path, err)
		}
	case classStatic:
		checkBBox(t, tg.path, q.Get("bbox"))
		for _, k := range []string{"width", "height"} {
			if n, err := strconv.Atoi(q.Get(k)); err != nil || n < 64 || n > 512 {
				t.Fatalf("%s %q in %s", k, q.Get(k), tg.path)
			}
		}
	case classItems:
		if q.Has("bbox") {
			checkBBox(t, tg.path, q.Get("bbox"))
		}
		if q.Has("datetime") {
			if _, err := server.ParseDatetime(q.Get("datetime")); err != nil {
				t.Fatalf("datetime in %s: %v", tg.path, err)
			}
		}
	default:
		t.Fatalf("unknown class %q", tg.class)
	}
}

func checkBBox(t *testing.T, path, bbox string) {
	t.Helper()
	b, wrap, err := server.ParseBBox(bbox)
	if err != nil || wrap || !(b.Min[0] < b.Max[0]) || !(b.Min[1] < b.Max[1]) {
		t.Fatalf("bbox %q in %s: %v (wrap %v)", bbox, path, err, wrap)
	}
}

func TestResultOK(t *testing.T) {
	tests := []struct {
		name string
		res  result
		ok   bool
	}{
		{"200", result{status: 200}, true},
		{"201 created", result{status: 201}, true},
		{"204 empty tile", result{status: 204}, true},
		{"304 revalidated", result{status: 304}, true},
		{"302 redirect is unexpected", result{status: 302}, false},
		{"404", result{status: 404}, false},
		{"500", result{status: 500}, false},
		{"transport error", result{err: errors.New("connection reset")}, false},
		{"200 with a broken body", result{status: 200, err: io.ErrUnexpectedEOF}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.res.ok(); got != tc.ok {
				t.Fatalf("ok() = %v, want %v", got, tc.ok)
			}
		})
	}
}

func TestRecorderSplitsPhases(t *testing.T) {
	rec := &recorder{}
	warm, run := newPhase(), newPhase()
	rec.start(warm)
	rec.record(result{class: classMVT, status: http.StatusOK, elapsed: time.Millisecond})
	rec.record(result{class: classPNG, status: http.StatusInternalServerError, err: errors.New("status 500")})
	rec.start(run)
	rec.record(result{class: classMVT, status: http.StatusOK, elapsed: 3 * time.Millisecond})
	rec.ingest(true)
	rec.ingest(false)
	if len(warm.latencies[classMVT]) != 1 || warm.errors[classPNG] != 1 || len(warm.samples) != 1 {
		t.Fatalf("warm-up phase: %+v", warm)
	}
	if len(run.latencies[classMVT]) != 1 || len(run.errors) != 0 || run.ingested != 1 || run.existing != 1 {
		t.Fatalf("measured phase: %+v", run)
	}
}

func TestJudge(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name     string
		rep      report
		pass     bool
		failures int
	}{
		{"clean and flat", report{Total: classReport{Requests: 10}, RSSAfterWarmup: 400 * mib, RSSAfter: 420 * mib, MaxGrowthPct: 25}, true, 0},
		{"an error fails", report{Total: classReport{Requests: 10, Errors: 1}, RSSAfterWarmup: 400 * mib, RSSAfter: 400 * mib, MaxGrowthPct: 25}, false, 1},
		{"a warm-up error fails", report{Total: classReport{Requests: 10}, WarmupErrors: 2, MaxGrowthPct: 25, RSSAfterWarmup: -1, RSSAfter: -1}, false, 1},
		{"growth over the bound fails", report{Total: classReport{Requests: 10}, RSSAfterWarmup: 400 * mib, RSSAfter: 520 * mib, MaxGrowthPct: 25}, false, 1},
		{"growth at the bound passes", report{Total: classReport{Requests: 10}, RSSAfterWarmup: 400 * mib, RSSAfter: 500 * mib, MaxGrowthPct: 25}, true, 0},
		{"shrinking passes", report{Total: classReport{Requests: 10}, RSSAfterWarmup: 400 * mib, RSSAfter: 300 * mib, MaxGrowthPct: 0}, true, 0},
		{"unknown RSS is not judged", report{Total: classReport{Requests: 10}, RSSAfterWarmup: -1, RSSAfter: -1, MaxGrowthPct: 0}, true, 0},
		{"no request fails", report{RSSAfterWarmup: -1, RSSAfter: -1}, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.rep
			r.judge()
			if r.Pass != tc.pass || len(r.Failures) != tc.failures {
				t.Fatalf("judge: pass %v, failures %q; want pass %v with %d failures", r.Pass, r.Failures, tc.pass, tc.failures)
			}
		})
	}
}

func TestSummarizeCountsErrorsAsRequests(t *testing.T) {
	run, warm := newPhase(), newPhase()
	run.latencies[classMVT] = []time.Duration{time.Millisecond, 2 * time.Millisecond}
	run.errors[classMVT] = 1
	warm.latencies[classPNG] = []time.Duration{time.Millisecond}
	var r report
	r.summarize(run, warm, 2*time.Second)
	if r.Total.Requests != 3 || r.Total.Errors != 1 || r.RPS != 1.5 || r.WarmupRequests != 1 {
		t.Fatalf("summary: total %+v, rps %v, warm-up %d", r.Total, r.RPS, r.WarmupRequests)
	}
	for _, c := range r.Classes {
		if c.Class == classMVT && (c.Requests != 3 || c.P50ms != 1) {
			t.Fatalf("mvt line %+v", c)
		}
	}
}
