package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// The endpoint classes latencies are reported by.
const (
	classItems  = "items"
	classMVT    = "mvt"
	classPNG    = "png"
	classStatic = "static"
	classPost   = "post"
)

// readClasses are the reader's classes, in report order, with the share
// of requests each gets (out of 100): the mix a map page makes, tiles
// first, with GIS clients reading items and the odd static image.
var readClasses = []struct {
	name  string
	share int
}{{classItems, 35}, {classMVT, 30}, {classPNG, 25}, {classStatic, 10}}

var collectionIDs = []string{"places", "events", "estimates", "distances", "zones", "frontlines"}

// target is one request a reader makes.
type target struct {
	class string
	path  string // path and query
}

// picker draws random read targets over the data's area and dates.
type picker struct {
	rng  *rand.Rand
	area loadtest.Area
}

func newPicker(seed uint64, area loadtest.Area) *picker {
	return &picker{rng: rand.New(rand.NewPCG(seed, seed+1)), area: area}
}

// next draws a target by the shares of readClasses.
func (p *picker) next() target {
	n := p.rng.IntN(100)
	for _, c := range readClasses {
		if n < c.share {
			return p.of(c.name)
		}
		n -= c.share
	}
	return p.of(classItems)
}

// of draws a target of one class.
func (p *picker) of(class string) target {
	switch class {
	case classMVT:
		return target{classMVT, p.tilePath(14) + ".mvt"}
	case classPNG:
		return target{classPNG, p.tilePath(11) + ".png"}
	case classStatic:
		return target{classStatic, p.staticPath()}
	default:
		return target{classItems, p.itemsPath()}
	}
}

// tilePath is a tile at low zoom anywhere on the world (a quarter of
// them) or over the data's area up to maxZoom.
func (p *picker) tilePath(maxZoom int) string {
	if p.rng.IntN(4) == 0 {
		z := p.rng.IntN(4)
		n := 1 << z
		return fmt.Sprintf("/tiles/%d/%d/%d", z, p.rng.IntN(n), p.rng.IntN(n))
	}
	z := 2 + p.rng.IntN(maxZoom-1)
	t := maptile.At(p.point(), maptile.Zoom(z))
	return fmt.Sprintf("/tiles/%d/%d/%d", t.Z, t.X, t.Y)
}

// point is near an event half of the time (where the features are),
// else anywhere in the area.
func (p *picker) point() orb.Point {
	if len(p.area.Events) > 0 && p.rng.IntN(2) == 0 {
		e := p.area.Events[p.rng.IntN(len(p.area.Events))]
		return orb.Point{clamp(e[0]+p.rng.NormFloat64()*0.3, -180, 180), clamp(e[1]+p.rng.NormFloat64()*0.3, -85, 85)}
	}
	b := p.area.Bound
	return orb.Point{b.Min[0] + p.rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + p.rng.Float64()*(b.Max[1]-b.Min[1])}
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }

// bbox is a box of 0.5 to 10 degrees inside the area.
func (p *picker) bbox() orb.Bound {
	c := p.point()
	w, h := 0.25+p.rng.Float64()*4.75, 0.25+p.rng.Float64()*4.75
	return orb.Bound{Min: orb.Point{clamp(c[0]-w, -180, 180), clamp(c[1]-h, -85, 85)},
		Max: orb.Point{clamp(c[0]+w, -180, 180), clamp(c[1]+h, -85, 85)}}
}

func formatBBox(b orb.Bound) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	return f(b.Min[0]) + "," + f(b.Min[1]) + "," + f(b.Max[0]) + "," + f(b.Max[1])
}

// day draws a date within the data's range, widened by a week each way.
func (p *picker) day() time.Time {
	from := p.area.From.AddDate(0, 0, -7)
	days := int(p.area.To.Sub(from).Hours()/24) + 8
	return from.AddDate(0, 0, p.rng.IntN(days))
}

// itemsPath is a page of a random collection with a random bbox,
// datetime (an instant, a closed or half-open interval) and limit.
func (p *picker) itemsPath() string {
	q := url.Values{}
	if p.rng.IntN(3) > 0 {
		q.Set("bbox", formatBBox(p.bbox()))
	}
	switch p.rng.IntN(4) {
	case 0:
		q.Set("datetime", p.day().Format("2006-01-02"))
	case 1:
		a, b := p.day(), p.day()
		if b.Before(a) {
			a, b = b, a
		}
		q.Set("datetime", a.Format("2006-01-02")+"/"+b.Format("2006-01-02"))
	case 2:
		q.Set("datetime", p.day().Format("2006-01-02")+"/..")
	}
	q.Set("limit", strconv.Itoa([]int{10, 100, 500, 1000}[p.rng.IntN(4)]))
	return "/collections/" + collectionIDs[p.rng.IntN(len(collectionIDs))] + "/items?" + q.Encode()
}

// staticSizes are the small images asked for (the server draws up to 4096).
var staticSizes = []int{128, 256, 320, 400, 512}

func (p *picker) staticPath() string {
	q := url.Values{}
	q.Set("bbox", formatBBox(p.bbox()))
	q.Set("width", strconv.Itoa(staticSizes[p.rng.IntN(len(staticSizes))]))
	q.Set("height", strconv.Itoa(staticSizes[p.rng.IntN(len(staticSizes))]))
	return "/static.png?" + q.Encode()
}
