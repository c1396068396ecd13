package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
	"github.com/paulmach/orb/maptile"
)

// MBTiles writes an MBTiles 1.3 file of vector tiles: a metadata table
// and gzipped MVT tiles in TMS rows, in one transaction.
type MBTiles struct {
	db   *sql.DB
	tx   *sql.Tx
	stmt *sql.Stmt
	gz   *gzip.Writer
	buf  bytes.Buffer
}

// CreateMBTiles makes a new file at path, replacing any there.
func CreateMBTiles(ctx context.Context, path string) (*MBTiles, error) {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("replace %s: %w", path, err)
	}
	// a plain rollback journal: the file is a self-contained artefact
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_journal_mode=DELETE"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	m := &MBTiles{db: db}
	if err := m.begin(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return m, nil
}

func (m *MBTiles) begin(ctx context.Context) error {
	for _, q := range []string{
		`CREATE TABLE metadata (name TEXT, value TEXT)`,
		`CREATE UNIQUE INDEX name ON metadata (name)`,
		`CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)`,
		`CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)`,
	} {
		if _, err := m.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	m.tx = tx
	m.stmt, err = tx.PrepareContext(ctx, `INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	m.gz = gzip.NewWriter(&m.buf)
	return nil
}

// Put stores an uncompressed MVT for tile t, gzipped, in its TMS row.
func (m *MBTiles) Put(ctx context.Context, t maptile.Tile, mvt []byte) error {
	m.buf.Reset()
	m.gz.Reset(&m.buf)
	if _, err := m.gz.Write(mvt); err != nil {
		return fmt.Errorf("gzip tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	if err := m.gz.Close(); err != nil {
		return fmt.Errorf("gzip tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	row := (uint32(1) << t.Z) - 1 - t.Y
	if _, err := m.stmt.ExecContext(ctx, int(t.Z), int(t.X), int(row), m.buf.Bytes()); err != nil {
		return fmt.Errorf("store tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	return nil
}

// Metadata is what an MBTiles file says of itself.
type Metadata struct {
	Name, Description, Attribution string
	// Bounds is west, south, east, north; Center is lon, lat, zoom.
	Bounds           [4]float64
	Center           [3]float64
	MinZoom, MaxZoom int
	// VectorLayers is TileJSON's vector_layers.
	VectorLayers []map[string]any
}

// Close writes the metadata and commits.
func (m *MBTiles) Close(ctx context.Context, md Metadata) error {
	defer m.db.Close()
	layers, err := json.Marshal(map[string]any{"vector_layers": md.VectorLayers})
	if err != nil {
		m.tx.Rollback()
		return fmt.Errorf("mbtiles metadata: %w", err)
	}
	rows := [][2]string{
		{"name", md.Name}, {"format", "pbf"}, {"type", "overlay"}, {"version", "1.3"},
		{"description", md.Description}, {"attribution", md.Attribution},
		{"bounds", fmt.Sprintf("%g,%g,%g,%g", md.Bounds[0], md.Bounds[1], md.Bounds[2], md.Bounds[3])},
		{"center", fmt.Sprintf("%g,%g,%g", md.Center[0], md.Center[1], md.Center[2])},
		{"minzoom", fmt.Sprint(md.MinZoom)}, {"maxzoom", fmt.Sprint(md.MaxZoom)},
		{"json", string(layers)},
	}
	for _, r := range rows {
		if _, err := m.tx.ExecContext(ctx, `INSERT INTO metadata (name, value) VALUES (?, ?)`, r[0], r[1]); err != nil {
			m.tx.Rollback()
			return fmt.Errorf("mbtiles metadata %s: %w", r[0], err)
		}
	}
	m.stmt.Close()
	if err := m.tx.Commit(); err != nil {
		return fmt.Errorf("mbtiles commit: %w", err)
	}
	return nil
}

// Abort drops what was written.
func (m *MBTiles) Abort() {
	m.tx.Rollback()
	m.db.Close()
}
