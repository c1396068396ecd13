package gazetteer

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/topojson"
)

// importShapes reads Natural Earth country polygons (world-atlas TopoJSON,
// ids are ISO 3166-1 numeric codes). Each shape gives its country an exact
// extent, and its Natural Earth name ("Turkey") becomes one more name.
func importShapes(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	objs, err := topojson.Decode(r)
	if err != nil {
		return 0, fmt.Errorf("decode shapes: %w", err)
	}
	byNumeric := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT code, ccn3 FROM countries WHERE ccn3 != ''`)
	if err != nil {
		return 0, fmt.Errorf("read country codes: %w", err)
	}
	for rows.Next() {
		var code, ccn3 string
		if err := rows.Scan(&code, &ccn3); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read country codes: %w", err)
		}
		byNumeric[ccn3] = code
	}
	rows.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO country_shapes(code, name, geometry) VALUES (?,?,?)
		ON CONFLICT(code) DO UPDATE SET name=excluded.name, geometry=excluded.geometry`)
	if err != nil {
		return 0, fmt.Errorf("prepare shapes: %w", err)
	}
	defer ins.Close()
	ext, err := tx.PrepareContext(ctx, `UPDATE places SET min_lon=?, min_lat=?, max_lon=?, max_lat=? WHERE id=?`)
	if err != nil {
		return 0, fmt.Errorf("prepare extents: %w", err)
	}
	defer ext.Close()
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer names.Close()
	n := 0
	for _, f := range objs["countries"] {
		code, ok := byNumeric[f.ID]
		if !ok || f.Geometry == nil {
			continue
		}
		name, _ := f.Properties["name"].(string)
		g, err := geojson.NewGeometry(f.Geometry).MarshalJSON()
		if err != nil {
			return n, fmt.Errorf("encode shape %s: %w", code, err)
		}
		if _, err := ins.ExecContext(ctx, code, name, string(g)); err != nil {
			return n, fmt.Errorf("insert shape %s: %w", code, err)
		}
		b := f.Geometry.Bound()
		if _, err := ext.ExecContext(ctx, b.Min[0], b.Min[1], b.Max[0], b.Max[1], CountryID(code)); err != nil {
			return n, fmt.Errorf("extent %s: %w", code, err)
		}
		// Natural Earth abbreviates some names ("Dem. Rep. Congo"); keep
		// only the plain ones as names.
		if name != "" && !strings.Contains(name, ".") {
			if err := names.Add(CountryID(code), name, 0); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

// CountryShape returns the Natural Earth polygon of a country.
func (s *Store) CountryShape(ctx context.Context, code string) (orb.Geometry, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT geometry FROM country_shapes WHERE code = ?`, code).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("country shape %s: %w", code, err)
	}
	g, err := geojson.UnmarshalGeometry([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("country shape %s: %w", code, err)
	}
	return g.Geometry(), nil
}

// CountryShapes returns every country's Natural Earth polygon by code.
func (s *Store) CountryShapes(ctx context.Context) (map[string]orb.Geometry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, geometry FROM country_shapes`)
	if err != nil {
		return nil, fmt.Errorf("country shapes: %w", err)
	}
	defer rows.Close()
	out := map[string]orb.Geometry{}
	for rows.Next() {
		var code, raw string
		if err := rows.Scan(&code, &raw); err != nil {
			return nil, fmt.Errorf("country shapes: %w", err)
		}
		g, err := geojson.UnmarshalGeometry([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("country shape %s: %w", code, err)
		}
		out[code] = g.Geometry()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("country shapes: %w", err)
	}
	return out, nil
}
