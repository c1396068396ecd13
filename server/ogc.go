package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// link is an OGC API link.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// baseURL is the absolute URL of the server as the client reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// checkFormat accepts f=json (and nothing else) for JSON endpoints.
func checkFormat(r *http.Request) error {
	switch f := r.URL.Query().Get("f"); f {
	case "", "json", "geojson", "application/json", "application/geo+json":
		return nil
	default:
		return problem(http.StatusBadRequest, "f=%q is not offered: use f=json", f)
	}
}

func writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Cache-Control", "public, max-age=30")
	etag := fmt.Sprintf(`"%x"`, hash64(body))
	w.Header().Set("ETag", etag)
	if notModified(r, etag) {
		w.WriteHeader(http.StatusNotModified) // no Content-Type: nothing to compress
		return nil
	}
	w.Header().Set("Content-Type", contentType)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(body)
	return err
}

// hash64 is FNV-1a, enough for an ETag.
func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (s *Server) handleLanding(w http.ResponseWriter, r *http.Request) error {
	w.Header().Add("Vary", "Accept")
	if s.page != nil && wantsPage(r) {
		return s.servePageFile(w, r, pageIndex)
	}
	if err := checkFormat(r); err != nil {
		return err
	}
	b := baseURL(r)
	links := []link{
		{b + "/", "self", "application/json", "this document"},
		{b + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"},
		{b + "/conformance", "conformance", "application/json", "OGC API conformance classes"},
		{b + "/collections", "data", "application/json", "the map's layers"},
		{b + "/api/articles", "related", "application/json", "the stored articles"},
	}
	if s.page != nil {
		links = append(links, link{b + "/?f=html", "alternate", "text/html", "the map page"})
	}
	return writeJSON(w, r, "application/json", map[string]any{
		"title":       "conflictmap",
		"description": "Places, events, relative estimates and distances read from news articles about armed conflict.",
		"links":       links,
	})
}

var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}

func (s *Server) handleConformance(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormat(r); err != nil {
		return err
	}
	return writeJSON(w, r, "application/json", map[string]any{"conformsTo": conformance})
}

func (s *Server) handleAPIDefinition(w http.ResponseWriter, r *http.Request) error {
	paths := map[string]any{}
	for _, p := range []string{"/", "/conformance", "/collections", "/collections/{collectionId}",
		"/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"} {
		paths[p] = map[string]any{"get": map[string]any{"responses": map[string]any{"200": map[string]any{"description": "OK"}}}}
	}
	return writeJSON(w, r, "application/vnd.oai.openapi+json;version=3.0", map[string]any{
		"openapi": "3.0.3", "info": map[string]any{"title": "conflictmap", "version": "1"}, "paths": paths,
	})
}

// collectionJSON describes a collection with its extent.
func (s *Server) collectionJSON(r *http.Request, c collectionInfo) (map[string]any, error) {
	l, _, err := s.layer(r.Context(), c.ID, "")
	var p *Problem
	if errors.As(err, &p) && p.Status == http.StatusNotFound {
		l, err = &layer{}, nil // no default focal city yet: no extent
	}
	if err != nil {
		return nil, err
	}
	b := baseURL(r)
	out := map[string]any{
		"id": c.ID, "title": c.Title, "description": c.Description, "itemType": "feature",
		"crs": []string{"http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
		"links": []link{
			{b + "/collections/" + c.ID, "self", "application/json", c.Title},
			{b + "/collections/" + c.ID + "/items", "items", "application/geo+json", c.Title + " as GeoJSON"},
		},
	}
	interval := l.interval
	if c.ID == "zones" || c.ID == "frontlines" {
		// the days datetime can pick: those of the events
		ev, _, err := s.layer(r.Context(), "events", "")
		if err != nil {
			return nil, err
		}
		interval = ev.interval
	}
	if len(l.features) > 0 {
		ext := map[string]any{"spatial": map[string]any{"bbox": [][]float64{l.extent[:]}, "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
		if interval[0] != "" {
			ext["temporal"] = map[string]any{"interval": [][]string{{interval[0], interval[1]}}}
		}
		out["extent"] = ext
	}
	return out, nil
}

func (s *Server) handleCollections(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormat(r); err != nil {
		return err
	}
	var cs []map[string]any
	for _, c := range collections {
		cj, err := s.collectionJSON(r, c)
		if err != nil {
			return err
		}
		cs = append(cs, cj)
	}
	b := baseURL(r)
	return writeJSON(w, r, "application/json", map[string]any{
		"links":       []link{{b + "/collections", "self", "application/json", "the layers"}},
		"collections": cs,
	})
}

func (s *Server) collectionFromPath(r *http.Request) (collectionInfo, error) {
	id := chi.URLParam(r, "collection")
	c, ok := collectionByID(id)
	if !ok {
		var ids []string
		for _, c := range collections {
			ids = append(ids, c.ID)
		}
		return c, notFound("no collection %q; there are %s", id, strings.Join(ids, ", "))
	}
	return c, nil
}

func (s *Server) handleCollection(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormat(r); err != nil {
		return err
	}
	c, err := s.collectionFromPath(r)
	if err != nil {
		return err
	}
	cj, err := s.collectionJSON(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, r, "application/json", cj)
}

// itemsQuery is a parsed items request.
type itemsQuery struct {
	bbox          orb.Bound
	hasBBox, wrap bool
	when          Interval
	hasWhen       bool
	limit, offset int
	from          string
}

// knownItemParams are the query parameters the items endpoint reads.
var knownItemParams = map[string]bool{"bbox": true, "datetime": true, "limit": true, "offset": true, "f": true, "from": true, "bbox-crs": true}

func parseItemsQuery(q url.Values) (itemsQuery, error) {
	var iq itemsQuery
	for k, vs := range q {
		if !knownItemParams[k] {
			return iq, badRequest("unknown query parameter %q (known: bbox, datetime, limit, offset, from, f)", k)
		}
		if len(vs) > 1 {
			return iq, badRequest("query parameter %q is given %d times", k, len(vs))
		}
	}
	if c := q.Get("bbox-crs"); c != "" && c != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" {
		return iq, badRequest("bbox-crs %q is not supported: only CRS84", c)
	}
	var err error
	if s := q.Get("bbox"); s != "" || q.Has("bbox") {
		if iq.bbox, iq.wrap, err = ParseBBox(s); err != nil {
			return iq, badRequest("%v", err)
		}
		iq.hasBBox = true
	}
	if s := q.Get("datetime"); s != "" || q.Has("datetime") {
		if iq.when, err = ParseDatetime(s); err != nil {
			return iq, badRequest("%v", err)
		}
		iq.hasWhen = true
	}
	if iq.limit, err = parseCount("limit", q.Get("limit"), defaultLimit, maxLimit); err != nil {
		return iq, badRequest("%v", err)
	}
	if q.Has("limit") && iq.limit == 0 {
		return iq, badRequest("limit must be at least 1")
	}
	if iq.offset, err = parseCount("offset", q.Get("offset"), 0, maxOffset); err != nil {
		return iq, badRequest("%v", err)
	}
	iq.from = q.Get("from")
	return iq, nil
}

// matches applies bbox and datetime to feature i of l.
func (iq itemsQuery) matches(l *layer, i int) bool {
	if iq.hasBBox {
		b := l.features[i].Geometry.Bound()
		if iq.wrap {
			west := orb.Bound{Min: orb.Point{iq.bbox.Min[0], iq.bbox.Min[1]}, Max: orb.Point{180, iq.bbox.Max[1]}}
			east := orb.Bound{Min: orb.Point{-180, iq.bbox.Min[1]}, Max: orb.Point{iq.bbox.Max[0], iq.bbox.Max[1]}}
			if !west.Intersects(b) && !east.Intersects(b) {
				return false
			}
		} else if !iq.bbox.Intersects(b) {
			return false
		}
	}
	if iq.hasWhen {
		from, to := l.from[i], l.to[i]
		if from.IsZero() || !iq.when.Overlaps(from, to) {
			return false
		}
	}
	return true
}

func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormat(r); err != nil {
		return err
	}
	c, err := s.collectionFromPath(r)
	if err != nil {
		return err
	}
	iq, err := parseItemsQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if iq.from != "" && c.ID != "distances" {
		return badRequest("from is a parameter of the distances collection only")
	}
	key := iq.from
	if c.ID == "zones" || c.ID == "frontlines" {
		// the map is drawn for one day: the instant's, or the end of the
		// interval's; the features are all of that day
		key = controlKey(iq)
		iq.hasWhen = false
	}
	l, version, err := s.layer(r.Context(), c.ID, key)
	if err != nil {
		return err
	}
	if cached(w, r, version) {
		return nil
	}
	var matched []int
	for i := range l.features {
		if iq.matches(l, i) {
			matched = append(matched, i)
		}
	}
	var page []int
	if iq.offset < len(matched) {
		page = matched[iq.offset:min(len(matched), iq.offset+iq.limit)]
	}
	links := []link{{pageURL(r, iq.offset, iq.limit), "self", "application/geo+json", "this page"}}
	if iq.offset+iq.limit < len(matched) {
		links = append(links, link{pageURL(r, iq.offset+iq.limit, iq.limit), "next", "application/geo+json", "next page"})
	}
	if iq.offset > 0 {
		links = append(links, link{pageURL(r, max(0, iq.offset-iq.limit), iq.limit), "prev", "application/geo+json", "previous page"})
	}
	links = append(links, link{baseURL(r) + "/collections/" + c.ID, "collection", "application/json", c.Title})
	tail, err := json.Marshal(map[string]any{"numberMatched": len(matched), "numberReturned": len(page),
		"timeStamp": time.Now().UTC().Format(time.RFC3339), "links": links})
	if err != nil {
		return fmt.Errorf("encode page: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","features":[`)
	for k, i := range page {
		if k > 0 {
			buf.WriteByte(',')
		}
		buf.Write(l.encoded[i])
	}
	buf.WriteString("],")
	buf.Write(tail[1:]) // the rest of the object, after its '{'
	w.Header().Set("Content-Type", "application/geo+json")
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// pageURL is the items URL with the query kept and offset and limit set.
func pageURL(r *http.Request, offset, limit int) string {
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	return baseURL(r) + r.URL.Path + "?" + q.Encode()
}

func (s *Server) handleItem(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormat(r); err != nil {
		return err
	}
	c, err := s.collectionFromPath(r)
	if err != nil {
		return err
	}
	from := r.URL.Query().Get("from")
	if from != "" && c.ID != "distances" {
		return badRequest("from is a parameter of the distances collection only")
	}
	id := chi.URLParam(r, "featureID")
	key := from
	if c.ID == "zones" || c.ID == "frontlines" {
		key = controlDayOf(id) // ids carry their day: zone-2019-04-07-...
	}
	l, _, err := s.layer(r.Context(), c.ID, key)
	if err != nil {
		return err
	}
	i, ok := l.byID[id]
	if !ok {
		return notFound("collection %s has no feature %q", c.ID, id)
	}
	f := l.features[i]
	b := baseURL(r)
	out := map[string]any{"type": "Feature", "id": f.ID, "geometry": geojson.NewGeometry(f.Geometry), "properties": f.Properties,
		"links": []link{
			{b + r.URL.Path, "self", "application/geo+json", "this feature"},
			{b + "/collections/" + c.ID, "collection", "application/json", c.Title},
		}}
	return writeJSON(w, r, "application/geo+json", out)
}

// cached sets the validators of an answer that depends only on the
// stored data (its version) and the request's path and query, and
// answers 304 when the client holds it already; true when it has.
func cached(w http.ResponseWriter, r *http.Request, version int64) bool {
	// built by hand: this runs for every tile
	b := make([]byte, 0, 48)
	b = append(b, `W/"`...)
	b = strconv.AppendInt(b, version, 10)
	b = append(b, '-')
	b = strconv.AppendUint(b, hash64([]byte(r.URL.RawQuery+"|"+r.URL.Path)), 16)
	b = append(b, '"')
	etag := string(b)
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=30")
	if notModified(r, etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// notModified reports whether the client's If-None-Match names etag (or
// is "*"); weak and strong forms compare alike, as RFC 9110 asks for GET.
func notModified(r *http.Request, etag string) bool {
	match := r.Header.Get("If-None-Match")
	if match == "" {
		return false
	}
	if strings.TrimSpace(match) == "*" {
		return true
	}
	return strings.Contains(match, strings.TrimPrefix(etag, "W/"))
}
