package server_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/geo/store"
)

// TestConcurrentWritesAndReads posts 100 distinct articles from 20
// writers while 10 readers load the events and places layers until the
// writers are done. SQLite takes one writer at a time: no write may fail
// (no 5xx, no "database is locked"), and every article is stored once.
func TestConcurrentWritesAndReads(t *testing.T) {
	const (
		articles = 100
		writers  = 20
		readers  = 10
	)
	ts := newTestServer(t, testToken, true)
	seeds := ts.articles(t).Articles
	towns := []string{"Misrata", "Sirte", "Zintan", "Gharyan", "Benghazi", "Tripoli", "Tobruk"}
	texts := make([]string, articles)
	for i := range texts {
		texts[i] = fmt.Sprintf("date 2019-04-%02d\nClashes broke out in %s between rival militias. Report number %d.",
			i%28+1, towns[i%len(towns)], i)
	}

	jobs := make(chan int)
	var writeWG, readWG sync.WaitGroup
	statuses := make([]int, articles)
	bodies := make([]string, articles)
	for range writers {
		writeWG.Go(func() {
			for i := range jobs {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL+"/api/articles", strings.NewReader(texts[i]))
				if err != nil {
					t.Error(err)
					continue
				}
				req.Header.Set("Content-Type", "text/plain")
				req.Header.Set("Authorization", bearer)
				res, err := ts.Client().Do(req)
				if err != nil {
					t.Errorf("POST %d: %v", i, err)
					continue
				}
				statuses[i], bodies[i] = res.StatusCode, readAll(res)
			}
		})
	}

	done := make(chan struct{})
	var reads, readFailures atomic.Int64
	var failMu sync.Mutex
	var firstFailure string
	for r := range readers {
		readWG.Go(func() {
			path := []string{"/collections/events/items", "/collections/places/items"}[r%2]
			for {
				select {
				case <-done:
					return
				default:
				}
				res, err := ts.Client().Get(ts.URL + path)
				if err != nil {
					readFailures.Add(1)
					continue
				}
				body := readAll(res)
				reads.Add(1)
				if res.StatusCode != http.StatusOK {
					readFailures.Add(1)
					failMu.Lock()
					if firstFailure == "" {
						firstFailure = fmt.Sprintf("GET %s: %d %.300s", path, res.StatusCode, body)
					}
					failMu.Unlock()
				}
			}
		})
	}

	start := time.Now()
	for i := range articles {
		jobs <- i
	}
	close(jobs)
	writeWG.Wait()
	close(done)
	readWG.Wait()
	t.Logf("%d posts and %d reads in %v", articles, reads.Load(), time.Since(start).Round(time.Millisecond))

	for i, st := range statuses {
		if st != http.StatusCreated {
			t.Errorf("article %d: status %d, want 201: %.300s", i, st, bodies[i])
		}
		if strings.Contains(bodies[i], "locked") {
			t.Errorf("article %d: %.300s", i, bodies[i])
		}
	}
	if n := readFailures.Load(); n > 0 {
		t.Errorf("%d of %d reads failed; first: %s", n, reads.Load(), firstFailure)
	}
	if reads.Load() == 0 {
		t.Error("no read ran while the writers wrote")
	}

	// every article exactly once, by the hash of its text
	l := ts.articles(t)
	if len(l.Articles) != articles+len(seeds) {
		t.Errorf("%d articles stored, want %d + %d seeds", len(l.Articles), articles, len(seeds))
	}
	want := map[string]int{}
	for _, a := range seeds {
		want[a.Hash]++
	}
	for _, text := range texts {
		want[store.Hash(text)]++
	}
	got := map[string]int{}
	var ids []int64
	for _, a := range l.Articles {
		got[a.Hash]++
		ids = append(ids, a.ID)
	}
	for h, n := range want {
		if got[h] != n {
			t.Errorf("article %.12s stored %d times, want %d", h, got[h], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d distinct articles stored, want %d", len(got), len(want))
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != len(l.Articles) {
		t.Error("an article id is listed twice")
	}
	// the layers read after the writes see them all
	fc := ts.items(t, "/collections/places/items?limit=10000")
	for _, f := range fc.Features {
		if f.Properties["name"] == "Zintan" {
			if n, _ := f.Properties["mention_count"].(float64); n < articles/float64(len(towns)) {
				t.Errorf("Zintan mentioned %v times after the posts", n)
			}
		}
	}
}

// readAll reads and closes a response body; a read error shows as a
// short body, which the callers' checks then report.
func readAll(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
