// Package sqlitedb opens conflictmap's SQLite database file with the settings
// every component relies on (WAL, foreign keys, a busy timeout) and applies
// versioned schema migrations that each component declares in code.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// ErrNewerSchema is returned when the database was written by a newer
// conflictmap than this one.
var ErrNewerSchema = errors.New("sqlitedb: database schema is newer than this program")

// Open opens (creating if needed) the SQLite file at path in WAL mode.
func Open(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		db.Close()
		return nil, fmt.Errorf("open database %s: journal mode is %q, want wal", path, mode)
	}
	return db, nil
}

// Migration is one versioned schema step of a component.
type Migration struct {
	Version int
	SQL     string
}

// Migrate applies, in one transaction each and in order, the migrations of
// component that the database has not recorded yet. Versions must
// increase, and may leave gaps for work landing later: a version below the
// highest applied one is still applied when it is new to the database, so
// a database migrated to 4 gets 2 and 3 once they exist.
func Migrate(ctx context.Context, db *sql.DB, component string, migrations []Migration) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL,
		version INTEGER NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
		PRIMARY KEY (component, version))`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, db, component)
	if err != nil {
		return err
	}
	latest := 0
	for _, m := range migrations {
		if m.Version <= latest {
			return fmt.Errorf("migrate %s: version %d out of order", component, m.Version)
		}
		latest = m.Version
	}
	current := 0
	for v := range applied {
		current = max(current, v)
	}
	if current > latest {
		return fmt.Errorf("migrate %s: at version %d, program knows %d: %w", component, current, latest, ErrNewerSchema)
	}
	for _, m := range migrations {
		if applied[m.Version] {
			continue
		}
		if err := apply(ctx, db, component, m); err != nil {
			return err
		}
	}
	return nil
}

// appliedVersions returns the recorded migrations of component.
func appliedVersions(ctx context.Context, db *sql.DB, component string) (map[int]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations WHERE component = ?`, component)
	if err != nil {
		return nil, fmt.Errorf("read schema versions of %s: %w", component, err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema versions of %s: %w", component, err)
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

func apply(ctx context.Context, db *sql.DB, component string, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s to %d: %w", component, m.Version, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate %s to %d: %w", component, m.Version, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(component, version) VALUES (?, ?)`, component, m.Version); err != nil {
		return fmt.Errorf("record migration %s %d: %w", component, m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s to %d: %w", component, m.Version, err)
	}
	return nil
}

// Version returns the highest applied migration of component, 0 if none.
func Version(ctx context.Context, db *sql.DB, component string) (int, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations WHERE component = ?`, component).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", component, err)
	}
	return int(v.Int64), nil
}
