package gazetteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// migrations is the gazetteer's schema history. Append; never edit a step
// that has shipped.
var migrations = []sqlitedb.Migration{
	{Version: 1, SQL: `
CREATE TABLE places (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	lat           REAL NOT NULL,
	lon           REAL NOT NULL,
	feature_class TEXT NOT NULL DEFAULT '',
	feature_code  TEXT NOT NULL DEFAULT '',
	country       TEXT NOT NULL DEFAULT '',
	admin1        TEXT NOT NULL DEFAULT '',
	population    INTEGER NOT NULL DEFAULT 0,
	kind          TEXT NOT NULL,
	min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
	source        TEXT NOT NULL
);
CREATE INDEX places_country ON places(country, feature_code);
CREATE TABLE place_names (
	key      TEXT NOT NULL,
	place_id INTEGER NOT NULL,
	name     TEXT NOT NULL,
	flags    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE INDEX place_names_place ON place_names(place_id);
CREATE TABLE countries (
	code       TEXT PRIMARY KEY,
	place_id   INTEGER NOT NULL,
	name       TEXT NOT NULL,
	official   TEXT NOT NULL DEFAULT '',
	capital    TEXT NOT NULL DEFAULT '',
	capital_id INTEGER NOT NULL DEFAULT 0,
	ccn3       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE country_shapes (
	code     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	geometry TEXT NOT NULL -- GeoJSON (Multi)Polygon, Natural Earth
);
CREATE TABLE common_words (
	word TEXT PRIMARY KEY,
	rank INTEGER NOT NULL
) WITHOUT ROWID;
`},
	{Version: 2, SQL: `
CREATE TABLE person_names (
	name         TEXT PRIMARY KEY, -- lower case
	given_rank   INTEGER NOT NULL DEFAULT 0, -- 1 = most frequent given name, 0 = not one
	surname_rank INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`},
	{Version: 3, SQL: `
ALTER TABLE places ADD COLUMN admin2 TEXT NOT NULL DEFAULT '';
`},
	{Version: 4, SQL: `
-- the index snapshot (see snapshotVersion): derived from the tables above
-- by Import, or by LoadIndex when missing; any other writer of those
-- tables must delete it in the same transaction
CREATE TABLE index_snapshot (
	part   INTEGER PRIMARY KEY, -- 0, 1, 2...: the snapshot is the parts in order
	format INTEGER NOT NULL,    -- snapshotVersion
	schema INTEGER NOT NULL,    -- schemaStamp of the migrations it was built under
	size   INTEGER NOT NULL,    -- of the whole snapshot, in bytes
	data   BLOB NOT NULL
);
`},
}

// schemaStamp identifies the gazetteer migrations this program applies. It
// changes when one is added, even one filling a gap below the highest
// version, so that a snapshot built before it counts as stale.
func schemaStamp() int64 {
	h := fnv.New64a()
	for _, m := range migrations {
		fmt.Fprintf(h, "%d,", m.Version)
	}
	return int64(h.Sum64() >> 1)
}

// Name flags stored in place_names.flags.
const (
	// FlagAbbrev marks an abbreviation (UAE, UK): it matches only when the
	// text writes it in capitals.
	FlagAbbrev = 1 << iota
	// FlagDemonym marks an adjective or demonym (Libyan): such a mention
	// associates the country with the text but is not a location.
	FlagDemonym
	// FlagPreferred marks the entry's main name.
	FlagPreferred
	// FlagCode marks codes such as IATA airport codes kept by GeoNames among
	// alternate names; they are never matched in running text.
	FlagCode
	// FlagQualifier marks the short form of a region ("Ill.", "N.C.",
	// "WI"): it is read only where it qualifies a place ("Springfield,
	// Ill.") or, when dotted, where it stands with its dot.
	FlagQualifier
	// FlagBare marks a name of an admin-2 unit without its generic word
	// ("Laurel" for "Laurel County"), or a name with none that a town or a
	// common word already holds ("Goma", "Sialkot"). Store.Lookup finds
	// them; the matcher's Index does not read them, so that "Henry County"
	// never makes every Henry a place and "Goma" stays the city.
	FlagBare
)

// ErrEmpty is returned when the gazetteer holds no places yet.
var ErrEmpty = errors.New("gazetteer: no places imported")

// Store is a gazetteer kept in a SQLite database.
type Store struct {
	db *sql.DB
}

// NewStore prepares the gazetteer tables in db, migrating them if needed.
// The caller owns db and closes it.
func NewStore(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqlitedb.Migrate(ctx, db, "gazetteer", migrations); err != nil {
		return nil, fmt.Errorf("gazetteer schema: %w", err)
	}
	return &Store{db: db}, nil
}

// Stats counts what the store holds.
type Stats struct {
	Places, Names, Countries, CommonWords, PersonNames int64
}

// Stats counts the rows of the gazetteer tables.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	for _, q := range []struct {
		table string
		dst   *int64
	}{{"places", &st.Places}, {"place_names", &st.Names}, {"countries", &st.Countries}, {"common_words", &st.CommonWords}, {"person_names", &st.PersonNames}} {
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q.table).Scan(q.dst); err != nil {
			return st, fmt.Errorf("count %s: %w", q.table, err)
		}
	}
	return st, nil
}

// Empty reports whether no places have been imported yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM places LIMIT 1`).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("check gazetteer: %w", err)
	}
	return false, nil
}

const placeColumns = `id, name, lat, lon, feature_class, feature_code, country, admin1, admin2, population, kind,
	COALESCE(min_lon,0), COALESCE(min_lat,0), COALESCE(max_lon,0), COALESCE(max_lat,0)`

type rowScanner interface{ Scan(dest ...any) error }

func scanPlace(r rowScanner) (Place, error) {
	var p Place
	var kind string
	err := r.Scan(&p.ID, &p.Name, &p.Lat, &p.Lon, &p.FeatureClass, &p.FeatureCode, &p.Country, &p.Admin1, &p.Admin2,
		&p.Population, &kind, &p.Extent[0], &p.Extent[1], &p.Extent[2], &p.Extent[3])
	p.Kind = Kind(kind)
	return p, err
}

// Place returns the entry with the given ID.
func (s *Store) Place(ctx context.Context, id ID) (Place, error) {
	p, err := scanPlace(s.db.QueryRowContext(ctx, `SELECT `+placeColumns+` FROM places WHERE id = ?`, id))
	if err != nil {
		return Place{}, fmt.Errorf("place %d: %w", id, err)
	}
	return p, nil
}

// Lookup returns every entry one of whose names normalises to the same key
// as name, in no particular order. It searches all scripts, unlike the
// in-memory Index.
func (s *Store) Lookup(ctx context.Context, name string) ([]Place, error) {
	key := Normalize(name)
	if key == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+placeColumns+` FROM places
		WHERE id IN (SELECT place_id FROM place_names WHERE key = ?)`, key)
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", name, err)
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return nil, fmt.Errorf("lookup %q: %w", name, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
