package gazetteer

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrBadDump is returned for a GeoNames dump line that cannot be read.
var ErrBadDump = errors.New("gazetteer: malformed GeoNames dump line")

// GeoNamesRecord is one row of a GeoNames dump (allCountries.txt,
// cities500.txt, cities15000.txt...).
type GeoNamesRecord struct {
	ID             int64
	Name           string
	ASCIIName      string
	AlternateNames []string
	Lat, Lon       float64
	FeatureClass   string
	FeatureCode    string
	Country        string
	Admin1         string
	Admin2         string // county, district...: "125" in US.KY.125
	Population     int64
}

// ParseGeoNamesLine parses one tab-separated line of the standard GeoNames
// dump format (19 columns).
func ParseGeoNamesLine(line string) (GeoNamesRecord, error) {
	var r GeoNamesRecord
	f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
	if len(f) < 15 {
		return r, fmt.Errorf("%w: %d columns, want 19", ErrBadDump, len(f))
	}
	var err error
	if r.ID, err = strconv.ParseInt(f[0], 10, 64); err != nil || r.ID <= 0 {
		return r, fmt.Errorf("%w: geonameid %q", ErrBadDump, f[0])
	}
	r.Name, r.ASCIIName = f[1], f[2]
	if r.Name == "" {
		return r, fmt.Errorf("%w: empty name for %d", ErrBadDump, r.ID)
	}
	if f[3] != "" {
		r.AlternateNames = strings.Split(f[3], ",")
	}
	if r.Lat, err = strconv.ParseFloat(f[4], 64); err != nil || !(r.Lat >= -90 && r.Lat <= 90) {
		return r, fmt.Errorf("%w: latitude %q", ErrBadDump, f[4])
	}
	if r.Lon, err = strconv.ParseFloat(f[5], 64); err != nil || !(r.Lon >= -180 && r.Lon <= 180) {
		return r, fmt.Errorf("%w: longitude %q", ErrBadDump, f[5])
	}
	r.FeatureClass, r.FeatureCode, r.Country, r.Admin1, r.Admin2 = f[6], f[7], f[8], f[10], f[11]
	if f[14] != "" {
		if r.Population, err = strconv.ParseInt(f[14], 10, 64); err != nil || r.Population < 0 {
			return r, fmt.Errorf("%w: population %q", ErrBadDump, f[14])
		}
	}
	return r, nil
}

// nameFlags classifies an alternate name: GeoNames mixes airport codes
// (TIP, HLLT) and links into the alternate names of cities.
func nameFlags(alt, main string) int {
	if strings.Contains(alt, "http") {
		return -1
	}
	upper, digit := true, false
	for _, c := range alt {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c < 'A' || c > 'Z':
			upper = false
		}
	}
	if digit || (upper && len(alt) <= 4 && alt != main) {
		return FlagCode
	}
	return 0
}

// importGeoNames streams a dump into places and place_names inside tx.
func importGeoNames(ctx context.Context, tx *sql.Tx, r io.Reader, size int64, progress *Progress) (int, error) {
	insPlace, err := tx.PrepareContext(ctx, `INSERT INTO places
		(id, name, lat, lon, feature_class, feature_code, country, admin1, admin2, population, kind, source)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,'geonames')
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, lat=excluded.lat, lon=excluded.lon,
		feature_class=excluded.feature_class, feature_code=excluded.feature_code, country=excluded.country,
		admin1=excluded.admin1, admin2=excluded.admin2, population=excluded.population, kind=excluded.kind`)
	if err != nil {
		return 0, fmt.Errorf("prepare place insert: %w", err)
	}
	defer insPlace.Close()
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer names.Close()

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var n, lineNo int
	var read int64
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		read += int64(len(line)) + 1
		if line == "" || line[0] == '#' {
			continue
		}
		rec, err := ParseGeoNamesLine(line)
		if err != nil {
			return n, fmt.Errorf("line %d: %w", lineNo, err)
		}
		kind := kindForFeature(rec.FeatureClass, rec.FeatureCode)
		if _, err := insPlace.ExecContext(ctx, rec.ID, rec.Name, rec.Lat, rec.Lon, rec.FeatureClass, rec.FeatureCode,
			rec.Country, rec.Admin1, rec.Admin2, rec.Population, string(kind)); err != nil {
			return n, fmt.Errorf("line %d: insert place: %w", lineNo, err)
		}
		id := ID(rec.ID)
		if err := names.Replace(id, rec.Name, FlagPreferred); err != nil {
			return n, fmt.Errorf("line %d: %w", lineNo, err)
		}
		if err := names.Add(id, rec.ASCIIName, 0); err != nil {
			return n, fmt.Errorf("line %d: %w", lineNo, err)
		}
		for _, alt := range rec.AlternateNames {
			flags := nameFlags(alt, rec.Name)
			if flags < 0 {
				continue
			}
			if err := names.Add(id, alt, flags); err != nil {
				return n, fmt.Errorf("line %d: %w", lineNo, err)
			}
		}
		n++
		if n%5000 == 0 {
			progress.Update(read, size, n)
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("read dump: %w", err)
	}
	progress.Update(size, size, n)
	return n, nil
}

// nameWriter writes place_names rows, replacing a place's old names the
// first time it sees the place so that a re-import leaves no stale names.
type nameWriter struct {
	ctx      context.Context
	del, ins *sql.Stmt
	// fresh: the place table was empty when the import began, so there
	// are no old names to clear.
	fresh bool
}

func newNameWriter(ctx context.Context, tx *sql.Tx) (*nameWriter, error) {
	del, err := tx.PrepareContext(ctx, `DELETE FROM place_names WHERE place_id = ?`)
	if err != nil {
		return nil, fmt.Errorf("prepare name delete: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO place_names(key, place_id, name, flags) VALUES (?,?,?,?)
		ON CONFLICT(key, place_id) DO UPDATE SET flags = flags | excluded.flags`)
	if err != nil {
		del.Close()
		return nil, fmt.Errorf("prepare name insert: %w", err)
	}
	var any int
	fresh := tx.QueryRowContext(ctx, `SELECT 1 FROM places LIMIT 1`).Scan(&any) == sql.ErrNoRows
	return &nameWriter{ctx: ctx, del: del, ins: ins, fresh: fresh}, nil
}

// Replace drops every name of id and adds name.
func (w *nameWriter) Replace(id ID, name string, flags int) error {
	if w.fresh {
		return w.Add(id, name, flags)
	}
	if _, err := w.del.ExecContext(w.ctx, id); err != nil {
		return fmt.Errorf("clear names of %d: %w", id, err)
	}
	return w.Add(id, name, flags)
}

// Add records one more name of id.
func (w *nameWriter) Add(id ID, name string, flags int) error {
	key := Normalize(name)
	if key == "" {
		return nil
	}
	if _, err := w.ins.ExecContext(w.ctx, key, id, name, flags); err != nil {
		return fmt.Errorf("insert name %q: %w", name, err)
	}
	return nil
}

// Close releases the statements.
func (w *nameWriter) Close() {
	w.del.Close()
	w.ins.Close()
}
