package gazetteer_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// benchStore opens the full gazetteer named by CONFLICTMAP_BENCH_DB, else
// imports the fixture.
func benchStore(b *testing.B) *gazetteer.Store {
	b.Helper()
	path := os.Getenv("CONFLICTMAP_BENCH_DB")
	if path == "" {
		store, _ := gazettest.NewStore(b, gazettest.FixtureSources())
		return store
	}
	db, err := sqlitedb.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	store, err := gazetteer.NewStore(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	return store
}

// BenchmarkLoadIndex loads the index of the full gazetteer named by
// CONFLICTMAP_BENCH_DB, else of the fixture.
func BenchmarkLoadIndex(b *testing.B) {
	ctx := context.Background()
	store := benchStore(b)
	b.ReportAllocs()
	for b.Loop() {
		ix, err := gazetteer.LoadIndex(ctx, store)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(ix.Len()), "places")
	}
}

// BenchmarkIndexLookup asks Has and Lookup, as the parser does for every
// capitalised run of words, half of them for names that are not there.
func BenchmarkIndexLookup(b *testing.B) {
	ix, err := gazetteer.LoadIndex(context.Background(), benchStore(b))
	if err != nil {
		b.Fatal(err)
	}
	keys := ix.NameKeys()
	// in an order that depends neither on the table nor on the run
	slices.Sort(keys)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	for i := 0; i < len(keys); i += 2 {
		keys[i] += " q"
	}
	b.ResetTimer()
	found := 0
	for i := 0; b.Loop(); i++ {
		k := keys[i%len(keys)]
		if ix.Has(k) {
			found += len(ix.Lookup(k))
		}
	}
	if found == 0 {
		b.Fatal("no key found")
	}
}
