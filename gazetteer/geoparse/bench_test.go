package geoparse_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// fullParser loads the full bundled gazetteer: from the database named by
// CONFLICTMAP_BENCH_DB when set (to skip the import), else by importing the
// data that `make data` installs. It skips when neither is there.
func fullParser(b *testing.B) *geoparse.Parser {
	b.Helper()
	ctx := context.Background()
	var store *gazetteer.Store
	if path := os.Getenv("CONFLICTMAP_BENCH_DB"); path != "" {
		db, err := sqlitedb.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if store, err = gazetteer.NewStore(ctx, db); err != nil {
			b.Fatal(err)
		}
	} else {
		src, ok := gazettest.FullSources()
		if !ok {
			b.Skip("full gazetteer data not installed: run 'make data' (or set CONFLICTMAP_BENCH_DB)")
		}
		store, _ = gazettest.NewStore(b, src)
	}
	ix, err := gazetteer.LoadIndex(ctx, store)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("full gazetteer: %d places, index loaded in %v", ix.Len(), ix.LoadTime)
	p, err := geoparse.New(ix)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// megabyteOfArticles repeats the bundled test articles to 1 MiB.
func megabyteOfArticles(b *testing.B) string {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", "*.txt"))
	sort.Strings(files)
	if len(files) == 0 {
		b.Fatal("no test articles")
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		data, err := os.ReadFile(files[i%len(files)])
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// BenchmarkParseMegabyte geoparses 1 MiB of article text with the full
// cities500 gazetteer; MB/s is the figure to watch (target 5).
func BenchmarkParseMegabyte(b *testing.B) {
	p := fullParser(b)
	text := megabyteOfArticles(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Parse(text)
	}
}

// BenchmarkParseArticle geoparses one article at a time, as ingest does.
func BenchmarkParseArticle(b *testing.B) {
	p := fullParser(b)
	data, err := os.ReadFile(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", "libya-03.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Parse(string(data))
	}
}

// devCorpusArticles reads every article of the public development corpora
// (../shared/corpora: GeoWebNews, LGL, UCDP headlines), skipping when they
// are absent. Nothing of them is kept in the repository.
func devCorpusArticles(b *testing.B) []string {
	b.Helper()
	root := filepath.Join(gazettest.RepoRoot(), "..", "shared", "corpora")
	var out []string
	for _, c := range []string{"geowebnews-dev", "lgl-dev", "ucdp-dev"} {
		files, _ := filepath.Glob(filepath.Join(root, c, "articles", "*.txt"))
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, string(data))
		}
	}
	if len(out) == 0 {
		b.Skip("../shared/corpora not found: the development corpora are not here")
	}
	return out
}

// BenchmarkParseDevCorpora geoparses every article of the development
// corpora, one at a time as extract and ingest do: text nobody here wrote.
// MB/s is the figure to watch (issue 13's target: 5 per core).
func BenchmarkParseDevCorpora(b *testing.B) {
	p := fullParser(b)
	arts := devCorpusArticles(b)
	n := 0
	for _, a := range arts {
		n += len(a)
	}
	b.SetBytes(int64(n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			p.Parse(a)
		}
	}
}
