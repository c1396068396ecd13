// Package gazettest builds gazetteers for tests from the small extract of
// the real data committed in testdata/gazetteer (regenerate it with
// `make fixture`).
package gazettest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// RepoRoot is the root of the source tree, found from this file's path.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// FixtureSources names the committed fixture files.
func FixtureSources() gazetteer.Sources {
	dir := filepath.Join(RepoRoot(), "testdata", "gazetteer")
	return gazetteer.Sources{
		GeoNames:      filepath.Join(dir, "geonames.txt"),
		Countries:     filepath.Join(dir, "countries.json"),
		Admin1:        filepath.Join(dir, "admin1.json"),
		CommonWords:   filepath.Join(dir, "words.json"),
		Shapes:        filepath.Join(dir, "countries-110m.json"),
		Airports:      filepath.Join(dir, "airports.json"),
		Named:         filepath.Join(RepoRoot(), "gazetteer", "data", "regions.json"),
		PersonNames:   filepath.Join(dir, "names.js"),
		Abbreviations: filepath.Join(RepoRoot(), "gazetteer", "data", "admin1-abbreviations.json"),
		Admin2:        filepath.Join(dir, "admin2.json"),
		USCounties:    filepath.Join(dir, "counties-10m.json"),
	}
}

// FullSources names the bundled full data installed by `make data`, and
// reports whether it is there.
func FullSources() (gazetteer.Sources, bool) {
	src := gazetteer.DefaultSources(filepath.Join(RepoRoot(), "gazetteer", "data"))
	_, err := os.Stat(src.GeoNames)
	return src, err == nil
}

// NewStore imports src into a fresh database under t.TempDir().
func NewStore(tb testing.TB, src gazetteer.Sources) (*gazetteer.Store, string) {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "gazetteer.db")
	db, err := sqlitedb.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	store, err := gazetteer.NewStore(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Import(ctx, src, nil, false); err != nil {
		tb.Fatal(err)
	}
	return store, path
}

var (
	fixtureOnce   sync.Once
	fixtureIx     *gazetteer.Index
	fixtureShapes Shapes
	fixtureErr    error
)

// Shapes holds country outlines in memory, by ISO code.
type Shapes map[string]orb.Geometry

// CountryShape returns the outline of the country code.
func (s Shapes) CountryShape(_ context.Context, code string) (orb.Geometry, error) {
	g, ok := s[code]
	if !ok {
		return nil, fmt.Errorf("country shape %s: %w", code, sql.ErrNoRows)
	}
	return g, nil
}

// CountryShapes returns the outlines of the fixture gazetteer's countries,
// loaded with Index.
func CountryShapes(tb testing.TB) Shapes {
	tb.Helper()
	Index(tb)
	return fixtureShapes
}

// Index returns the in-memory index of the fixture gazetteer, built once
// per test binary.
func Index(tb testing.TB) *gazetteer.Index {
	tb.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gazettest")
		if err != nil {
			fixtureErr = err
			return
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		db, err := sqlitedb.Open(filepath.Join(dir, "g.db"))
		if err != nil {
			fixtureErr = err
			return
		}
		defer db.Close()
		store, err := gazetteer.NewStore(ctx, db)
		if err != nil {
			fixtureErr = err
			return
		}
		if _, err := store.Import(ctx, FixtureSources(), nil, false); err != nil {
			fixtureErr = err
			return
		}
		fixtureIx, fixtureErr = gazetteer.LoadIndex(ctx, store)
		if fixtureErr != nil {
			return
		}
		fixtureShapes, fixtureErr = loadShapes(ctx, store)
	})
	if fixtureErr != nil {
		tb.Fatalf("fixture gazetteer: %v", fixtureErr)
	}
	return fixtureIx
}

func loadShapes(ctx context.Context, store *gazetteer.Store) (Shapes, error) {
	shapes, err := store.CountryShapes(ctx)
	return Shapes(shapes), err
}
