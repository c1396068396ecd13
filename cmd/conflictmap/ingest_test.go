package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/store"
)

// copyFixture copies the shared fixture gazetteer into a database the test
// may write to, as ingest does.
func copyFixture(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "conflictmap.db")
	copyDB(t, fixtureDB(t), dst)
	return dst
}

// copyDB copies a SQLite database no connection has open, with its
// write-ahead log if one was left behind.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// articlesDir is the folder of the committed test articles.
func articlesDir() string { return filepath.Dir(articlePath("libya-01.txt")) }

// committedArticles are the base names of the committed articles, in the
// order ingest takes a folder's files.
func committedArticles(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(articlesDir(), "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test articles: %v", err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	slices.Sort(names)
	return names
}

// ingestOK runs ingest and fails the test unless it succeeds quietly on
// stdout.
func ingestOK(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	res := run(t, vars, nil, append([]string{"ingest"}, args...)...)
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("ingest %v failed:\n%v", args, res)
	}
	return res
}

// eventsOut runs `events` with args and returns its stdout.
func eventsOut(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	res := run(t, vars, nil, append([]string{"events"}, args...)...)
	if res.code != 0 || res.stderr != "" {
		t.Fatalf("events %v failed:\n%v", args, res)
	}
	return res.stdout
}

// openStoreDB opens the database behind the command line, for what the
// commands do not print (article and row counts).
func openStoreDB(t *testing.T, path string) *store.Store {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := store.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func articleCount(t *testing.T, path string) int {
	t.Helper()
	n, err := openStoreDB(t, path).ArticleCount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// eventsPerArticle counts the stored (unfused) events of each article id.
func eventsPerArticle(t *testing.T, path string) map[int64]int {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT a.id, COUNT(e.id) FROM articles a LEFT JOIN events e ON e.article_id = a.id GROUP BY a.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

// progress is one "[i/n] name: article N, state" line of ingest.
type progress struct {
	i, n  int
	name  string
	id    int64
	state string
}

var progressRe = regexp.MustCompile(`^\[(\d+)/(\d+)\] (\S+): article (\d+), (.+)$`)

func parseProgress(t *testing.T, stderr string) []progress {
	t.Helper()
	var out []progress
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		m := progressRe.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("stderr line %q is not \"[i/n] name: article N, ...\"", l)
		}
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		id, _ := strconv.ParseInt(m[4], 10, 64)
		out = append(out, progress{i, n, m[3], id, m[5]})
	}
	return out
}

var eventsState = regexp.MustCompile(`^(\d+) events$`)

func TestIngestFolder(t *testing.T) {
	db := copyFixture(t)
	vars := newVars(t, db)
	names := committedArticles(t)
	if len(names) != 8 {
		t.Fatalf("%d committed articles, want the 8 of testdata/articles/README.md", len(names))
	}
	first := parseProgress(t, ingestOK(t, vars, articlesDir()).stderr)
	ids := map[string]int64{}
	seenIDs := map[int64]bool{}

	t.Run("a progress line per article", func(t *testing.T) {
		if len(first) != len(names) {
			t.Fatalf("%d progress lines, want %d", len(first), len(names))
		}
		stored := eventsPerArticle(t, db)
		for k, p := range first {
			if p.i != k+1 || p.n != len(names) || p.name != names[k] {
				t.Errorf("line %d is [%d/%d] %s, want [%d/%d] %s", k+1, p.i, p.n, p.name, k+1, len(names), names[k])
			}
			m := eventsState.FindStringSubmatch(p.state)
			if m == nil {
				t.Errorf("%s: state %q, want \"M events\"", p.name, p.state)
				continue
			}
			if n, _ := strconv.Atoi(m[1]); n != stored[p.id] {
				t.Errorf("%s: says %d events, article %d has %d stored", p.name, n, p.id, stored[p.id])
			}
			if _, dup := ids[p.name]; dup || seenIDs[p.id] {
				t.Errorf("%s: article id %d or name given twice", p.name, p.id)
			}
			ids[p.name], seenIDs[p.id] = p.id, true
		}
	})
	t.Run("every article is stored", func(t *testing.T) {
		if n := articleCount(t, db); n != len(names) {
			t.Errorf("%d articles stored, want %d", n, len(names))
		}
	})
	before := eventsOut(t, vars)
	t.Run("events cites every article", func(t *testing.T) {
		cited := map[string]bool{}
		for _, f := range decodeFusedCollection(t, before) {
			for _, s := range f.sources {
				cited[s.article] = true
			}
		}
		for _, n := range names {
			if key := fmt.Sprintf("%d:%s", ids[n], n); !cited[key] {
				t.Errorf("no fused event has a source in %s", key)
			}
		}
	})
	t.Run("again changes nothing", func(t *testing.T) {
		again := parseProgress(t, ingestOK(t, vars, articlesDir()).stderr)
		if len(again) != len(first) {
			t.Fatalf("%d progress lines, want %d", len(again), len(first))
		}
		for k, p := range again {
			if p.name != first[k].name || p.id != first[k].id || p.state != "already stored, unchanged" {
				t.Errorf("line %d: %s article %d %q, want %s article %d \"already stored, unchanged\"",
					k+1, p.name, p.id, p.state, first[k].name, first[k].id)
			}
		}
		if n := articleCount(t, db); n != len(names) {
			t.Errorf("%d articles stored, want %d", n, len(names))
		}
		if after := eventsOut(t, vars); after != before {
			t.Errorf("events output changed:\n%s", firstDiff(before, after))
		}
	})
}

// fusedFeature is one decoded feature of `events`.
type fusedFeature struct {
	id       string
	lon, lat float64
	props    map[string]any
	sources  []fusedSource
}

type fusedSource struct {
	article string // "<article id>:<file name>"
	props   map[string]any
}

// decodeFusedCollection checks that out is the RFC 7946 FeatureCollection
// of fused events that `events` prints, and returns its features.
func decodeFusedCollection(t *testing.T, out string) []fusedFeature {
	t.Helper()
	var top struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatalf("events output is not JSON: %v\n%s", err, clip(out))
	}
	if top.Type != "FeatureCollection" || top.Features == nil {
		t.Fatalf("type %q with features %v, want a FeatureCollection with a features array", top.Type, top.Features)
	}
	feats := make([]fusedFeature, 0, len(top.Features))
	for i, raw := range top.Features {
		feats = append(feats, decodeFused(t, i, raw))
	}
	return feats
}

func decodeFused(t *testing.T, i int, raw json.RawMessage) fusedFeature {
	t.Helper()
	var f struct {
		Type     string          `json:"type"`
		ID       string          `json:"id"`
		Geometry json.RawMessage `json:"geometry"`
		Props    json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("feature %d: %v", i, err)
	}
	if f.Type != "Feature" || !strings.HasPrefix(f.ID, "ev-") {
		t.Errorf("feature %d: type %q id %q, want a Feature with an ev-... id", i, f.Type, f.ID)
	}
	c, props := decodePointFeature(t, i, f.Geometry, f.Props)
	ff := fusedFeature{id: f.ID, lon: c[0], lat: c[1], props: props}
	checkFused(t, i, ff)
	srcs, _ := props["sources"].([]any)
	for _, s := range srcs {
		m, _ := s.(map[string]any)
		a, _ := m["article"].(string)
		ff.sources = append(ff.sources, fusedSource{a, m})
	}
	return ff
}

// checkFused checks the properties of a fused event feature.
func checkFused(t *testing.T, i int, f fusedFeature) {
	t.Helper()
	p := f.props
	if p["kind"] != "event" {
		t.Errorf("feature %d: kind = %v, want event", i, p["kind"])
	}
	if p["id"] != f.id {
		t.Errorf("feature %d: properties.id = %v, feature id %s", i, p["id"], f.id)
	}
	et, _ := p["event_type"].(string)
	st, _ := p["sub_event_type"].(string)
	if !slices.Contains(acledTypes[et], st) {
		t.Errorf("feature %d: %q / %q is not an ACLED type and sub-type", i, et, st)
	}
	if d, _ := p["date"].(string); !dateRe.MatchString(d) {
		t.Errorf("feature %d: date = %v, want YYYY-MM-DD", i, p["date"])
	}
	for _, k := range []string{"num_sources", "num_articles"} {
		if !isInt(p[k]) || intOf(p[k]) < 1 {
			t.Errorf("feature %d: %s = %v, want an integer >= 1", i, k, p[k])
		}
	}
	sources, ok := p["sources"].([]any)
	if !ok || int64(len(sources)) < intOf(p["num_articles"]) {
		t.Errorf("feature %d: sources = %v, want an array with at least one source per article (num_articles %v)", i, p["sources"], p["num_articles"])
	}
	arts := map[string]bool{}
	for _, s := range sources {
		m, _ := s.(map[string]any)
		a, _ := m["article"].(string)
		arts[a] = true
		if sents, _ := m["sentences"].([]any); len(sents) == 0 {
			t.Errorf("feature %d: source in %q has no sentences (provenance)", i, a)
		}
	}
	if int64(len(arts)) != intOf(p["num_articles"]) {
		t.Errorf("feature %d: sources from %d articles, num_articles = %v", i, len(arts), p["num_articles"])
	}
	if _, ok := p["contradictions"].([]any); !ok {
		t.Errorf("feature %d: contradictions = %v, want an array, never null", i, p["contradictions"])
	}
	loc, _ := p["location"].(map[string]any)
	lat, ok1 := floatOf(loc["lat"])
	lon, ok2 := floatOf(loc["lon"])
	if !ok1 || !ok2 || math.Abs(lat-f.lat) > 1e-6 || math.Abs(lon-f.lon) > 1e-6 {
		t.Errorf("feature %d: point [%v, %v], location %v", i, f.lon, f.lat, loc)
	}
	if gp := p["geo_precision"]; !isInt(gp) || intOf(gp) < 1 || intOf(gp) > 3 {
		t.Errorf("feature %d: geo_precision = %v, want 1, 2 or 3", i, gp)
	}
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ingested returns a database holding the named committed articles, and
// the environment that uses it.
func ingested(t *testing.T, names ...string) (string, map[string]string) {
	t.Helper()
	db := copyFixture(t)
	vars := newVars(t, db)
	var args []string
	for _, n := range names {
		args = append(args, articlePath(n))
	}
	ingestOK(t, vars, args...)
	return db, vars
}

func TestEventsGeoJSON(t *testing.T) {
	_, vars := ingested(t, committedArticles(t)...)
	feats := decodeFusedCollection(t, eventsOut(t, vars))
	if len(feats) == 0 {
		t.Fatal("no fused events")
	}
	t.Run("same as --format geojson", func(t *testing.T) {
		if got := eventsOut(t, vars, "--format", "geojson"); got != eventsOut(t, vars) {
			t.Errorf("--format geojson differs from the default:\n%s", firstDiff(eventsOut(t, vars), got))
		}
	})
	t.Run("by date", func(t *testing.T) {
		for i := 1; i < len(feats); i++ {
			if a, b := feats[i-1].props["date"].(string), feats[i].props["date"].(string); b < a {
				t.Errorf("feature %d dated %s comes after one dated %s", i, b, a)
			}
		}
	})
	t.Run("sentences are spans of the articles", func(t *testing.T) {
		for i, f := range feats {
			for _, s := range f.sources {
				_, name, _ := strings.Cut(s.article, ":")
				input := readFile(t, articlePath(name))
				sents, _ := s.props["sentences"].([]any)
				for _, x := range sents {
					m, _ := x.(map[string]any)
					text, _ := m["text"].(string)
					checkSpan(t, i, input, text, m["start"], m["end"])
				}
			}
		}
	})
}

// acledHeader is ACLED's column names, in the order `events --format csv`
// writes them.
var acledHeader = []string{"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
	"latitude", "longitude", "geo_precision", "time_precision", "source", "notes", "fatalities"}

func readCSV(t *testing.T, out string) (header []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV (every row must have as many fields as the header): %v\n%s", err, clip(out))
	}
	if len(recs) == 0 {
		t.Fatal("no CSV header")
	}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for j, v := range r {
			row[recs[0][j]] = v
		}
		rows = append(rows, row)
	}
	return recs[0], rows
}

func TestEventsCSV(t *testing.T) {
	_, vars := ingested(t, committedArticles(t)...)
	header, rows := readCSV(t, eventsOut(t, vars, "--format", "csv"))
	feats := decodeFusedCollection(t, eventsOut(t, vars))
	byID := map[string]fusedFeature{}
	for _, f := range feats {
		byID[f.id] = f
	}
	t.Run("header is ACLED's", func(t *testing.T) {
		if !slices.Equal(header, acledHeader) {
			t.Errorf("header = %v\nwant %v", header, acledHeader)
		}
	})
	t.Run("a row per fused event", func(t *testing.T) {
		if len(rows) != len(feats) {
			t.Errorf("%d rows, %d fused events", len(rows), len(feats))
		}
		seen := map[string]bool{}
		for _, r := range rows {
			id := r["event_id_cnty"]
			if _, ok := byID[id]; !ok || seen[id] {
				t.Errorf("row %q is not one fused event of the GeoJSON output, or comes twice", id)
			}
			seen[id] = true
		}
	})
	for _, r := range rows {
		t.Run(r["event_id_cnty"], func(t *testing.T) {
			f := byID[r["event_id_cnty"]]
			if d := r["event_date"]; !dateRe.MatchString(d) {
				t.Errorf("event_date = %q, want YYYY-MM-DD", d)
			} else if _, err := time.Parse("2006-01-02", d); err != nil || d != f.props["date"] {
				t.Errorf("event_date = %q (%v), GeoJSON date %v", d, err, f.props["date"])
			}
			for _, c := range []struct {
				col  string
				want float64
			}{{"latitude", f.lat}, {"longitude", f.lon}} {
				v, err := strconv.ParseFloat(r[c.col], 64)
				if err != nil || math.IsNaN(v) || math.Abs(v-c.want) > 1e-6 {
					t.Errorf("%s = %q, want the number %v", c.col, r[c.col], c.want)
				}
			}
			fat, err := strconv.Atoi(r["fatalities"])
			if err != nil || fat < 0 || strconv.Itoa(fat) != r["fatalities"] {
				t.Errorf("fatalities = %q, want an integer >= 0", r["fatalities"])
			} else if want := f.props["fatalities"]; want != nil && intOf(want) != int64(fat) {
				t.Errorf("fatalities = %d, GeoJSON says %v", fat, want)
			}
			for _, col := range []string{"geo_precision", "time_precision"} {
				if n, err := strconv.Atoi(r[col]); err != nil || n < 1 || n > 3 {
					t.Errorf("%s = %q, want 1, 2 or 3", col, r[col])
				}
			}
			for _, col := range []string{"event_type", "sub_event_type", "location", "source", "notes"} {
				if r[col] == "" {
					t.Errorf("%s is empty", col)
				}
			}
			if r["sub_event_type"] != f.props["sub_event_type"] {
				t.Errorf("sub_event_type = %q, GeoJSON says %v", r["sub_event_type"], f.props["sub_event_type"])
			}
		})
	}
}

// TestEventsCSVGolden compares the ACLED table of the three Libya
// articles with a reviewed copy. Regenerate it with
//
//	go test ./cmd/conflictmap -run TestEventsCSVGolden -update
func TestEventsCSVGolden(t *testing.T) {
	tests := []struct {
		name     string
		articles []string
		golden   string
	}{
		{"libya", []string{"libya-01.txt", "libya-02.txt", "libya-03.txt"}, "libya-events.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, vars := ingested(t, tt.articles...)
			got := eventsOut(t, vars, "--format", "csv")
			golden := filepath.Join("testdata", "golden", tt.golden)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", golden)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (rerun with -update if the change is intended):\n%s", golden, firstDiff(string(want), got))
			}
		})
	}
}

func TestEventsEmptyStore(t *testing.T) {
	vars := newVars(t, copyFixture(t)) // the gazetteer, no articles
	tests := []struct {
		name   string
		format string
		want   string
	}{
		{"geojson", "geojson", "{\n \"type\": \"FeatureCollection\",\n \"features\": []\n}\n"},
		{"csv header only", "csv", strings.Join(acledHeader, ",") + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := eventsOut(t, vars, "--format", tt.format); got != tt.want {
				t.Errorf("events --format %s = %q, want %q", tt.format, got, tt.want)
			}
		})
	}
}

// TestIngestRejectsBadInput: a command line with a bad input stores
// nothing, says what is wrong on one line and exits non-zero.
func TestIngestRejectsBadInput(t *testing.T) {
	// one stored article, so that "nothing changed" is not trivially true
	base, _ := ingested(t, "libya-02.txt")
	tests := []struct {
		name  string
		files map[string]string // written into a temporary folder first
		dirs  []string
		args  []string // relative names are resolved in the folder
		// noDB: run against a database path that does not exist
		noDB     bool
		wantCode int
		wantErr  string
	}{
		{name: "no arguments", args: []string{"ingest"}, wantCode: 2, wantErr: "ingest needs FILE or DIR arguments"},
		{name: "missing file", args: []string{"ingest", "missing.txt"}, wantCode: 1, wantErr: "missing.txt: no such file or directory"},
		{name: "good file then a missing one", files: map[string]string{"good.txt": "date 2019-04-06\nFighting near Sirte."},
			args: []string{"ingest", "good.txt", "missing.txt"}, wantCode: 1, wantErr: "missing.txt: no such file or directory"},
		{name: "empty folder", dirs: []string{"empty.d"},
			args: []string{"ingest", "empty.d"}, wantCode: 1, wantErr: "empty.d: no .txt articles in this folder"},
		{name: "folder without .txt files", files: map[string]string{"notes.d/readme.md": "Fighting near Sirte."},
			args: []string{"ingest", "notes.d"}, wantCode: 1, wantErr: "notes.d: no .txt articles in this folder"},
		{name: "empty file inside a folder",
			files: map[string]string{"in/a.txt": "date 2019-04-06\nFighting near Sirte.", "in/b.txt": "", "in/c.txt": "date 2019-04-06\nClashes in Derna."},
			args:  []string{"ingest", "in"}, wantCode: 1, wantErr: "b.txt: article: empty text"},
		{name: "binary file inside a folder",
			files: map[string]string{"in/a.txt": "date 2019-04-06\nFighting near Sirte.", "in/z.txt": "PK\x03\x04\x00\x00 Tripoli"},
			args:  []string{"ingest", "in"}, wantCode: 1, wantErr: "z.txt: article: binary data"},
		{name: "invalid date header inside a folder",
			files: map[string]string{"in/a.txt": "date 2019-04-06\nFighting near Sirte.", "in/b.txt": "date 2019-02-30\nClashes in Derna."},
			args:  []string{"ingest", "in"}, wantCode: 1, wantErr: `b.txt: header: article: invalid date, want YYYY-MM-DD: "2019-02-30"`},
		{name: "--date nope", files: map[string]string{"good.txt": "Fighting near Sirte."},
			args: []string{"ingest", "--date", "nope", "good.txt"}, wantCode: 2, wantErr: `--date: article: invalid date, want YYYY-MM-DD: "nope"`},
		{name: "unknown flag", files: map[string]string{"good.txt": "Fighting near Sirte."},
			args: []string{"ingest", "--bogus", "good.txt"}, wantCode: 2, wantErr: "flag provided but not defined: -bogus"},
		{name: "missing actors file", files: map[string]string{"good.txt": "date 2019-04-06\nFighting near Sirte."},
			args: []string{"ingest", "--actors", "nope.json", "good.txt"}, wantCode: 1, wantErr: "actors file: no such file or directory"},
		{name: "no gazetteer", noDB: true, files: map[string]string{"good.txt": "date 2019-04-06\nFighting near Sirte."},
			args: []string{"ingest", "good.txt"}, wantCode: 1, wantErr: "bundled data is missing"},
		{name: "events --format xml", args: []string{"events", "--format", "xml"}, wantCode: 2, wantErr: `--format must be geojson or csv, got "xml"`},
		{name: "events with an unknown flag", args: []string{"events", "--bogus"}, wantCode: 2, wantErr: "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "conflictmap.db")
			copyDB(t, base, db)
			vars := newVars(t, db)
			want := eventsOut(t, vars)
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, d := range tt.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			runVars := vars
			if tt.noDB {
				runVars = newVars(t, filepath.Join(t.TempDir(), "none", "conflictmap.db"))
			}
			checkOneLineError(t, run(t, runVars, nil, tt.args...), tt.wantCode, tt.wantErr)
			if tt.noDB {
				if _, err := os.Stat(runVars["CONFLICTMAP_DB"]); err == nil {
					t.Errorf("a failed ingest left a database at %s", runVars["CONFLICTMAP_DB"])
				}
			}
			if n := articleCount(t, db); n != 1 {
				t.Errorf("%d articles stored, want the 1 stored before", n)
			}
			if got := eventsOut(t, vars); got != want {
				t.Errorf("events output changed:\n%s", firstDiff(want, got))
			}
		})
	}
}

// TestIngestStopsAtAStoreFailure: when storing one article of several
// fails, ingest stops there with the error on its last stderr line. Each
// article is its own transaction: those before it stay stored, and
// running the same command again resumes where it stopped.
func TestIngestStopsAtAStoreFailure(t *testing.T) {
	db := copyFixture(t)
	vars := newVars(t, db)
	names := []string{"libya-01.txt", "libya-02.txt", "libya-03.txt"}
	var args []string
	for _, n := range names {
		args = append(args, articlePath(n))
	}
	fault := func(q string) {
		t.Helper()
		sdb, err := sqlitedb.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer sdb.Close()
		if _, err := store.New(t.Context(), sdb); err != nil {
			t.Fatal(err)
		}
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	fault(`CREATE TRIGGER fail BEFORE INSERT ON articles WHEN NEW.name = 'libya-02.txt'
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)

	res := run(t, vars, nil, append([]string{"ingest"}, args...)...)
	lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
	if res.code != 1 || res.stdout != "" || len(lines) != 2 {
		t.Fatalf("want exit 1, one progress line and the error:\n%v", res)
	}
	if !strings.HasPrefix(lines[1], "conflictmap: ingest libya-02.txt: ") || !strings.Contains(lines[1], "injected failure") {
		t.Errorf("last stderr line = %q, want the error naming libya-02.txt", lines[1])
	}
	if n := articleCount(t, db); n != 1 {
		t.Errorf("%d articles stored, want libya-01.txt only", n)
	}

	fault(`DROP TRIGGER fail`)
	again := parseProgress(t, ingestOK(t, vars, args...).stderr)
	var states []string
	for _, p := range again {
		states = append(states, p.name+": "+p.state)
	}
	if len(again) != 3 || again[0].state != "already stored, unchanged" ||
		!eventsState.MatchString(again[1].state) || !eventsState.MatchString(again[2].state) {
		t.Errorf("second run: %q, want libya-01.txt unchanged and the others stored", states)
	}
	if n := articleCount(t, db); n != 3 {
		t.Errorf("%d articles stored, want 3", n)
	}
}

// TestIngestSameNameDifferentText: articles are keyed by their text, so
// two files of the same name in different folders are two articles.
func TestIngestSameNameDifferentText(t *testing.T) {
	_, vars := ingested(t, "libya-02.txt")
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a/x.txt": "date 2019-04-06\nFighting broke out near Sirte in Libya.",
		"b/x.txt": "date 2019-04-06\nFighting broke out near Sirte in Libya on Saturday.",
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := run(t, vars, nil, "ingest", filepath.Join(dir, "a"), filepath.Join(dir, "b"))
	if res.code != 0 {
		t.Fatalf("ingest failed:\n%v", res)
	}
	if n := strings.Count(res.stderr, "x.txt: article"); n != 2 {
		t.Errorf("%d progress lines, want 2:\n%s", n, res.stderr)
	}
}
