package server

import (
	"net/url"
	"testing"

	"github.com/conflictmap/conflictmap/geo/render"
)

// FuzzStaticQuery: any query either fails with a 4xx problem or gives a
// size within bounds and a view that is a bound or a centre, not both.
func FuzzStaticQuery(f *testing.F) {
	for _, s := range []string{"", "bbox=9,29,17,34", "center=32.5,13.5&zoom=7", "width=4096&height=64", "layers=zones,events&date=2019-04-07",
		"bbox=170,0,-170,10", "center=NaN,1&zoom=3", "zoom=1e309&center=1,1", "width=-1", "date=2019-04-01/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sq, err := parseStaticQuery(q)
		if err != nil {
			p, ok := err.(*Problem)
			if !ok || p.Status < 400 || p.Status >= 500 {
				t.Fatalf("query %q: error %v is not a 4xx problem", raw, err)
			}
			return
		}
		if sq.width < 64 || sq.width > render.MaxStaticSize || sq.height < 64 || sq.height > render.MaxStaticSize {
			t.Fatalf("query %q: size %dx%d out of bounds", raw, sq.width, sq.height)
		}
		if sq.view.HasBound && sq.view.HasCenter {
			t.Fatalf("query %q: both a bound and a centre", raw)
		}
		if c := sq.view.Center; sq.view.HasCenter && !(sq.view.Zoom >= 0 && sq.view.Zoom <= 22 && c[1] >= -85 && c[1] <= 85 && c[0] >= -180 && c[0] <= 180) {
			t.Fatalf("query %q: centre %v, zoom %v", raw, c, sq.view.Zoom)
		}
	})
}
