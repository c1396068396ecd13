package gazetteer

import (
	"fmt"
	"math"
)

// columnType says how a column stores its values: 8 bytes each.
type columnType uint8

const (
	columnInt    columnType = iota + 1 // int64
	columnFloat                        // float64 bits
	columnString                       // u32 offset, u32 length in "strings"
)

// column is one field of a record type R, kept in the snapshot as the
// section <prefix>.<name> with one value per record.
type column[R any] struct {
	name string
	typ  columnType
	i    func(*R) *int64
	f    func(*R) *float64
	s    func(*R) *string
}

func intColumn[R any](name string, field func(*R) *int64) column[R] {
	return column[R]{name: name, typ: columnInt, i: field}
}

func floatColumn[R any](name string, field func(*R) *float64) column[R] {
	return column[R]{name: name, typ: columnFloat, f: field}
}

func stringColumn[R any](name string, field func(*R) *string) column[R] {
	return column[R]{name: name, typ: columnString, s: field}
}

// placeFields are the fields of Place in the snapshot. The pointer
// conversions are sound because ID and Kind are defined on int64 and
// string.
var placeFields = []column[Place]{
	intColumn("id", func(p *Place) *int64 { return (*int64)(&p.ID) }),
	stringColumn("name", func(p *Place) *string { return &p.Name }),
	floatColumn("lat", func(p *Place) *float64 { return &p.Lat }),
	floatColumn("lon", func(p *Place) *float64 { return &p.Lon }),
	stringColumn("feature_class", func(p *Place) *string { return &p.FeatureClass }),
	stringColumn("feature_code", func(p *Place) *string { return &p.FeatureCode }),
	stringColumn("country", func(p *Place) *string { return &p.Country }),
	stringColumn("admin1", func(p *Place) *string { return &p.Admin1 }),
	stringColumn("admin2", func(p *Place) *string { return &p.Admin2 }),
	intColumn("population", func(p *Place) *int64 { return &p.Population }),
	stringColumn("kind", func(p *Place) *string { return (*string)(&p.Kind) }),
	floatColumn("min_lon", func(p *Place) *float64 { return &p.Extent[0] }),
	floatColumn("min_lat", func(p *Place) *float64 { return &p.Extent[1] }),
	floatColumn("max_lon", func(p *Place) *float64 { return &p.Extent[2] }),
	floatColumn("max_lat", func(p *Place) *float64 { return &p.Extent[3] }),
}

// countryFields are the fields of Country in the snapshot. AltNames and
// Demonyms are not in the index.
var countryFields = []column[Country]{
	stringColumn("code", func(c *Country) *string { return &c.Code }),
	stringColumn("name", func(c *Country) *string { return &c.Name }),
	stringColumn("official", func(c *Country) *string { return &c.Official }),
	stringColumn("capital", func(c *Country) *string { return &c.Capital }),
	intColumn("capital_id", func(c *Country) *int64 { return (*int64)(&c.CapitalID) }),
	floatColumn("lat", func(c *Country) *float64 { return &c.Lat }),
	floatColumn("lon", func(c *Country) *float64 { return &c.Lon }),
}

// writeColumns adds one section per column of rows.
func writeColumns[R any](w *snapshotWriter, prefix string, cols []column[R], rows []R, strs *stringArea) {
	for _, c := range cols {
		b := make([]byte, 0, 8*len(rows))
		for i := range rows {
			r := &rows[i]
			switch c.typ {
			case columnInt:
				b = putU64(b, uint64(*c.i(r)))
			case columnFloat:
				b = putU64(b, math.Float64bits(*c.f(r)))
			case columnString:
				off, n := strs.add(*c.s(r))
				b = putU32(putU32(b, off), n)
			}
		}
		w.add(prefix+"."+c.name, b)
	}
}

// readColumns rebuilds the records from their column sections, which must
// all hold the same number of values.
func readColumns[R any](secs snapshotSections, prefix string, cols []column[R], strs string) ([]R, error) {
	var rows []R
	for k, c := range cols {
		name := prefix + "." + c.name
		sec, err := secs.section(name)
		if err != nil {
			return nil, err
		}
		if k == 0 {
			if len(sec)%8 != 0 {
				return nil, fmt.Errorf("%w: %s: %d bytes", errSnapshot, name, len(sec))
			}
			rows = make([]R, len(sec)/8)
		}
		if len(sec) != 8*len(rows) {
			return nil, fmt.Errorf("%w: %s: %d bytes for %d records", errSnapshot, name, len(sec), len(rows))
		}
		if err := readColumn(sec, c, rows, strs); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return rows, nil
}

// readColumn sets field c of every row from sec.
func readColumn[R any](sec string, c column[R], rows []R, strs string) error {
	switch c.typ {
	case columnInt:
		for i := range rows {
			*c.i(&rows[i]) = int64(u64(sec, 8*i))
		}
	case columnFloat:
		for i := range rows {
			*c.f(&rows[i]) = math.Float64frombits(u64(sec, 8*i))
		}
	case columnString:
		for i := range rows {
			s, err := stringRef(sec, 8*i, strs)
			if err != nil {
				return err
			}
			*c.s(&rows[i]) = s
		}
	}
	return nil
}
