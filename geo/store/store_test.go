package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/geodesic"
	"github.com/conflictmap/conflictmap/geo/store"
)

// The three committed reports of Haftar's April 2019 offensive.
var libya = []string{"libya-01.txt", "libya-02.txt", "libya-03.txt"}

// point is a place the fused events are checked against.
type point struct{ lat, lon float64 }

var (
	gharyan  = point{32.17222, 13.02028}
	benghazi = point{32.11486, 20.06859}
)

// nearKm: a fused event counts as "at" a place within this distance, the
// fusion radius.
const nearKm = 25.0

// harness is a store in a real SQLite file with the real article pipeline
// in front of it: the fixture gazetteer, the geoparser and the extractor.
type harness struct {
	path   string
	db     *sql.DB
	st     *store.Store
	parser *geoparse.Parser
	x      *events.Extractor
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	ix := gazettest.Index(t)
	parser, err := geoparse.New(ix)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{path: filepath.Join(t.TempDir(), "conflictmap.db"), parser: parser,
		x: events.NewExtractor(events.DefaultActors(), ix)}
	h.open(t)
	return h
}

// open (re)opens the database file and the store in it.
func (h *harness) open(t testing.TB) {
	t.Helper()
	db, err := sqlitedb.Open(h.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := store.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	h.db, h.st = db, st
}

// readArticle reads a committed test article. Every one has a date header;
// an article without one would get today's date from the extractor and
// make the test depend on the day it runs.
func readArticle(t testing.TB, name string) article.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse(data, name)
	if err != nil {
		t.Fatal(err)
	}
	if !a.HasDate() {
		t.Fatalf("%s has no date header", name)
	}
	a.Source = name
	return a
}

// ingest runs an article through the pipeline into the store.
func (h *harness) ingest(ctx context.Context, a article.Article) (store.Ingested, error) {
	res := h.parser.Parse(a.Text)
	return h.st.Ingest(ctx, a, res, h.x.Extract(a, res))
}

// ingestAll ingests the named articles in order and returns their ids.
func (h *harness) ingestAll(t testing.TB, names ...string) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, n := range names {
		got, err := h.ingest(t.Context(), readArticle(t, n))
		if err != nil {
			t.Fatalf("ingest %s: %v", n, err)
		}
		if got.Existing {
			t.Fatalf("ingest %s: Existing on first ingest", n)
		}
		ids[n] = got.ID
	}
	return ids
}

func (h *harness) fused(t *testing.T) []store.FusedRecord {
	t.Helper()
	fs, err := h.st.FusedEvents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func (h *harness) articleCount(t *testing.T) int {
	t.Helper()
	n, err := h.st.ArticleCount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot dumps the row count of every table and the stored fused
// events, so that "nothing changed" can be checked as one comparison.
func snapshot(t *testing.T, db *sql.DB) string {
	t.Helper()
	ctx := context.Background() // also used after a test cancelled its own context
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) == 0 {
		t.Fatal("no tables")
	}
	var b strings.Builder
	for _, tb := range tables {
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM %q`, tb)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s\t%d\n", tb, n)
	}
	st, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := st.FusedEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		b.Write(f.Raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// near returns the fused events of a sub-type within nearKm of p.
func near(fs []store.FusedRecord, subType string, p point) []store.FusedRecord {
	var out []store.FusedRecord
	for _, f := range fs {
		if f.SubEventType == subType && distKm(f.Location.Lat, f.Location.Lon, p) <= nearKm {
			out = append(out, f)
		}
	}
	return out
}

func distKm(lat, lon float64, p point) float64 {
	return geodesic.Distance(lat, lon, p.lat, p.lon) / 1000
}

// sourceArticles returns the article file names of a fused event's
// sources, sorted and without duplicates. The store names articles
// "<id>:<file name>".
func sourceArticles(t *testing.T, f store.FusedRecord) []string {
	t.Helper()
	var out []string
	for _, raw := range f.Sources {
		var e events.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatalf("source of %s: %v", f.ID, err)
		}
		name := e.Article
		if i := strings.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// contradiction returns the contradiction on field, if any.
func contradiction(f store.FusedRecord, field string) (events.Contradiction, bool) {
	for _, c := range f.Contradictions {
		if c.Field == field {
			return c, true
		}
	}
	return events.Contradiction{}, false
}

func claimValues(c events.Contradiction) []string {
	var out []string
	for _, cl := range c.Claims {
		out = append(out, fmt.Sprint(cl.Value))
	}
	sort.Strings(out)
	return out
}

// signature describes the fused events without their ids, which depend on
// the order articles were stored in.
func signature(t *testing.T, fs []store.FusedRecord) []string {
	t.Helper()
	var out []string
	for _, f := range fs {
		var contr []string
		for _, c := range f.Contradictions {
			contr = append(contr, c.Field+"="+strings.Join(claimValues(c), ","))
		}
		sort.Strings(contr)
		out = append(out, fmt.Sprintf("%s %s %.5f,%.5f articles=%v contradictions=%v",
			f.Date, f.SubEventType, f.Location.Lat, f.Location.Lon, sourceArticles(t, f), contr))
	}
	sort.Strings(out)
	return out
}

func TestIngestIsIdempotent(t *testing.T) {
	h := newHarness(t)
	ids := h.ingestAll(t, libya...)
	if n := h.articleCount(t); n != len(libya) {
		t.Fatalf("article count = %d, want %d", n, len(libya))
	}
	if len(h.fused(t)) == 0 {
		t.Fatal("no fused events from the three Libya articles")
	}
	before := snapshot(t, h.db)

	renamed := readArticle(t, "libya-02.txt")
	renamed.Name = "copy-of-libya-02.txt"
	otherSource := readArticle(t, "libya-03.txt")
	otherSource.Source = "another agency"
	redated := readArticle(t, "libya-01.txt")
	redated.Date = time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		art    article.Article
		wantID int64
	}{
		{"same article again", readArticle(t, "libya-01.txt"), ids["libya-01.txt"]},
		{"same text under another name", renamed, ids["libya-02.txt"]},
		{"same text from another source", otherSource, ids["libya-03.txt"]},
		// the text identifies an article: another date given for the
		// same text does not store it again
		{"same text with another date", redated, ids["libya-01.txt"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.ingest(t.Context(), tt.art)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Existing {
				t.Errorf("Existing = false, want true")
			}
			if got.ID != tt.wantID {
				t.Errorf("ID = %d, want the first ingest's %d", got.ID, tt.wantID)
			}
			if len(got.Events) != 0 {
				t.Errorf("got %d events, want none for an article already stored", len(got.Events))
			}
			if after := snapshot(t, h.db); after != before {
				t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", clip(before), clip(after))
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "...(clipped)"
	}
	return s
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestFusedEventsRecords checks what FusedEvents returns for every fused
// event: the contract the events command and the server build on.
func TestFusedEventsRecords(t *testing.T) {
	h := newHarness(t)
	h.ingestAll(t, libya...)
	fs := h.fused(t)
	if len(fs) == 0 {
		t.Fatal("no fused events")
	}
	for i, f := range fs {
		t.Run(fmt.Sprintf("%d %s", i, f.ID), func(t *testing.T) {
			if !strings.HasPrefix(f.ID, "ev-") {
				t.Errorf("id = %q, want ev-...", f.ID)
			}
			if !dateRe.MatchString(f.Date) {
				t.Errorf("date = %q, want YYYY-MM-DD", f.Date)
			}
			if i > 0 && f.Date < fs[i-1].Date {
				t.Errorf("date %s comes after %s: not ordered by date", f.Date, fs[i-1].Date)
			}
			if f.NumArticles < 1 || f.NumSources < 1 || len(f.Sources) < f.NumArticles {
				t.Errorf("num_articles %d, num_sources %d, %d sources: want at least one of each and a source per article",
					f.NumArticles, f.NumSources, len(f.Sources))
			}
			if got := len(sourceArticles(t, f)); got != f.NumArticles {
				t.Errorf("sources come from %d articles, num_articles = %d", got, f.NumArticles)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(f.Raw, &raw); err != nil {
				t.Fatalf("raw JSON: %v", err)
			}
			for _, key := range []string{"contradictions", "sources"} {
				if v := strings.TrimSpace(string(raw[key])); v == "" || v[0] != '[' {
					t.Errorf("%s = %q, want an array, never null", key, v)
				}
			}
		})
	}
}

// TestFusedHappenings checks the happenings that two of the Libya articles
// both report, each in its own words.
func TestFusedHappenings(t *testing.T) {
	h := newHarness(t)
	h.ingestAll(t, libya...)
	fs := h.fused(t)
	tests := []struct {
		name    string
		subType string
		at      point
		// wantArticles report the happening; wantDates are the dates of
		// the "date" contradiction, none when the sources agree.
		wantArticles []string
		wantDate     string
		wantDates    []string
	}{
		{
			// libya-03: "On Thursday the LNA had stormed Gharyan, a town
			// roughly 60 miles south of Tripoli"; libya-01, two days
			// later: "On Friday its columns ... took control of a town
			// 95 kilometres south of the capital"
			name: "LNA captures Gharyan", subType: events.SubOvertakes, at: gharyan,
			wantArticles: []string{"libya-01.txt", "libya-03.txt"},
			wantDate:     "2019-04-04", wantDates: []string{"2019-04-04", "2019-04-05"},
		},
		{
			// libya-02: "The two men met in Benghazi"; libya-03:
			// "António Guterres sat down with Hifter on Friday in
			// Benghazi"
			name: "Guterres meets Haftar in Benghazi", subType: "Other", at: benghazi,
			wantArticles: []string{"libya-02.txt", "libya-03.txt"},
			wantDate:     "2019-04-05",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := near(fs, tt.subType, tt.at)
			if len(got) != 1 {
				t.Fatalf("%d fused %q events within %.0f km, want exactly one:\n%s",
					len(got), tt.subType, nearKm, strings.Join(signature(t, got), "\n"))
			}
			f := got[0]
			if f.NumArticles != len(tt.wantArticles) {
				t.Errorf("num_articles = %d, want %d", f.NumArticles, len(tt.wantArticles))
			}
			if arts := sourceArticles(t, f); !slices.Equal(arts, tt.wantArticles) {
				t.Errorf("reported by %v, want %v", arts, tt.wantArticles)
			}
			if f.Date != tt.wantDate {
				t.Errorf("date = %s, want %s", f.Date, tt.wantDate)
			}
			c, ok := contradiction(f, "date")
			switch {
			case tt.wantDates == nil && ok:
				t.Errorf("date contradiction %v, want none", claimValues(c))
			case tt.wantDates != nil && !ok:
				t.Errorf("no date contradiction, want one listing %v", tt.wantDates)
			case ok:
				if got := claimValues(c); !slices.Equal(got, tt.wantDates) {
					t.Errorf("date claims = %v, want %v", got, tt.wantDates)
				}
				if c.Used != tt.wantDate {
					t.Errorf("date used = %v, want %s", c.Used, tt.wantDate)
				}
			}
		})
	}
}

// TestFusionIgnoresIngestOrder: articles arrive in any order; the fused
// events must not depend on it (only their ids may).
func TestFusionIgnoresIngestOrder(t *testing.T) {
	want := signature(t, func() []store.FusedRecord {
		h := newHarness(t)
		h.ingestAll(t, libya...)
		return h.fused(t)
	}())
	tests := []struct {
		name  string
		order []string
	}{
		{"reversed", []string{"libya-03.txt", "libya-02.txt", "libya-01.txt"}},
		{"latest first", []string{"libya-01.txt", "libya-03.txt", "libya-02.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.ingestAll(t, tt.order...)
			if got := signature(t, h.fused(t)); !slices.Equal(got, want) {
				t.Errorf("fused events differ from ingesting %v:\n got %s\nwant %s", libya,
					strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
		})
	}
}

func TestDelete(t *testing.T) {
	h := newHarness(t)
	ids := h.ingestAll(t, libya...)
	// libya-01 reports the capture of Gharyan on Friday, libya-03 on
	// Thursday
	friday := ids["libya-01.txt"]
	if err := h.st.Delete(t.Context(), friday); err != nil {
		t.Fatalf("Delete(%d): %v", friday, err)
	}

	t.Run("article count", func(t *testing.T) {
		if n := h.articleCount(t); n != len(libya)-1 {
			t.Errorf("article count = %d, want %d", n, len(libya)-1)
		}
	})
	for _, table := range []string{"articles", "mentions", "estimates", "events"} {
		t.Run("no rows left in "+table, func(t *testing.T) {
			col := "article_id"
			if table == "articles" {
				col = "id"
			}
			var n int
			if err := h.db.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE %s = ?`, table, col), friday).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d rows of article %d left in %s", n, friday, table)
			}
		})
	}
	t.Run("no fused event cites it", func(t *testing.T) {
		for _, f := range h.fused(t) {
			if slices.Contains(sourceArticles(t, f), "libya-01.txt") {
				t.Errorf("fused event %s still has a source in libya-01.txt", f.ID)
			}
		}
	})
	t.Run("Gharyan capture has one source and no contradiction", func(t *testing.T) {
		got := near(h.fused(t), events.SubOvertakes, gharyan)
		if len(got) != 1 {
			t.Fatalf("%d fused captures near Gharyan, want one", len(got))
		}
		f := got[0]
		if f.NumArticles != 1 || f.NumSources != 1 || len(f.Sources) != 1 {
			t.Errorf("num_articles %d, num_sources %d, %d sources; want 1 each", f.NumArticles, f.NumSources, len(f.Sources))
		}
		if c, ok := contradiction(f, "date"); ok {
			t.Errorf("date contradiction %v survives the article that caused it", claimValues(c))
		}
		if f.Date != "2019-04-04" {
			t.Errorf("date = %s, want libya-03's Thursday 2019-04-04", f.Date)
		}
	})
	t.Run("same as never ingesting it", func(t *testing.T) {
		fresh := newHarness(t)
		fresh.ingestAll(t, "libya-02.txt", "libya-03.txt")
		want := signature(t, fresh.fused(t))
		if got := signature(t, h.fused(t)); !slices.Equal(got, want) {
			t.Errorf("fused events after Delete:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	})
}

func TestDeleteUnknown(t *testing.T) {
	h := newHarness(t)
	ids := h.ingestAll(t, "libya-01.txt", "libya-03.txt")
	gone := ids["libya-01.txt"]
	if err := h.st.Delete(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, h.db)
	tests := []struct {
		name string
		id   int64
	}{
		{"never stored", 9999},
		{"deleted already", gone},
		{"zero", 0},
		{"negative", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.st.Delete(t.Context(), tt.id)
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Delete(%d) = %v, want an error wrapping store.ErrNotFound", tt.id, err)
			}
			if after := snapshot(t, h.db); after != before {
				t.Errorf("a failed Delete changed the store:\nbefore:\n%s\nafter:\n%s", clip(before), clip(after))
			}
		})
	}
}

// TestIngestIsAtomic: an article whose ingest fails at any step leaves
// nothing behind, and can be ingested afterwards.
func TestIngestIsAtomic(t *testing.T) {
	tests := []struct {
		name string
		// fault breaks the store before the ingest and returns the
		// context to ingest with; the harness is reopened afterwards
		fault   func(t *testing.T, h *harness) context.Context
		wantErr error
	}{
		{
			name: "cancelled context",
			fault: func(t *testing.T, h *harness) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			wantErr: context.Canceled,
		},
		{
			name: "closed database",
			fault: func(t *testing.T, h *harness) context.Context {
				h.db.Close()
				return t.Context()
			},
		},
		{
			name:  "storing an event fails after the article row",
			fault: failOn("events"),
		},
		{
			name:  "storing the fused events fails last",
			fault: failOn("fused_events"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.ingestAll(t, "libya-01.txt")
			before := snapshot(t, h.db)
			a := readArticle(t, "libya-03.txt")

			ctx := tt.fault(t, h)
			if _, err := h.ingest(ctx, a); err == nil {
				t.Fatal("ingest succeeded, want an error")
			} else if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.wantErr)
			}

			h.db.Exec(`DROP TRIGGER IF EXISTS fail`)
			h.open(t)
			if after := snapshot(t, h.db); after != before {
				t.Errorf("a failed ingest changed the store:\nbefore:\n%s\nafter:\n%s", clip(before), clip(after))
			}
			got, err := h.ingest(t.Context(), a)
			if err != nil {
				t.Fatalf("ingest after the failure: %v", err)
			}
			if got.Existing {
				t.Error("the failed ingest left the article behind: Existing on retry")
			}
			if n := h.articleCount(t); n != 2 {
				t.Errorf("article count after retry = %d, want 2", n)
			}
		})
	}
}

// failOn makes every insert into table fail, through a trigger, so that
// an ingest fails part-way through its transaction.
func failOn(table string) func(t *testing.T, h *harness) context.Context {
	return func(t *testing.T, h *harness) context.Context {
		t.Helper()
		q := fmt.Sprintf(`CREATE TRIGGER fail BEFORE INSERT ON %s BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, table)
		if _, err := h.db.Exec(q); err != nil {
			t.Fatal(err)
		}
		return t.Context()
	}
}

func TestSchema(t *testing.T) {
	h := newHarness(t)
	h.ingestAll(t, libya...)
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"journal mode is WAL", `PRAGMA journal_mode`, "wal"},
		// Delete relies on ON DELETE CASCADE
		{"foreign keys are enforced", `PRAGMA foreign_keys`, "1"},
		{"store schema is the latest version", `SELECT MAX(version) FROM schema_migrations WHERE component = 'store'`, fmt.Sprint(store.SchemaVersion())},
		{"store has one migration row per version", `SELECT COUNT(*) FROM schema_migrations WHERE component = 'store'`, fmt.Sprint(store.SchemaVersion())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if err := h.db.QueryRow(tt.query).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

// TestReopen: what was stored survives closing the file, and preparing
// the store again is a no-op.
func TestReopen(t *testing.T) {
	h := newHarness(t)
	h.ingestAll(t, libya...)
	before := snapshot(t, h.db)
	tests := []struct {
		name   string
		reopen func(t *testing.T)
	}{
		{"New again on the same connection", func(t *testing.T) {
			st, err := store.New(t.Context(), h.db)
			if err != nil {
				t.Fatal(err)
			}
			h.st = st
		}},
		{"close and open the file", func(t *testing.T) {
			if err := h.db.Close(); err != nil {
				t.Fatal(err)
			}
			h.open(t)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.reopen(t)
			if after := snapshot(t, h.db); after != before {
				t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", clip(before), clip(after))
			}
			if v, err := sqlitedb.Version(t.Context(), h.db, "store"); err != nil || v != store.SchemaVersion() {
				t.Errorf("store schema version = %d, %v; want %d", v, err, store.SchemaVersion())
			}
		})
	}
}

// BenchmarkIngest measures storing one article, already parsed, into a
// store that holds some articles: every ingest fuses all stored events
// again.
func BenchmarkIngest(b *testing.B) {
	for _, stored := range []int{0, 100} {
		b.Run(fmt.Sprintf("%d stored", stored), func(b *testing.B) {
			h := newHarness(b)
			a := readArticle(b, "libya-03.txt")
			res := h.parser.Parse(a.Text)
			evts := h.x.Extract(a, res)
			ctx := b.Context()
			// variants of one text: a new hash each, the same events
			variant := func(i int) article.Article {
				v := a
				v.Text = fmt.Sprintf("%s\n%d\n", a.Text, i)
				return v
			}
			for i := range stored {
				if _, err := h.st.Ingest(ctx, variant(-1-i), res, slices.Clone(evts)); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; b.Loop(); i++ {
				got, err := h.st.Ingest(ctx, variant(i), res, slices.Clone(evts))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := h.st.Delete(ctx, got.ID); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// TestVersionSeesWrites: the store's own writes change Version at once;
// another process's writes to the same file within a second.
func TestVersionSeesWrites(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	reader := h.st
	v0, err := reader.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.ingestAll(t, "libya-01.txt")
	if v, _ := reader.Version(ctx); v == v0 {
		t.Fatalf("Version still %d right after this store's ingest", v)
	}
	v1, _ := reader.Version(ctx)

	h.open(t) // a second connection pool and Store: another writer
	h.ingestAll(t, "libya-02.txt")
	deadline := time.Now().Add(time.Second)
	for {
		v, err := reader.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != v1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Version still %d a second after another store's ingest", v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
