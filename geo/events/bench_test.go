package events_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
)

// benchParser loads the gazetteer named by CONFLICTMAP_BENCH_DB, or the
// committed fixture.
func benchParser(b *testing.B) *geoparse.Parser {
	b.Helper()
	ix := gazettest.Index(b)
	if path := os.Getenv("CONFLICTMAP_BENCH_DB"); path != "" {
		db, err := sqlitedb.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		st, err := gazetteer.NewStore(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		if ix, err = gazetteer.LoadIndex(context.Background(), st); err != nil {
			b.Fatal(err)
		}
	}
	p, err := geoparse.New(ix)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// articles repeats the bundled test articles to about 1 MiB, each kept
// whole with its own date.
func articles(b *testing.B) ([]article.Article, int) {
	files, _ := filepath.Glob(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", "*.txt"))
	sort.Strings(files)
	var out []article.Article
	size := 0
	for i := 0; size < 1<<20; i++ {
		data, err := os.ReadFile(files[i%len(files)])
		if err != nil {
			b.Fatal(err)
		}
		a, err := article.Parse(data, filepath.Base(files[i%len(files)]))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, a)
		size += len(data)
	}
	return out, size
}

// BenchmarkExtract measures geoparsing alone and geoparsing plus event
// extraction over the same megabyte, side by side: the event step should
// add at most half.
func BenchmarkExtract(b *testing.B) {
	p := benchParser(b)
	x := events.NewExtractor(events.DefaultActors(), p.Index())
	arts, size := articles(b)
	b.Run("geoparse", func(b *testing.B) {
		b.SetBytes(int64(size))
		for i := 0; i < b.N; i++ {
			for _, a := range arts {
				p.Parse(a.Text)
			}
		}
	})
	b.Run("events-only", func(b *testing.B) {
		// the geoparse results are made once, outside the timer: this is
		// the cost the event step adds
		results := make([]geoparse.Result, len(arts))
		for i, a := range arts {
			results[i] = p.Parse(a.Text)
		}
		b.SetBytes(int64(size))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for k, a := range arts {
				x.Extract(a, results[k])
			}
		}
	})
	b.Run("geoparse+events", func(b *testing.B) {
		b.SetBytes(int64(size))
		for i := 0; i < b.N; i++ {
			for _, a := range arts {
				x.Extract(a, p.Parse(a.Text))
			}
		}
	})
}
