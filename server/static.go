package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/render"
)

// staticQuery is a parsed /static.png request.
type staticQuery struct {
	tiles         tileQuery
	view          render.View
	width, height int
	layers        map[string]bool
}

var knownStaticParams = map[string]bool{"bbox": true, "center": true, "zoom": true, "width": true, "height": true, "layers": true, "date": true}

// parseStaticQuery reads bbox or center and zoom, width, height, layers
// and date.
func parseStaticQuery(q url.Values) (staticQuery, error) {
	sq := staticQuery{width: 1024, height: 768, layers: map[string]bool{}}
	for k, vs := range q {
		if !knownStaticParams[k] {
			return sq, badRequest("unknown query parameter %q (known: bbox, center, zoom, width, height, layers, date)", k)
		}
		if len(vs) > 1 {
			return sq, badRequest("query parameter %q is given %d times", k, len(vs))
		}
	}
	var err error
	if sq.width, err = parseCount("width", q.Get("width"), 1024, render.MaxStaticSize); err != nil {
		return sq, badRequest("%v", err)
	}
	if sq.height, err = parseCount("height", q.Get("height"), 768, render.MaxStaticSize); err != nil {
		return sq, badRequest("%v", err)
	}
	if sq.width < 64 || sq.height < 64 {
		return sq, badRequest("width and height must be 64 pixels or more, got %d×%d", sq.width, sq.height)
	}
	switch {
	case q.Has("bbox") && (q.Has("center") || q.Has("zoom")):
		return sq, badRequest("give either bbox or center and zoom, not both")
	case q.Has("bbox"):
		b, wrap, err := ParseBBox(q.Get("bbox"))
		if err != nil {
			return sq, badRequest("%v", err)
		}
		if wrap {
			return sq, badRequest("a static map cannot cross the antimeridian: bbox %q has minLon > maxLon", q.Get("bbox"))
		}
		sq.view = render.View{Bound: b, HasBound: true}
	case q.Has("center") != q.Has("zoom"):
		return sq, badRequest("center and zoom go together")
	case q.Has("center"):
		center, err := ParseLatLon(q.Get("center"), 85)
		if err != nil {
			return sq, badRequest("center: %v", err)
		}
		z, err := strconv.ParseFloat(q.Get("zoom"), 64)
		if err != nil || !(z >= 0 && z <= 22) {
			return sq, badRequest("zoom %q is not a number from 0 to 22", q.Get("zoom"))
		}
		sq.view = render.View{Center: center, Zoom: z, HasCenter: true}
	}
	switch {
	case q.Has("layers") && strings.TrimSpace(q.Get("layers")) == "":
		// layers= draws the basemap alone
	case q.Has("layers"):
		for _, l := range strings.Split(q.Get("layers"), ",") {
			l = strings.TrimSpace(l)
			if !knownTileLayer(l) {
				return sq, badRequest("layer %q is not one of %v", l, render.OverlayOrder)
			}
			sq.layers[l] = true
		}
	default:
		for _, l := range render.OverlayOrder {
			sq.layers[l] = true
		}
	}
	if q.Has("date") {
		iv, err := ParseDatetime(q.Get("date"))
		if err != nil {
			return sq, badRequest("date: %v", err)
		}
		sq.tiles = tileQuery{when: iv, hasWhen: true}
	}
	return sq, nil
}

// handleStatic serves /static.png.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	sq, err := parseStaticQuery(r.URL.Query())
	if err != nil {
		return err
	}
	version, err := s.store.Version(r.Context())
	if err != nil {
		return err
	}
	if cached(w, r, version) {
		return nil
	}
	data, err := s.staticPNG(r.Context(), sq)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(data)
	return err
}

// StaticPNG draws the static map a /static.png query describes; a bad
// query is a *Problem saying what is wrong.
func (s *Server) StaticPNG(ctx context.Context, query url.Values) ([]byte, error) {
	sq, err := parseStaticQuery(query)
	if err != nil {
		return nil, err
	}
	return s.staticPNG(ctx, sq)
}

func (s *Server) staticPNG(ctx context.Context, sq staticQuery) ([]byte, error) {
	set, _, err := s.tileSet(ctx, sq.tiles)
	if err != nil {
		return nil, err
	}
	layers := map[string][]*geojson.Feature{}
	for id, fs := range set.features {
		if sq.layers[id] {
			layers[id] = fs
		}
	}
	if !sq.view.HasBound && !sq.view.HasCenter {
		sq.view = render.View{Bound: fitBound(set.features), HasBound: true}
	}
	m := render.Map{Base: s.basemap, Fonts: s.fonts, Layers: layers}
	img := m.Static(render.StaticOptions{Width: sq.width, Height: sq.height, View: sq.view,
		Title: staticTitle(sq.tiles, set.features), Attribution: attribution(layers["events"])})
	return render.EncodePNG(img)
}

// fitBound is what a map shows by default: every event, else every place,
// else the world; a lone point gets some land around it.
func fitBound(features map[string][]*geojson.Feature) orb.Bound {
	for _, id := range []string{"events", "places"} {
		fs := features[id]
		if len(fs) == 0 {
			continue
		}
		b := fs[0].Geometry.Bound()
		for _, f := range fs[1:] {
			b = b.Union(f.Geometry.Bound())
		}
		if b.Max[0]-b.Min[0] < 1 && b.Max[1]-b.Min[1] < 1 {
			b = b.Pad(0.75)
		}
		return b
	}
	return orb.Bound{Min: orb.Point{-170, -58}, Max: orb.Point{170, 75}}
}

// staticTitle names the day or days shown.
func staticTitle(tq tileQuery, features map[string][]*geojson.Feature) string {
	if tq.hasWhen {
		from, to := "…", "…"
		if tq.when.HasStart {
			from = tq.when.Start.Format("2 January 2006")
		}
		if tq.when.HasEnd {
			to = tq.when.End.Format("2 January 2006")
		}
		if from == to {
			return "Situation on " + from
		}
		return fmt.Sprintf("Events %s – %s", from, to)
	}
	first, last := "", ""
	for _, f := range features["events"] {
		d, _ := f.Properties["date"].(string)
		if d != "" && (first == "" || d < first) {
			first = d
		}
		if d > last {
			last = d
		}
	}
	if first == "" {
		return "No events"
	}
	return fmt.Sprintf("Events %s to %s", first, last)
}

// attribution credits the data and the articles the events come from.
func attribution(events []*geojson.Feature) string {
	seen := map[string]bool{}
	for _, f := range events {
		srcs, _ := f.Properties["sources"].([]any)
		for _, s := range srcs {
			m, _ := s.(map[string]any)
			if name, _ := m["source"].(string); name != "" {
				seen[name] = true
			}
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	text := "GeoNames (CC BY 4.0) · Natural Earth"
	if len(names) > 4 {
		names = append(names[:4], fmt.Sprintf("%d more", len(names)-4))
	}
	if len(names) > 0 {
		text += " · sources: " + strings.Join(names, ", ")
	}
	return text
}
