package zones

import (
	"math"
	"sort"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"

	"github.com/conflictmap/conflictmap/geo/events"
)

// Config sets how control is drawn.
type Config struct {
	// StepDeg is the grid's cell size in degrees (default 0.1).
	StepDeg float64
	// ReachKm is how far a claim's control reaches; land farther from
	// every claim stays unassigned (default 450).
	ReachKm float64
	// ContestedDays and ContestedKm mark as contested the land within
	// ContestedKm of a clash of the ContestedDays before the date
	// (defaults 7 and 30).
	ContestedDays int
	ContestedKm   float64
	// StandingDays is how far back a statement of standing control
	// ("the UN-backed government in Tripoli") reaches for a place with no
	// claim yet at the date (default 30); a capture stops it.
	StandingDays int
}

func (c Config) withDefaults() Config {
	if c.StepDeg <= 0 {
		c.StepDeg = 0.1
	}
	if c.ReachKm <= 0 {
		c.ReachKm = 450
	}
	if c.ContestedDays <= 0 {
		c.ContestedDays = 7
	}
	if c.ContestedKm <= 0 {
		c.ContestedKm = 30
	}
	if c.StandingDays <= 0 {
		c.StandingDays = 30
	}
	return c
}

// Clash is a fighting event that makes land contested.
type Clash struct {
	ID       string
	Date     time.Time
	Lat, Lon float64
}

// Holding is the control of one place at the date: the latest claim.
type Holding struct {
	events.ControlClaim
	// Superseded lists earlier claims on the place it replaced.
	Superseded int
	// Standing marks a claim made after the date: a statement that the
	// place was held, taken to hold before it as no capture came between.
	Standing bool
}

// Zone is one actor's area of control.
type Zone struct {
	Actor    string
	Area     orb.MultiPolygon
	Holdings []Holding // the places that shaped it
}

// Front is the line where two actors' zones meet.
type Front struct {
	Actors    [2]string
	Line      orb.MultiLineString
	Contested []bool // per line: near a recent clash
	Clashes   []string
}

// Map is control at one date.
type Map struct {
	Date      time.Time
	Zones     []Zone
	Contested orb.MultiPolygon
	Clashes   []string // ids of the clashes that made land contested
	Fronts    []Front
	// Disputed are the latest claims the sources themselves doubt; they
	// are shown, not drawn into zones.
	Disputed []events.ControlClaim
}

// Control returns, for each place, its latest claim made on or before
// date; disputed claims are set apart. A place with no claim by then
// takes its first later claim, within standingDays, when that is a
// statement or an alignment: it describes control that already stood,
// while a first later capture says the place changed hands then.
func Control(claims []events.ControlClaim, date time.Time, standingDays int) (held []Holding, disputed []events.ControlClaim) {
	day := date.Format("2006-01-02")
	horizon := date.AddDate(0, 0, standingDays).Format("2006-01-02")
	latest := map[int64]Holding{}
	first := map[int64]events.ControlClaim{} // the earliest claim after date
	var order []int64
	for _, c := range claims {
		if c.Date > day {
			if f, ok := first[c.PlaceID]; c.Date <= horizon && !c.Disputed && (!ok || c.Date < f.Date || c.Date == f.Date && c.Kind == events.ClaimCapture) {
				first[c.PlaceID] = c
			}
			continue
		}
		if c.Disputed {
			disputed = append(disputed, c)
			continue
		}
		h, ok := latest[c.PlaceID]
		if !ok {
			order = append(order, c.PlaceID)
		}
		if !ok || c.Date >= h.Date {
			n := h.Superseded
			if ok {
				n++
			}
			latest[c.PlaceID] = Holding{ControlClaim: c, Superseded: n}
		}
	}
	for _, id := range order {
		held = append(held, latest[id])
	}
	var later []Holding
	for id, c := range first {
		if _, ok := latest[id]; !ok && c.Kind != events.ClaimCapture {
			later = append(later, Holding{ControlClaim: c, Standing: true})
		}
	}
	sort.Slice(later, func(i, j int) bool { return later[i].PlaceID < later[j].PlaceID })
	return append(held, later...), disputed
}

// Build draws control at date over country (its land polygon): each cell
// of a grid lying wholly inside the country goes to the actor holding the
// nearest controlled place within reach; the rest stays unassigned. Fronts
// are where two actors' cells meet.
func Build(country orb.MultiPolygon, claims []events.ControlClaim, clashes []Clash, date time.Time, cfg Config) Map {
	cfg = cfg.withDefaults()
	held, disputed := Control(claims, date, cfg.StandingDays)
	m := Map{Date: date, Disputed: disputed}
	if len(held) == 0 || len(country) == 0 {
		return m
	}
	var actors []string
	index := map[string]int{}
	for _, h := range held {
		if _, ok := index[h.Actor]; !ok {
			index[h.Actor] = len(actors)
			actors = append(actors, h.Actor)
		}
	}
	b := country.Bound()
	step := cfg.StepDeg
	g := Grid{MinLon: math.Floor(b.Min[0]/step) * step, MinLat: math.Floor(b.Min[1]/step) * step, Step: step}
	g.Cols = int(math.Ceil((b.Max[0]-g.MinLon)/step)) + 1
	g.Rows = int(math.Ceil((b.Max[1]-g.MinLat)/step)) + 1
	g.Labels = make([]int, g.Cols*g.Rows)
	land := landVertices(g, country)
	near := newNearest(held, index, cfg.ReachKm)
	// cells with any corner on land go to the nearest place; the traced
	// zones then overshoot the coast by less than a cell and are cut to
	// the country's outline. inner keeps only the cells wholly on land,
	// the fallback should the overlay fail on a degenerate outline.
	inner := g
	inner.Labels = make([]int, len(g.Labels))
	for row := 0; row < g.Rows; row++ {
		for col := 0; col < g.Cols; col++ {
			label := -1
			corners := 0
			for _, c := range [4][2]int{{col, row}, {col + 1, row}, {col, row + 1}, {col + 1, row + 1}} {
				if land(c[0], c[1]) {
					corners++
				}
			}
			if corners > 0 {
				label = near.label(g.MinLat+(float64(row)+0.5)*step, g.MinLon+(float64(col)+0.5)*step)
			}
			g.Labels[row*g.Cols+col] = label
			if corners < 4 {
				label = -1
			}
			inner.Labels[row*g.Cols+col] = label
		}
	}
	recent := recentClashes(clashes, date, cfg.ContestedDays)
	for _, c := range recent {
		m.Clashes = append(m.Clashes, c.ID)
	}
	areas, contestedArea, fronts, ok := clipped(g, country, recent, cfg.ContestedKm)
	if !ok {
		areas, contestedArea, fronts = Polygons(inner), contested(inner, recent, cfg.ContestedKm), Frontlines(inner)
	}
	for i, a := range actors {
		if mp := areas[i]; len(mp) > 0 {
			z := Zone{Actor: a, Area: mp}
			for _, h := range held {
				if h.Actor == a {
					z.Holdings = append(z.Holdings, h)
				}
			}
			m.Zones = append(m.Zones, z)
		}
	}
	m.Contested = contestedArea
	pairs := make([][2]int, 0, len(fronts))
	for k := range fronts {
		pairs = append(pairs, k)
	}
	sort.Slice(pairs, func(i, j int) bool {
		return pairs[i][0] < pairs[j][0] || pairs[i][0] == pairs[j][0] && pairs[i][1] < pairs[j][1]
	})
	for _, k := range pairs {
		line := simplify.DouglasPeucker(step / 2).MultiLineString(fronts[k].Clone())
		f := Front{Actors: [2]string{actors[k[0]], actors[k[1]]}, Line: line}
		for _, l := range line {
			f.Contested = append(f.Contested, nearAny(l, recent, cfg.ContestedKm))
		}
		for _, c := range recent {
			f.Clashes = append(f.Clashes, c.ID)
		}
		m.Fronts = append(m.Fronts, f)
	}
	return m
}

// clipped traces zones, contested land and fronts on g and cuts them to
// the country's outline; false when the overlay fails.
func clipped(g Grid, country orb.MultiPolygon, recent []Clash, contestedKm float64) (map[int]orb.MultiPolygon, orb.MultiPolygon, map[[2]int]orb.MultiLineString, bool) {
	o, err := newOutline(country)
	if err != nil {
		return nil, nil, nil, false
	}
	areas := Polygons(g)
	for k, mp := range areas {
		if areas[k], err = o.polygons(mp); err != nil {
			return nil, nil, nil, false
		}
	}
	disputed, err := o.polygons(contested(g, recent, contestedKm))
	if err != nil {
		return nil, nil, nil, false
	}
	fronts := Frontlines(g)
	for k, l := range fronts {
		if fronts[k], err = o.lines(l); err != nil {
			return nil, nil, nil, false
		}
		if len(fronts[k]) == 0 {
			delete(fronts, k)
		}
	}
	return areas, disputed, fronts, true
}

// landVertices reports which vertices of the grid lie inside country,
// by even-odd crossings along each row of vertices: one pass over the
// polygon's edges per row rather than one per vertex.
func landVertices(g Grid, country orb.MultiPolygon) func(i, j int) bool {
	width := g.Cols + 1
	inside := make([]bool, width*(g.Rows+1))
	var xs []float64
	for j := 0; j <= g.Rows; j++ {
		y := g.MinLat + float64(j)*g.Step
		xs = xs[:0]
		for _, poly := range country {
			for _, ring := range poly {
				for k := range ring {
					a, b := ring[k], ring[(k+1)%len(ring)]
					if (a[1] > y) != (b[1] > y) {
						xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
					}
				}
			}
		}
		sort.Float64s(xs)
		k := 0
		for i := 0; i <= g.Cols; i++ {
			x := g.MinLon + float64(i)*g.Step
			for k < len(xs) && xs[k] < x {
				k++
			}
			inside[j*width+i] = k%2 == 1
		}
	}
	return func(i, j int) bool { return inside[j*width+i] }
}

// nearest finds the holding nearest a point on the sphere: the greatest
// dot product of unit vectors is the smallest great-circle distance.
type nearest struct {
	xyz    [][3]float64
	labels []int
	minDot float64 // the dot product at the reach
}

func newNearest(held []Holding, index map[string]int, reachKm float64) nearest {
	n := nearest{minDot: math.Cos(reachKm / earthRadiusKm)}
	for _, h := range held {
		n.xyz = append(n.xyz, unitVector(h.Lat, h.Lon))
		n.labels = append(n.labels, index[h.Actor])
	}
	return n
}

// label is the actor index of the nearest holding within reach, or -1.
func (n nearest) label(lat, lon float64) int {
	p := unitVector(lat, lon)
	best, bestDot := -1, n.minDot
	for i, q := range n.xyz {
		if d := p[0]*q[0] + p[1]*q[1] + p[2]*q[2]; d >= bestDot {
			best, bestDot = n.labels[i], d
		}
	}
	return best
}

func unitVector(lat, lon float64) [3]float64 {
	phi, lambda := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(phi) * math.Cos(lambda), math.Cos(phi) * math.Sin(lambda), math.Sin(phi)}
}

// recentClashes are the clashes of the days before date, date included.
func recentClashes(cs []Clash, date time.Time, days int) []Clash {
	var out []Clash
	from := date.AddDate(0, 0, -days)
	for _, c := range cs {
		if !c.Date.After(date) && !c.Date.Before(from) {
			out = append(out, c)
		}
	}
	return out
}

// contested is the assigned land within km of a recent clash.
func contested(g Grid, clashes []Clash, km float64) orb.MultiPolygon {
	if len(clashes) == 0 {
		return nil
	}
	c := Grid{MinLon: g.MinLon, MinLat: g.MinLat, Step: g.Step, Cols: g.Cols, Rows: g.Rows, Labels: make([]int, len(g.Labels))}
	for i := range c.Labels {
		c.Labels[i] = -1
	}
	minDot := math.Cos(km / earthRadiusKm)
	dLat := km / earthRadiusKm * 180 / math.Pi
	for _, cl := range clashes {
		// only the cells within the clash's box can be within km of it
		dLon := 180.0
		if cosLat := math.Cos((math.Abs(cl.Lat) + dLat) * math.Pi / 180); cosLat > 0 {
			dLon = math.Min(180, dLat/cosLat)
		}
		q := unitVector(cl.Lat, cl.Lon)
		row0, row1 := max(0, int(math.Floor((cl.Lat-dLat-g.MinLat)/g.Step))), min(g.Rows-1, int(math.Floor((cl.Lat+dLat-g.MinLat)/g.Step)))
		col0, col1 := max(0, int(math.Floor((cl.Lon-dLon-g.MinLon)/g.Step))), min(g.Cols-1, int(math.Floor((cl.Lon+dLon-g.MinLon)/g.Step)))
		for row := row0; row <= row1; row++ {
			for col := col0; col <= col1; col++ {
				if g.At(col, row) < 0 {
					continue
				}
				p := unitVector(g.MinLat+(float64(row)+0.5)*g.Step, g.MinLon+(float64(col)+0.5)*g.Step)
				if p[0]*q[0]+p[1]*q[1]+p[2]*q[2] >= minDot {
					c.Labels[row*g.Cols+col] = 0
				}
			}
		}
	}
	return Polygons(c)[0]
}

func nearAny(l orb.LineString, clashes []Clash, km float64) bool {
	for _, p := range l {
		for _, c := range clashes {
			if haversineKm(p[1], p[0], c.Lat, c.Lon) <= km {
				return true
			}
		}
	}
	return false
}

const earthRadiusKm = 6371.0088

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = earthRadiusKm
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// ActorAt names the actor whose zone holds the point, or whose zone lies
// within tolDeg of it: coastal cities sit on generalised coastlines, so
// their points may fall just offshore of the land the grid covers.
func (m Map) ActorAt(lat, lon, tolDeg float64) string {
	p := orb.Point{lon, lat}
	for _, z := range m.Zones {
		if planar.MultiPolygonContains(z.Area, p) {
			return z.Actor
		}
	}
	best, bestD := "", tolDeg
	for _, z := range m.Zones {
		for _, poly := range z.Area {
			for _, ring := range poly {
				for _, v := range ring {
					if d := math.Hypot(v[0]-lon, v[1]-lat); d < bestD {
						best, bestD = z.Actor, d
					}
				}
			}
		}
	}
	return best
}
