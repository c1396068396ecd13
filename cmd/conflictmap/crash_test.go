package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
)

// crashRounds are the points at which the server is killed: after that
// many writes of the round were acknowledged, with more in flight.
var crashRounds = []int{20, 7, 31}

// crashWriters is how many clients post at once: one is being stored
// while the others wait for the write lock or send their bodies.
const crashWriters = 4

// TestCrashSafetyKill9 kills `conflictmap serve` with SIGKILL while
// several clients post articles, restarts it on the same database and
// checks that the file is sound, that every article acknowledged with a
// 201 survived with its text, and that every stored article is whole:
// the same mentions, estimates, events and claims as a clean ingest of
// its text, with every event in a fused event.
func TestCrashSafetyKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the conflictmap binary and kills it while it writes: skipped in -short mode")
	}
	root := gazettest.RepoRoot()
	dir := t.TempDir()
	bin := buildBinary(t, root, dir)
	env := subprocessEnv(t)
	db := filepath.Join(dir, "crash.db")
	runBinary(t, bin, env, importArgs(db)...)

	var all []*crashPost
	for round, n := range crashRounds {
		p := startServe(t, bin, env, db, "") // no first-run articles: the store holds only what the test posts
		all = append(all, postUntilKilled(t, p, round+1, n)...)
		checkIntegrity(t, db)
	}
	p := startServe(t, bin, env, db, "")
	stored := checkAcknowledged(t, p.base, all)
	p.stop(t)
	checkIntegrity(t, db)
	checkWhole(t, bin, env, dir, db, stored)

	unacked, kept := 0, 0
	for _, c := range all {
		if c.id == 0 {
			unacked++
			if _, ok := stored[c.marker]; ok {
				kept++
			}
		}
	}
	if unacked == 0 {
		t.Errorf("no post was in flight at any of the %d kills: the test did not exercise a crash during a write", len(crashRounds))
	}
	t.Logf("%d posts, %d acknowledged; of the %d in flight at a kill, %d were stored and %d not at all",
		len(all), len(all)-unacked, unacked, kept, unacked-kept)
}

// crashPost is one article a client sent: its id once the server
// acknowledged it with a 201, 0 otherwise.
type crashPost struct {
	marker, body string
	id           int64
}

// crashArticle is a short report of fighting near real towns, unique by
// its marker. It yields mentions, an estimate, events and a claim of
// control, so that a half-stored article lacks something.
func crashArticle(round, seq int) *crashPost {
	towns := []string{"Tripoli", "Misrata", "Sirte", "Benghazi", "Gharyan", "Tarhuna", "Zawiya", "Ajdabiya", "Tobruk", "Zliten"}
	marker := fmt.Sprintf("crashmark%dq%03d", round, seq)
	i := round*7 + seq
	town, near := towns[i%len(towns)], towns[(i+3)%len(towns)]
	body := fmt.Sprintf("date 2023-06-%02d\n\nForces loyal to Khalifa Hifter took control of %s on Monday after heavy fighting "+
		"in which %d fighters were killed, local officials said. Shelling was also reported about %d km south of %s. Dispatch %s.\n",
		1+i%27, town, 2+seq%9, 10+seq%30, near, marker)
	return &crashPost{marker: marker, body: body}
}

// postUntilKilled posts distinct articles from crashWriters clients and
// kills the server with SIGKILL once n of them were acknowledged. It
// returns every post it sent.
func postUntilKilled(t *testing.T, p *serveProc, round, n int) []*crashPost {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: crashWriters}}
	defer client.CloseIdleConnections()
	var (
		mu     sync.Mutex
		posts  []*crashPost
		seq    atomic.Int64
		killed atomic.Bool
		wg     sync.WaitGroup
	)
	acked := make(chan struct{}, 1024)
	for range crashWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				c := crashArticle(round, int(seq.Add(1)))
				mu.Lock()
				posts = append(posts, c)
				mu.Unlock()
				id, status, err := postArticle(client, p.base, c.body)
				if killed.Load() && status != http.StatusCreated {
					return // cut off by the kill: neither acknowledged nor refused
				}
				if err != nil || status != http.StatusCreated {
					t.Errorf("round %d: POST %s before the kill: status %d, %v", round, c.marker, status, err)
					return
				}
				mu.Lock()
				c.id = id
				mu.Unlock()
				acked <- struct{}{}
			}
		}()
	}
	deadline := time.After(30 * time.Second)
	for got := 0; got < n; {
		select {
		case <-acked:
			got++
		case <-deadline:
			killed.Store(true)
			p.cmd.Process.Kill()
			wg.Wait()
			t.Fatalf("round %d: only %d of %d posts acknowledged within 30s:\n%s", round, got, n, clip(p.stderr.String()))
		}
	}
	killed.Store(true)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("round %d: SIGKILL: %v", round, err)
	}
	<-p.done
	wg.Wait()
	return posts
}

// postArticle posts body as text/plain with the write token and returns
// the id of a 201 answer.
func postArticle(client *http.Client, base, body string) (int64, int, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/api/articles", strings.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+serveToken)
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusCreated {
		return 0, resp.StatusCode, fmt.Errorf("%s", clip(string(data)))
	}
	var posted struct {
		Article struct {
			ID int64 `json:"id"`
		} `json:"article"`
	}
	if err := json.Unmarshal(data, &posted); err != nil || posted.Article.ID <= 0 {
		return 0, resp.StatusCode, fmt.Errorf("no article id in the 201 answer %s (%v)", clip(string(data)), err)
	}
	return posted.Article.ID, resp.StatusCode, nil
}

// storedArticle is an article the restarted server serves.
type storedArticle struct {
	id             int64
	hash, body     string
	events, places int
}

// checkAcknowledged reads every stored article through the API: each
// acknowledged post must be there under its id with its marker, and
// each stored article must be one the test posted. It returns the stored
// articles by marker.
func checkAcknowledged(t *testing.T, base string, posts []*crashPost) map[string]storedArticle {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	var list struct {
		Count    int `json:"count"`
		Articles []struct {
			ID     int64  `json:"id"`
			Hash   string `json:"hash"`
			Events int    `json:"events"`
			Places int    `json:"places"`
		} `json:"articles"`
	}
	getJSON(t, client, base+"/api/articles", &list)
	if list.Count != len(list.Articles) {
		t.Errorf("/api/articles: count %d, but %d articles listed", list.Count, len(list.Articles))
	}
	byMarker := map[string]*crashPost{}
	for _, c := range posts {
		byMarker[c.marker] = c
	}
	stored := map[string]storedArticle{}
	for _, a := range list.Articles {
		var d struct {
			Text string `json:"text"`
		}
		getJSON(t, client, fmt.Sprintf("%s/api/articles/%d", base, a.ID), &d)
		marker := crashMarker(d.Text)
		c, ok := byMarker[marker]
		if !ok {
			t.Errorf("article %d was never posted (marker %q): %.200s", a.ID, marker, d.Text)
			continue
		}
		if c.id != 0 && c.id != a.ID {
			t.Errorf("%s was acknowledged as article %d but is stored as %d", marker, c.id, a.ID)
		}
		if _, dup := stored[marker]; dup {
			t.Errorf("%s is stored twice", marker)
		}
		stored[marker] = storedArticle{id: a.ID, hash: a.Hash, body: c.body, events: a.Events, places: a.Places}
	}
	for _, c := range posts {
		if c.id == 0 {
			continue
		}
		if _, ok := stored[c.marker]; !ok {
			t.Errorf("%s was acknowledged with 201 as article %d but is gone after the crash", c.marker, c.id)
		}
	}
	return stored
}

// crashMarker finds the marker in an article's text.
func crashMarker(text string) string {
	i := strings.Index(text, "crashmark")
	if i < 0 {
		return ""
	}
	j := i
	for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= '0' && text[j] <= '9') {
		j++
	}
	return text[i:j]
}

// articleRows counts what the store holds of one article.
type articleRows struct{ mentions, places, estimates, events, claims int }

// checkWhole compares the rows of every stored article, read from the
// database file after the server stopped, with those of a clean ingest of
// the same texts into a new database: a half-stored article has fewer.
func checkWhole(t *testing.T, bin string, env []string, dir, db string, stored map[string]storedArticle) {
	t.Helper()
	if len(stored) == 0 {
		t.Fatal("no article survived the crashes")
	}
	refDir := filepath.Join(dir, "reference")
	if err := os.Mkdir(refDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for marker, a := range stored {
		if err := os.WriteFile(filepath.Join(refDir, marker+".txt"), []byte(a.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	refDB := filepath.Join(dir, "reference.db")
	runBinary(t, bin, env, importArgs(refDB)...)
	runBinary(t, bin, env, "ingest", "--db", refDB, refDir)

	got, want := readRows(t, db), readRows(t, refDB)
	if len(got) != len(stored) {
		t.Errorf("the database holds %d articles, the API listed %d", len(got), len(stored))
	}
	for marker, a := range stored {
		g, ok := got[a.hash]
		if !ok {
			t.Errorf("%s (article %d): not in the database file", marker, a.id)
			continue
		}
		w, ok := want[a.hash]
		switch {
		case !ok:
			t.Errorf("%s: the clean ingest stored it under another hash", marker)
		case g != w:
			t.Errorf("%s (article %d) is not whole: %+v, a clean ingest stores %+v", marker, a.id, g, w)
		case g.mentions == 0 || g.estimates == 0 || g.events == 0 || g.claims == 0:
			t.Errorf("%s (article %d): %+v: the test's article should give every kind of row", marker, a.id, g)
		case a.events != g.events || a.places != g.places:
			t.Errorf("%s (article %d): /api/articles says %d events and %d places, the database %d and %d",
				marker, a.id, a.events, a.places, g.events, g.places)
		}
	}
	checkLinks(t, db)
}

// openReadOnly opens a database file that no server is using.
func openReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// readRows counts the rows of every article, by the hash of its text.
func readRows(t *testing.T, path string) map[string]articleRows {
	t.Helper()
	db := openReadOnly(t, path)
	rows, err := db.QueryContext(t.Context(), `SELECT a.hash,
		(SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id),
		(SELECT COUNT(DISTINCT place_id) FROM mentions m WHERE m.article_id = a.id),
		(SELECT COUNT(*) FROM estimates e WHERE e.article_id = a.id),
		(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id),
		(SELECT COUNT(*) FROM control_claims c WHERE c.article_id = a.id)
		FROM articles a`)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer rows.Close()
	out := map[string]articleRows{}
	for rows.Next() {
		var h string
		var r articleRows
		if err := rows.Scan(&h, &r.mentions, &r.places, &r.estimates, &r.events, &r.claims); err != nil {
			t.Fatal(err)
		}
		out[h] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkLinks checks what ties the articles together: every event belongs
// to a fused event, no fused event names a missing event, no row names a
// missing article, and the store version counts one bump per article (the
// test never deletes).
func checkLinks(t *testing.T, path string) {
	t.Helper()
	db := openReadOnly(t, path)
	checks := []struct {
		name, query string
	}{
		{"events in no fused event", `SELECT COUNT(*) FROM events e WHERE NOT EXISTS
			(SELECT 1 FROM fused_members m JOIN fused_events f ON f.id = m.fused_id WHERE m.event_id = e.id)`},
		{"fused members naming a missing event", `SELECT COUNT(*) FROM fused_members m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)`},
		{"fused members of a missing fused event", `SELECT COUNT(*) FROM fused_members m WHERE NOT EXISTS (SELECT 1 FROM fused_events f WHERE f.id = m.fused_id)`},
		{"rows naming a missing article", `SELECT (SELECT COUNT(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)) +
			(SELECT COUNT(*) FROM estimates WHERE article_id NOT IN (SELECT id FROM articles)) +
			(SELECT COUNT(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)) +
			(SELECT COUNT(*) FROM control_claims WHERE article_id NOT IN (SELECT id FROM articles))`},
		{"store version minus article count", `SELECT (SELECT version FROM store_version WHERE id = 1) - (SELECT COUNT(*) FROM articles)`},
	}
	for _, c := range checks {
		var n int
		if err := db.QueryRowContext(t.Context(), c.query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n != 0 {
			t.Errorf("after the crashes: %d %s", n, c.name)
		}
	}
}
