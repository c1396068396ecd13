package corpus_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/corpus"
	"github.com/conflictmap/conflictmap/geo/events"
)

func fixtureParser(t *testing.T) (*geoparse.Parser, *events.Extractor) {
	t.Helper()
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	return p, events.NewExtractor(events.DefaultActors(), p.Index())
}

func writeArticles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun(t *testing.T) {
	p, x := fixtureParser(t)
	dir := writeArticles(t, map[string]string{
		"1.txt":     "date 2019-04-05\n\nForces loyal to Hifter clashed with pro-government militias in Tripoli on Thursday, killing three fighters.",
		"2.txt":     "Fighting near Gharyan.",
		"notes.md":  "not an article about Tripoli",
		"other.txt": "Nothing here.",
	})
	tests := []struct {
		name     string
		date     time.Time
		wantDate string // of the event in 1.txt
	}{
		{"header date", time.Time{}, "2019-04-04"},
		{"given date overrides the header", time.Date(2018, 4, 5, 0, 0, 0, 0, time.UTC), "2018-04-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := corpus.Run(context.Background(), p, x, dir, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Features) != 3 || out.Features["other.txt"] == nil || len(out.Features["other.txt"]) != 0 {
				t.Fatalf("outputs for %d files (other.txt: %v), want 1.txt, 2.txt and an empty other.txt", len(out.Features), out.Features["other.txt"])
			}
			if got := out.Texts["1.txt"]; !strings.HasPrefix(strings.TrimSpace(got), "Forces") {
				t.Errorf("text of 1.txt is %q, want the text after the date header", got)
			}
			if n := len(corpus.PlacePredictions(out.Features["2.txt"], false)); n != 1 {
				t.Errorf("2.txt: %d place mentions, want Gharyan", n)
			}
			evs := corpus.EventPredictions(out.Features["1.txt"])
			if len(evs) != 1 || evs[0].Date.Format(article.DateLayout) != tt.wantDate || evs[0].Fatalities != 3 {
				t.Errorf("1.txt events %+v, want one on %s with 3 deaths", evs, tt.wantDate)
			}
		})
	}
}

func TestRunRefuses(t *testing.T) {
	p, x := fixtureParser(t)
	tests := []struct {
		name    string
		files   map[string]string
		ctx     func() context.Context
		wantErr error
		wantMsg string
	}{
		{name: "no articles", files: map[string]string{"a.md": "x"}, wantMsg: "no *.txt"},
		{name: "binary article", files: map[string]string{"a.txt": "PK\x03\x04\x00"}, wantErr: article.ErrBinary},
		{name: "cancelled", files: map[string]string{"a.txt": "Tripoli"}, wantErr: context.Canceled,
			ctx: func() context.Context { c, cancel := context.WithCancel(context.Background()); cancel(); return c }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			_, err := corpus.Run(ctx, p, x, writeArticles(t, tt.files), time.Time{})
			if err == nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) || tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v, want %v %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
}
