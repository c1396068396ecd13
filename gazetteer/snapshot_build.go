package gazetteer

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
)

// The word→rank tables of the index, by number.
const (
	rankCommonWords = iota
	rankGivenNames
	rankSurnames
	numRankTables
)

// rankTable is a word→rank table of the database kept in the index.
type rankTable struct {
	section string // snapshot section
	query   string // reads (word, rank) rows
}

// rankTables lists the word→rank tables. Another one is a constant above,
// an entry here, an Index method calling ix.rank, and a new
// snapshotVersion.
var rankTables = [numRankTables]rankTable{
	rankCommonWords: {section: "words.common", query: `SELECT word, rank FROM common_words`},
	rankGivenNames:  {section: "words.given", query: `SELECT name, given_rank FROM person_names WHERE given_rank > 0`},
	rankSurnames:    {section: "words.surname", query: `SELECT name, surname_rank FROM person_names WHERE surname_rank > 0`},
}

// querier runs queries in a transaction or on a pinned connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// indexData is what an index holds before it is laid out as a snapshot.
type indexData struct {
	places    []Place // in ascending ID order
	countries []Country
	names     []keyEntry // v0: first ref, v1: number of refs
	refs      []nameRefData
	ranks     [numRankTables][]keyEntry
	maxWords  int
}

// nameRefData points from a name to a place of indexData.places.
type nameRefData struct {
	place, flags uint32
}

// readIndexData reads the gazetteer tables, all through q so that a
// transaction sees them as of one moment.
func readIndexData(ctx context.Context, q querier) (*indexData, error) {
	d := &indexData{}
	if err := d.readPlaces(ctx, q); err != nil {
		return nil, err
	}
	byID := make(map[ID]uint32, len(d.places))
	for i := range d.places {
		byID[d.places[i].ID] = uint32(i)
	}
	if err := d.readNames(ctx, q, byID); err != nil {
		return nil, err
	}
	if err := d.readCountries(ctx, q, byID); err != nil {
		return nil, err
	}
	for i, t := range rankTables {
		if err := d.readRanks(ctx, q, i, t); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (d *indexData) readPlaces(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT `+placeColumns+` FROM places ORDER BY id`)
	if err != nil {
		return fmt.Errorf("load places: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return fmt.Errorf("load places: %w", err)
		}
		d.places = append(d.places, p)
	}
	return rows.Err()
}

// readNames keeps the names that text can match: in Latin script, not
// codes, of a known place. A key's places come in ID order.
func (d *indexData) readNames(ctx context.Context, q querier, byID map[ID]uint32) error {
	rows, err := q.QueryContext(ctx, `SELECT key, place_id, flags FROM place_names ORDER BY key, place_id`)
	if err != nil {
		return fmt.Errorf("load names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var id ID
		var flags int
		if err := rows.Scan(&key, &id, &flags); err != nil {
			return fmt.Errorf("load names: %w", err)
		}
		if flags&(FlagCode|FlagBare) != 0 || !IsLatinKey(key) {
			continue
		}
		i, ok := byID[id]
		if !ok {
			continue
		}
		if n := len(d.names); n == 0 || d.names[n-1].key != key {
			d.names = append(d.names, keyEntry{key: key, v0: uint32(len(d.refs))})
			if w := strings.Count(key, " ") + 1; w > d.maxWords {
				d.maxWords = w
			}
		}
		d.names[len(d.names)-1].v1++
		d.refs = append(d.refs, nameRefData{place: i, flags: uint32(uint8(flags))})
	}
	return rows.Err()
}

func (d *indexData) readCountries(ctx context.Context, q querier, byID map[ID]uint32) error {
	rows, err := q.QueryContext(ctx, `SELECT code, name, official, capital, capital_id FROM countries ORDER BY code`)
	if err != nil {
		return fmt.Errorf("load countries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Country
		if err := rows.Scan(&c.Code, &c.Name, &c.Official, &c.Capital, &c.CapitalID); err != nil {
			return fmt.Errorf("load countries: %w", err)
		}
		if i, ok := byID[CountryID(c.Code)]; ok {
			c.Lat, c.Lon = d.places[i].Lat, d.places[i].Lon
		}
		d.countries = append(d.countries, c)
	}
	return rows.Err()
}

func (d *indexData) readRanks(ctx context.Context, q querier, i int, t rankTable) error {
	rows, err := q.QueryContext(ctx, t.query)
	if err != nil {
		return fmt.Errorf("load %s: %w", t.section, err)
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		var r int64
		if err := rows.Scan(&w, &r); err != nil {
			return fmt.Errorf("load %s: %w", t.section, err)
		}
		if r < 0 || r > math.MaxUint32 {
			return fmt.Errorf("load %s: rank %d of %q out of range", t.section, r, w)
		}
		d.ranks[i] = append(d.ranks[i], keyEntry{key: w, v0: uint32(r)})
	}
	return rows.Err()
}

// snapshot lays the data out as an index snapshot.
func (d *indexData) snapshot() (*snapshotWriter, error) {
	strs := newStringArea()
	w := &snapshotWriter{}
	writeColumns(w, "place", placeFields, d.places, strs)
	writeColumns(w, "country", countryFields, d.countries, strs)
	w.add("names", buildKeyTable(d.names, strs))
	refs := make([]byte, 0, 8*len(d.refs))
	for _, r := range d.refs {
		refs = putU32(putU32(refs, r.place), r.flags)
	}
	w.add("names.refs", refs)
	for i, t := range rankTables {
		w.add(t.section, buildKeyTable(d.ranks[i], strs))
	}
	w.add("max_words", putU32(nil, uint32(d.maxWords)))
	w.add("key_hash", keyHashSection())
	if strs.full {
		return nil, fmt.Errorf("index snapshot: %w: more than 4 GiB of names", errSnapshot)
	}
	w.add("strings", strs.buf) // last: the sections above fill it
	return w, nil
}
