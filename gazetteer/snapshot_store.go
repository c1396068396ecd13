package gazetteer

import (
	"context"
	"database/sql"
	"fmt"
	"unsafe"
)

// The snapshot is kept in the database, in the index_snapshot table, so
// that it is written in the same transaction as the tables it is built
// from, and a backup (a copy of the file, VACUUM INTO) carries it along.
// It is cut into parts of snapshotPart bytes: SQLite then never holds more
// than one part in memory at a time, and no row nears SQLite's limit on a
// value's size (1 GB by default), which a GeoNames allCountries gazetteer
// would pass.
//
// A snapshot is stale when it was written by a program of another
// snapshotVersion or under other gazetteer migrations (schemaStamp): a
// migration added later may change the tables.
const snapshotPart = 1 << 20

// loadSnapshot returns the index of the stored snapshot, or nil when there
// is none this program can use.
func (s *Store) loadSnapshot(ctx context.Context) (*Index, error) {
	data, err := s.readSnapshot(ctx)
	if err != nil || data == nil {
		return nil, err
	}
	// data is ours alone and never changes again, so it can back a string
	// that the index slices instead of copying
	ix, err := decodeIndex(unsafe.String(unsafe.SliceData(data), len(data)), true)
	if err != nil {
		return nil, nil // damaged: rebuilt from the tables
	}
	return ix, nil
}

// readSnapshot joins the parts of the stored snapshot. It returns nil when
// there is no current one, or its parts do not fit together. The buffer is
// sized by the bytes actually stored, never by what a row claims.
func (s *Store) readSnapshot(ctx context.Context) ([]byte, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT part, format, schema, size, data,
		(SELECT SUM(length(data)) FROM index_snapshot) FROM index_snapshot ORDER BY part`)
	if err != nil {
		return nil, fmt.Errorf("read index snapshot: %w", err)
	}
	defer rows.Close()
	var data []byte
	for n := int64(0); rows.Next(); n++ {
		var part, format, schema, size, stored int64
		var chunk sql.RawBytes // copied before the next row
		if err := rows.Scan(&part, &format, &schema, &size, &chunk, &stored); err != nil {
			return nil, fmt.Errorf("read index snapshot: %w", err)
		}
		if format != snapshotVersion || schema != schemaStamp() || part != n || size != stored {
			return nil, nil
		}
		if n == 0 {
			data = make([]byte, 0, stored)
		}
		data = append(data, chunk...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read index snapshot: %w", err)
	}
	if len(data) != cap(data) {
		return nil, nil
	}
	return data, nil
}

// rebuildSnapshot builds the index from the tables and stores its snapshot
// when it can.
//
// It reads in a deferred transaction, which sees the tables as of one
// moment without holding the write lock. Storing the snapshot then turns it
// into a write transaction, which SQLite refuses if another connection has
// written since (an import, with its own snapshot), and which fails on a
// read-only database: in both cases the index is still returned, unsaved.
func (s *Store) rebuildSnapshot(ctx context.Context) (*Index, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	finished := false
	defer func() {
		if !finished {
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	d, err := readIndexData(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	w, err := d.snapshot()
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	data := w.bytes()
	ix, err := decodeIndex(unsafe.String(unsafe.SliceData(data), len(data)), false)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	if storeSnapshot(ctx, conn, w) == nil {
		_, err := conn.ExecContext(ctx, `COMMIT`)
		finished = err == nil
	}
	return ix, nil
}

// execer runs statements in a transaction or on a pinned connection.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// storeSnapshot replaces the stored snapshot with that of w.
func storeSnapshot(ctx context.Context, e execer, w *snapshotWriter) error {
	if _, err := e.ExecContext(ctx, `DELETE FROM index_snapshot`); err != nil {
		return fmt.Errorf("store index snapshot: %w", err)
	}
	part := 0
	err := w.each(snapshotPart, func(size int, data []byte) error {
		_, err := e.ExecContext(ctx, `INSERT INTO index_snapshot(part, format, schema, size, data) VALUES (?, ?, ?, ?, ?)`,
			part, snapshotVersion, schemaStamp(), size, data)
		part++
		return err
	})
	if err != nil {
		return fmt.Errorf("store index snapshot: %w", err)
	}
	return nil
}

// writeSnapshot builds the snapshot of the tables as tx sees them and
// stores it in tx.
func writeSnapshot(ctx context.Context, tx *sql.Tx) error {
	d, err := readIndexData(ctx, tx)
	if err != nil {
		return fmt.Errorf("build index snapshot: %w", err)
	}
	w, err := d.snapshot()
	if err != nil {
		return fmt.Errorf("build index snapshot: %w", err)
	}
	return storeSnapshot(ctx, tx, w)
}
