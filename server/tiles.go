package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/render"
	"github.com/conflictmap/conflictmap/geo/tiles"
)

// tileLayers are the layers of a vector tile, drawn bottom to top.
var tileLayers = []string{"zones", "frontlines", "estimates", "distances", "places", "events"}

// tileSet is every layer indexed for tiling, for one date selection.
type tileSet struct {
	layers   map[string]*tiles.Layer
	features map[string][]*geojson.Feature
}

// tileCache keeps tile sets until the store changes.
type tileCache struct {
	mu      sync.Mutex
	version int64
	sets    map[string]*tileSet
	// encoded holds tiles already built, by path and query, up to
	// maxEncodedBytes in all; nil bytes stand for an empty tile. zipped
	// holds the gzipped forms asked for.
	encoded      map[string][]byte
	zipped       map[string][]byte
	encodedBytes int
}

// gzipped returns the gzipped form of a kept tile, made once.
func (c *tileCache) gzipped(version int64, key string, raw []byte) ([]byte, error) {
	c.mu.Lock()
	z, ok := c.zipped[key]
	ok = ok && c.version == version
	c.mu.Unlock()
	if ok {
		return z, nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, fmt.Errorf("gzip tile: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip tile: %w", err)
	}
	c.mu.Lock()
	if c.version == version && c.zipped != nil && c.encodedBytes+buf.Len() <= maxEncodedBytes {
		c.zipped[key] = buf.Bytes()
		c.encodedBytes += buf.Len()
	}
	c.mu.Unlock()
	return buf.Bytes(), nil
}

// maxEncodedBytes bounds the encoded tiles kept.
const maxEncodedBytes = 64 << 20

// ParseTile reads z, x and y of an XYZ tile address.
func ParseTile(zs, xs, ys string) (maptile.Tile, error) {
	z, err := strconv.ParseUint(zs, 10, 8)
	if err != nil || z > tiles.MaxZoom {
		return maptile.Tile{}, fmt.Errorf("zoom %q is not a whole number from 0 to %d", zs, tiles.MaxZoom)
	}
	n := uint64(1) << z
	x, err := strconv.ParseUint(xs, 10, 32)
	if err != nil || x >= n {
		return maptile.Tile{}, fmt.Errorf("x %q is not a whole number from 0 to %d at zoom %d", xs, n-1, z)
	}
	y, err := strconv.ParseUint(ys, 10, 32)
	if err != nil || y >= n {
		return maptile.Tile{}, fmt.Errorf("y %q is not a whole number from 0 to %d at zoom %d", ys, n-1, z)
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// tileQuery is what a tile request selects beyond its address.
type tileQuery struct {
	when    Interval
	hasWhen bool
}

func parseTileQuery(r *http.Request) (tileQuery, error) {
	var tq tileQuery
	if r.URL.RawQuery == "" {
		return tq, nil
	}
	for k, vs := range r.URL.Query() {
		switch {
		case k != "date" && k != "datetime":
			return tq, badRequest("unknown query parameter %q (known: date)", k)
		case len(vs) > 1:
			return tq, badRequest("query parameter %q is given %d times", k, len(vs))
		}
		iv, err := ParseDatetime(vs[0])
		if err != nil {
			return tq, badRequest("%s: %v", k, err)
		}
		tq.when, tq.hasWhen = iv, true
	}
	return tq, nil
}

// key names the date selection in the cache.
func (tq tileQuery) key() string {
	if !tq.hasWhen {
		return ""
	}
	k := "..|.."
	if tq.when.HasStart {
		k = tq.when.Start.Format("2006-01-02") + k[2:]
	}
	if tq.when.HasEnd {
		k = k[:len(k)-2] + tq.when.End.Format("2006-01-02")
	}
	return k
}

// reset empties the cache when the store's version moved on; the caller
// holds mu.
func (c *tileCache) reset(version int64) {
	if c.version != version || c.sets == nil {
		c.version, c.sets, c.encoded, c.zipped, c.encodedBytes = version, map[string]*tileSet{}, map[string][]byte{}, map[string][]byte{}, 0
	}
}

// encodedTile returns the bytes of a tile built before for this version.
func (c *tileCache) encodedTile(version int64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(version)
	b, ok := c.encoded[key]
	return b, ok
}

// keepTile remembers a built tile.
func (c *tileCache) keepTile(version int64, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return
	}
	if c.encodedBytes+len(b) > maxEncodedBytes {
		c.encoded, c.zipped, c.encodedBytes = map[string][]byte{}, map[string][]byte{}, 0
	}
	c.encoded[key] = b
	c.encodedBytes += len(b) + len(key)
}

// tileSet builds, or finds, the indexed layers for a date selection.
func (s *Server) tileSet(ctx context.Context, tq tileQuery) (*tileSet, int64, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return nil, 0, err
	}
	key := tq.key()
	s.tiles.mu.Lock()
	s.tiles.reset(v)
	if ts, ok := s.tiles.sets[key]; ok {
		s.tiles.mu.Unlock()
		return ts, v, nil
	}
	s.tiles.mu.Unlock()

	ts := &tileSet{layers: map[string]*tiles.Layer{}, features: map[string][]*geojson.Feature{}}
	for _, id := range tileLayers {
		lkey := ""
		if id == "zones" || id == "frontlines" {
			lkey = controlKey(itemsQuery{when: tq.when, hasWhen: tq.hasWhen})
		}
		l, _, err := s.layer(ctx, id, lkey)
		var p *Problem
		if errors.As(err, &p) && p.Status == http.StatusNotFound {
			continue // no focal place for distances yet
		}
		if err != nil {
			return nil, 0, err
		}
		var fs []*geojson.Feature
		for i, f := range l.features {
			if tq.hasWhen && id != "zones" && id != "frontlines" {
				if l.from[i].IsZero() || !tq.when.Overlaps(l.from[i], l.to[i]) {
					continue
				}
			}
			fs = append(fs, f)
		}
		ts.layers[id] = tiles.NewLayer(id, fs)
		ts.features[id] = fs
	}
	s.tiles.mu.Lock()
	if s.tiles.version == v {
		if len(s.tiles.sets) >= maxCachedLayers {
			s.tiles.sets = map[string]*tileSet{}
		}
		s.tiles.sets[key] = ts
	}
	s.tiles.mu.Unlock()
	return ts, v, nil
}

// tileFormats are the tile files served, by suffix.
var tileFormats = []struct {
	suffix string
	raster bool
	scale  float64
}{{"@2x.png", true, 2}, {".png", true, 1}, {".mvt", false, 0}}

// basemapLayer names the raster tiles of the basemap alone, which a map
// page draws its own interactive overlays on.
const basemapLayer = "basemap"

// handleTile serves /tiles/{z}/{x}/{y}.mvt, .png and @2x.png, and
// /tiles/{layer}/{z}/{x}/{y}.mvt.
func (s *Server) handleTile(w http.ResponseWriter, r *http.Request) error {
	file := chi.URLParam(r, "file")
	format := -1
	for i, f := range tileFormats {
		if strings.HasSuffix(file, f.suffix) {
			format = i
			break
		}
	}
	layerName := chi.URLParam(r, "layer")
	if format < 0 || tileFormats[format].raster && layerName != "" && layerName != basemapLayer {
		return notFound("no tile %q: tiles are {y}.mvt, {y}.png or {y}@2x.png (raster tiles have all layers, or the basemap alone under /tiles/basemap/)", file)
	}
	t, err := ParseTile(chi.URLParam(r, "z"), chi.URLParam(r, "x"), strings.TrimSuffix(file, tileFormats[format].suffix))
	if err != nil {
		return badRequest("tile address: %v", err)
	}
	switch {
	case tileFormats[format].raster && layerName == basemapLayer:
		return s.basemapTile(w, r, t, tileFormats[format].scale)
	case tileFormats[format].raster:
		return s.rasterTile(w, r, t, tileFormats[format].scale)
	}
	ids := tileLayers
	if name := layerName; name != "" {
		if !knownTileLayer(name) {
			return notFound("no tile layer %q (layers: %v)", name, tileLayers)
		}
		ids = []string{name}
	}
	data, version, done, err := s.builtTile(w, r, func(set *tileSet) ([]byte, error) {
		var layers []*tiles.Layer
		for _, id := range ids {
			if l := set.layers[id]; l != nil {
				layers = append(layers, l)
			}
		}
		return tiles.Marshal(tiles.Tile(t, layers...))
	})
	if err != nil || done {
		return err
	}
	if len(data) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	w.Header().Set("Content-Type", mvtType)
	w.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		if data, err = s.tiles.gzipped(version, r.URL.Path+"?"+r.URL.RawQuery, data); err != nil {
			return err
		}
		w.Header().Set("Content-Encoding", "gzip")
	}
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(data)
	return err
}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// mvtType is the media type of a Mapbox Vector Tile.
const mvtType = "application/vnd.mapbox-vector-tile"

func knownTileLayer(name string) bool {
	for _, id := range tileLayers {
		if id == name {
			return true
		}
	}
	return false
}

// handleTileJSON serves TileJSON 3.0.0 for the vector tiles.
func (s *Server) handleTileJSON(w http.ResponseWriter, r *http.Request) error {
	tq, err := parseTileQuery(r)
	if err != nil {
		return err
	}
	set, _, err := s.tileSet(r.Context(), tq)
	if err != nil {
		return err
	}
	b := baseURL(r)
	suffix := ""
	if r.URL.RawQuery != "" {
		suffix = "?" + r.URL.RawQuery
	}
	bounds := []float64{-180, -85.0511, 180, 85.0511}
	if b, ok := set.bound(); ok {
		bounds = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	vectorLayers := set.vectorLayers()
	center := []float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 5}
	return writeJSON(w, r, "application/json", map[string]any{
		"tilejson": "3.0.0", "name": "conflictmap", "scheme": "xyz",
		"tiles":   []string{b + "/tiles/{z}/{x}/{y}.mvt" + suffix},
		"minzoom": 0, "maxzoom": tiles.MaxZoom, "bounds": bounds, "center": center,
		"attribution":   "GeoNames (CC BY 4.0), Natural Earth; events from the stored articles",
		"vector_layers": vectorLayers,
	})
}

// rasterTile serves a PNG tile: the basemap with every overlay.
func (s *Server) rasterTile(w http.ResponseWriter, r *http.Request, t maptile.Tile, scale float64) error {
	data, _, done, err := s.builtTile(w, r, func(set *tileSet) ([]byte, error) {
		m := render.Map{Base: s.basemap, Fonts: s.fonts, Layers: set.features}
		return render.EncodePNG(m.Tile(t, scale))
	})
	if err != nil || done {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(data)
	return err
}

// bound is the extent of every layer's features.
func (ts *tileSet) bound() (orb.Bound, bool) {
	var b orb.Bound
	found := false
	for _, id := range tileLayers {
		l := ts.layers[id]
		if l == nil {
			continue
		}
		if lb, ok := l.Bound(); ok {
			if !found {
				b, found = lb, true
			} else {
				b = b.Union(lb)
			}
		}
	}
	return b, found
}

// vectorLayers describes the layers as TileJSON's vector_layers.
func (ts *tileSet) vectorLayers() []map[string]any {
	var out []map[string]any
	for _, id := range tileLayers {
		l := ts.layers[id]
		if l == nil {
			continue
		}
		desc := id
		for _, c := range collections {
			if c.ID == id {
				desc = c.Title + ": " + c.Description
			}
		}
		out = append(out, map[string]any{"id": id, "fields": l.Fields(), "minzoom": 0, "maxzoom": tiles.MaxZoom, "description": desc})
	}
	return out
}

// builtTile answers 304 when the client holds the tile (done), else
// returns the tile's bytes, built once per store version by build.
func (s *Server) builtTile(w http.ResponseWriter, r *http.Request, build func(*tileSet) ([]byte, error)) (data []byte, version int64, done bool, err error) {
	tq, err := parseTileQuery(r)
	if err != nil {
		return nil, 0, false, err
	}
	version, err = s.store.Version(r.Context())
	if err != nil {
		return nil, 0, false, err
	}
	if cached(w, r, version) {
		return nil, version, true, nil
	}
	key := r.URL.Path + "?" + r.URL.RawQuery
	if data, ok := s.tiles.encodedTile(version, key); ok {
		return data, version, false, nil
	}
	set, v, err := s.tileSet(r.Context(), tq)
	if err != nil {
		return nil, 0, false, err
	}
	if data, err = build(set); err != nil {
		return nil, 0, false, err
	}
	s.tiles.keepTile(v, key, data)
	return data, v, false, nil
}
