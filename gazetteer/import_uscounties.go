package gazetteer

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/conflictmap/conflictmap/geo/topojson"
)

// ErrNotUSCounty is returned for a FIPS code that is not that of a county
// of a US state or of DC: five digits, the first two a state's.
var ErrNotUSCounty = errors.New("gazetteer: not the FIPS code of a county of a US state")

// usStateFIPS maps the FIPS code of a US state (and DC) to its postal
// code, which GeoNames uses as the state's admin-1 code. Puerto Rico and
// the other territories are countries of their own in GeoNames.
var usStateFIPS = map[string]string{
	"01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
	"11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
	"20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
	"28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
	"36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
	"45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
	"54": "WV", "55": "WI", "56": "WY",
}

// ParseCountyFIPS reads a five-digit county FIPS code ("21125") as the
// GeoNames admin-1 code of its state ("KY") and its county code ("125"),
// which GeoNames uses as the admin-2 code of US counties.
func ParseCountyFIPS(fips string) (state, county string, err error) {
	if len(fips) != 5 {
		return "", "", fmt.Errorf("%w: %q", ErrNotUSCounty, fips)
	}
	for i := 0; i < len(fips); i++ {
		if fips[i] < '0' || fips[i] > '9' {
			return "", "", fmt.Errorf("%w: %q", ErrNotUSCounty, fips)
		}
	}
	state, ok := usStateFIPS[fips[:2]]
	if !ok {
		return "", "", fmt.Errorf("%w: %q", ErrNotUSCounty, fips)
	}
	return state, fips[2:], nil
}

// countyShape is where a county's Census shape puts it.
type countyShape struct {
	point  orb.Point
	extent BBox
}

// CountyReport says how the county shapes matched the admin-2 units.
type CountyReport struct {
	// ByCode counts counties matched by FIPS code (and name), ByName
	// those matched by state and name only.
	ByCode, ByName int
	// NotState counts shapes of territories; Unmatched, shapes of states
	// that name no unit of admin2.json (old Connecticut counties...);
	// OffGlobe, shapes whose coordinates are not longitudes and latitudes.
	NotState, Unmatched, OffGlobe int
}

// readCounties decodes the "counties" object of a us-atlas topology and
// matches each county to its unit of list: by code (US.KY.125 for FIPS
// 21125) when the names agree, else by state and name, so that a county
// is one entry whatever its source.
func readCounties(r io.Reader, list []Admin2Unit) (map[string]*countyShape, CountyReport, error) {
	var rep CountyReport
	objs, err := topojson.Decode(r)
	if err != nil {
		return nil, rep, fmt.Errorf("decode counties: %w", err)
	}
	feats, ok := objs["counties"]
	if !ok {
		return nil, rep, fmt.Errorf("decode counties: %w: no counties object", topojson.ErrInvalid)
	}
	byCode := map[string]string{}   // code → name
	byName := map[string][]string{} // state + name key → codes
	for _, u := range list {
		cc, a1, _, err := ParseAdmin2Code(u.Code)
		if err != nil || cc != "US" {
			continue
		}
		byCode[u.Code] = u.Name
		k := a1 + " " + countyKey(u.Name)
		byName[k] = append(byName[k], u.Code)
	}
	// codes first, so that a name never takes a unit another shape has
	out := map[string]*countyShape{}
	var rest []topojson.Feature
	for _, f := range feats {
		state, county, err := ParseCountyFIPS(f.ID)
		if err != nil || f.Geometry == nil {
			rep.NotState++
			continue
		}
		if !onGlobe(f.Geometry.Bound()) {
			rep.OffGlobe++
			continue
		}
		code := "US." + state + "." + county
		if n, ok := byCode[code]; ok && countyKey(n) == countyKey(countyName(f)) {
			out[code] = newCountyShape(f.Geometry)
			rep.ByCode++
			continue
		}
		rest = append(rest, f)
	}
	for _, f := range rest {
		state, _, _ := ParseCountyFIPS(f.ID)
		codes := byName[state+" "+countyKey(countyName(f))]
		if len(codes) != 1 || out[codes[0]] != nil {
			rep.Unmatched++
			continue
		}
		out[codes[0]] = newCountyShape(f.Geometry)
		rep.ByName++
	}
	return out, rep, nil
}

func countyName(f topojson.Feature) string {
	name, _ := f.Properties["name"].(string)
	return name
}

func newCountyShape(g orb.Geometry) *countyShape {
	return &countyShape{point: interiorPoint(g), extent: shapeExtent(g)}
}

// countyKey folds a county name for matching the Census and GeoNames
// spellings: "St. Mary's" and "Saint Mary's County", "De Witt" and
// "DeWitt County", "Richmond" and "City of Richmond", "Wrangell" and
// "City and Borough of Wrangell".
func countyKey(name string) string {
	k := Normalize(name)
	for _, p := range []string{"city and borough of ", "city and county of ", "city of "} {
		k = strings.TrimPrefix(k, p)
	}
	// not " city": the Census writes "Charles City" (County) and
	// "Richmond" (city)
	for _, s := range []string{" city and borough", " census area", " county", " parish", " borough", " municipality"} {
		if strings.HasSuffix(k, s) && len(k) > len(s) {
			k = k[:len(k)-len(s)]
			break
		}
	}
	words := strings.Fields(k)
	if len(words) > 1 {
		switch words[0] {
		case "st":
			words[0] = "saint"
		case "ste":
			words[0] = "sainte"
		}
	}
	return strings.Join(words, "")
}

// onGlobe reports whether b is made of longitudes and latitudes.
func onGlobe(b orb.Bound) bool {
	return b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90
}

// shapeExtent is the box of g.
func shapeExtent(g orb.Geometry) BBox {
	b := g.Bound()
	return BBox{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

// interiorPoint is the area-weighted centroid of a (multi)polygon when it
// lies inside, else the middle of the widest stretch of the centroid's
// parallel that does: a crescent's centroid lies outside it.
func interiorPoint(g orb.Geometry) orb.Point {
	c, area := planar.CentroidArea(g)
	if area > 0 && contains(g, c) {
		return c
	}
	if area == 0 {
		c = g.Bound().Center()
	}
	var xs []float64
	for _, ring := range rings(g) {
		for i := 0; i+1 < len(ring); i++ {
			a, b := ring[i], ring[i+1]
			if (a[1] > c[1]) != (b[1] > c[1]) {
				xs = append(xs, a[0]+(c[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	best, width := g.Bound().Center(), -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			best, width = orb.Point{(xs[i] + xs[i+1]) / 2, c[1]}, w
		}
	}
	return best
}

func contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

func rings(g orb.Geometry) []orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		return g
	case orb.MultiPolygon:
		var out []orb.Ring
		for _, p := range g {
			out = append(out, p...)
		}
		return out
	}
	return nil
}
