package gazetteer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// TestMigrateKeepsPlaces: a gazetteer built before the admin2 column gains
// it empty, and its rows survive.
func TestMigrateKeepsPlaces(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlitedb.Migrate(ctx, db, "gazetteer", migrations[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO places(id, name, lat, lon, country, admin1, kind, source)
		VALUES (2210247, 'Tripoli', 32.9, 13.2, 'LY', '77', 'city', 'geonames')`); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := sqlitedb.Version(ctx, db, "gazetteer"); err != nil || v != migrations[len(migrations)-1].Version {
		t.Errorf("schema version = %d, %v; want %d", v, err, migrations[len(migrations)-1].Version)
	}
	p, err := s.Place(ctx, 2210247)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Tripoli" || p.Admin1 != "77" || p.Admin2 != "" {
		t.Errorf("after migration: %+v", p)
	}
}
