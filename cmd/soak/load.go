package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// phase is one stretch of the run whose requests are counted together.
type phase struct {
	latencies map[string][]time.Duration
	errors    map[string]int
	statuses  map[int]int
	ingested  int // articles stored (201)
	existing  int // articles the server had already (200)
	bytes     int64
	samples   []errorSample
}

// errorSample is one failed request, kept to show what went wrong.
type errorSample struct {
	Class  string `json:"class"`
	Path   string `json:"path"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail"`
}

const maxErrorSamples = 10

func newPhase() *phase {
	return &phase{latencies: map[string][]time.Duration{}, errors: map[string]int{}, statuses: map[int]int{}}
}

// recorder collects the results of every worker into the current phase.
type recorder struct {
	mu  sync.Mutex
	cur *phase
}

func (r *recorder) start(p *phase) {
	r.mu.Lock()
	r.cur = p
	r.mu.Unlock()
}

// result is what one request gave.
type result struct {
	class   string
	path    string
	status  int // 0: transport error
	elapsed time.Duration
	bytes   int64
	err     error
}

// ok is the soak's definition of success: 2xx, or 304 for a client that
// sent If-None-Match.
func (res result) ok() bool {
	return res.err == nil && (res.status >= 200 && res.status < 300 || res.status == http.StatusNotModified)
}

func (r *recorder) record(res result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.cur
	p.statuses[res.status]++
	p.bytes += res.bytes
	if res.ok() {
		p.latencies[res.class] = append(p.latencies[res.class], res.elapsed)
		return
	}
	p.errors[res.class]++
	if len(p.samples) < maxErrorSamples {
		detail := ""
		if res.err != nil {
			detail = res.err.Error()
		}
		p.samples = append(p.samples, errorSample{Class: res.class, Path: res.path, Status: res.status, Detail: detail})
	}
}

func (r *recorder) ingest(created bool) {
	r.mu.Lock()
	if created {
		r.cur.ingested++
	} else {
		r.cur.existing++
	}
	r.mu.Unlock()
}

// loader runs the readers and the writer against one server.
type loader struct {
	cfg    config
	base   string
	client *http.Client
	rec    *recorder
	area   loadtest.Area
	// stop tells the workers to start no new request; requests in flight
	// finish and are counted (they are not cancelled, which would count a
	// healthy server's answer as an error).
	stop atomic.Bool
}

// do makes one request and reads the whole answer.
func (l *loader) do(req *http.Request, class string) result {
	res, _ := l.doKeepETag(req, class)
	return res
}

// reader makes requests one after another until stopped. A fifth of its
// requests repeat one it made before with If-None-Match, as a browser
// revalidating its cache does.
func (l *loader) reader(ctx context.Context, seed uint64) {
	p := newPicker(seed, l.area)
	etags := map[string]string{}
	var recent []string
	for !l.stop.Load() && ctx.Err() == nil {
		t := p.next()
		var etag string
		if len(recent) > 0 && p.rng.IntN(5) == 0 {
			t.path = recent[p.rng.IntN(len(recent))]
			t.class = classOf(t.path)
			etag = etags[t.path]
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+t.path, nil)
		if err != nil {
			l.rec.record(result{class: t.class, path: t.path, err: err})
			continue
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, tag := l.doKeepETag(req, t.class)
		l.rec.record(res)
		if tag != "" {
			if _, seen := etags[t.path]; !seen {
				if len(recent) >= 200 {
					delete(etags, recent[0])
					recent = recent[1:]
				}
				recent = append(recent, t.path)
			}
			etags[t.path] = tag
		}
	}
}

// doKeepETag is do, also returning the answer's ETag.
func (l *loader) doKeepETag(req *http.Request, class string) (result, string) {
	start := time.Now()
	resp, err := l.client.Do(req)
	if err != nil {
		return result{class: class, path: req.URL.RequestURI(), elapsed: time.Since(start), err: err}, ""
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	res := result{class: class, path: req.URL.RequestURI(), status: resp.StatusCode, elapsed: time.Since(start), bytes: n, err: err}
	if err == nil && !res.ok() {
		res.err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return res, resp.Header.Get("ETag")
}

// classOf names the class of a path the picker made.
func classOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/static.png"):
		return classStatic
	case strings.HasSuffix(path, ".mvt"):
		return classMVT
	case strings.HasSuffix(path, ".png"):
		return classPNG
	}
	return classItems
}

// writer POSTs a generated article every interval until stopped, as JSON
// and as text/plain with query parameters in turn (the two bodies the
// server takes). A POST slower than the interval delays the next one;
// late counts those.
func (l *loader) writer(ctx context.Context, gen *loadtest.Generator, every time.Duration, late *atomic.Int64) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := 0; !l.stop.Load() && ctx.Err() == nil; n++ {
		a := gen.Next()
		req, err := l.postRequest(ctx, a, n%2 == 0)
		if err != nil {
			l.rec.record(result{class: classPost, path: "/api/articles", err: err})
		} else {
			res := l.do(req, classPost)
			l.rec.record(res)
			if res.ok() {
				l.rec.ingest(res.status == http.StatusCreated)
			}
			if res.elapsed > every {
				late.Add(1)
			}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

func (l *loader) postRequest(ctx context.Context, a loadtest.Article, asJSON bool) (*http.Request, error) {
	var req *http.Request
	var err error
	if asJSON {
		body, jerr := json.Marshal(a)
		if jerr != nil {
			return nil, jerr
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, l.base+"/api/articles", bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
	} else {
		q := url.Values{"date": {a.Date}, "source": {a.Source}}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, l.base+"/api/articles?"+q.Encode(), strings.NewReader(a.Text))
		if err == nil {
			req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		}
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.cfg.token)
	return req, nil
}
