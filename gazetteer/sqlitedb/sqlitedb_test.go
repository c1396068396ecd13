package sqlitedb

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestOpenUsesWAL(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "sub", "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Fatalf("journal_mode = %q, want wal", mode)
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v1 := []Migration{{1, `CREATE TABLE a(x INTEGER)`}}
	v2 := append(v1, Migration{2, `ALTER TABLE a ADD COLUMN y TEXT`})
	gap := []Migration{{1, `CREATE TABLE g(x INTEGER)`}, {4, `CREATE TABLE g4(x INTEGER)`}}
	gapFilled := []Migration{gap[0], {2, `CREATE TABLE g2(x INTEGER)`}, {3, `CREATE TABLE g3(x INTEGER)`}, gap[1]}

	tests := []struct {
		name      string
		component string
		steps     []Migration
		want      int
		wantErr   error
	}{
		{"first", "c", v1, 1, nil},
		{"again is a no-op", "c", v1, 1, nil},
		{"upgrade", "c", v2, 2, nil},
		{"older program refuses", "c", v1, 2, ErrNewerSchema},
		{"other component independent", "d", []Migration{{1, `CREATE TABLE b(x)`}}, 1, nil},
		{"gap left for later work", "e", gap, 4, nil},
		{"gap filled later is applied", "e", gapFilled, 4, nil},
		{"gap filled again is a no-op", "e", gapFilled, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Migrate(ctx, db, tt.component, tt.steps)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Migrate err = %v, want %v", err, tt.wantErr)
			}
			got, err := Version(ctx, db, tt.component)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("version = %d, want %d", got, tt.want)
			}
			for _, m := range tt.steps {
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE component = ? AND version = ?`, tt.component, m.Version).Scan(&n); err != nil || n != 1 {
					t.Errorf("migration %d recorded %d times (%v)", m.Version, n, err)
				}
			}
		})
	}
}

func TestMigrateFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad := []Migration{{1, `CREATE TABLE ok(x); CREATE TABLE broken(`}}
	if err := Migrate(ctx, db, "c", bad); err == nil {
		t.Fatal("want error for broken migration")
	}
	if v, _ := Version(ctx, db, "c"); v != 0 {
		t.Errorf("version after failed migration = %d, want 0", v)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name='ok'`).Scan(&n)
	if n != 0 {
		t.Errorf("table from failed migration survived")
	}
}
