package server

import (
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/features"
)

// pageFile is one file of the map page, read once when the server starts.
type pageFile struct {
	body        []byte
	contentType string
	etag        string
}

// pageIndex is the map page's HTML inside Config.Page.
const pageIndex = "index.html"

// loadPage reads every file of the map page. Requests are answered from
// this map by exact name, so no request path ever reaches a file system.
func loadPage(files fs.FS) (map[string]pageFile, error) {
	out := map[string]pageFile{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		out[name] = pageFile{body: body, contentType: ctype, etag: fmt.Sprintf(`"%x"`, hash64(body))}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("map page: %w", err)
	}
	if _, ok := out[pageIndex]; !ok {
		return nil, fmt.Errorf("map page: no %s", pageIndex)
	}
	return out, nil
}

// wantsPage reports whether a request of / is for the map page rather
// than the OGC landing document: f=html, or a browser's Accept without f.
func wantsPage(r *http.Request) bool {
	switch r.URL.Query().Get("f") {
	case "html", "text/html":
		return true
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/html")
	}
	return false
}

// handlePageFile serves /web/{name}: the page's script, style, icons and
// the Leaflet bundle.
func (s *Server) handlePageFile(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "*")
	if _, ok := s.page[name]; !ok || name == pageIndex {
		return notFound("no file %q in the map page", name)
	}
	return s.servePageFile(w, r, name)
}

// servePageFile answers with one file of the page. The files change only
// with the binary, so clients revalidate by ETag.
func (s *Server) servePageFile(w http.ResponseWriter, r *http.Request, name string) error {
	f := s.page[name]
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", f.etag)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if name == pageIndex {
		w.Header().Set("Content-Security-Policy", pagePolicy)
	}
	if notModified(r, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(f.body)
	return err
}

// pagePolicy keeps the page to its own origin: no script, style, image or
// connection elsewhere, so it works (and can only work) offline.
const pagePolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// handleGeodesic answers /api/geodesic?from=lat,lon&to=lat,lon with the
// WGS84 geodesic between two points as a GeoJSON LineString feature: the
// page's measure tool.
func (s *Server) handleGeodesic(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k, vs := range q {
		if k != "from" && k != "to" && k != "f" {
			return badRequest("unknown query parameter %q (known: from, to)", k)
		}
		if len(vs) > 1 {
			return badRequest("query parameter %q is given %d times", k, len(vs))
		}
	}
	if err := checkFormat(r); err != nil {
		return err
	}
	var ends [2]orb.Point
	for i, k := range []string{"from", "to"} {
		if !q.Has(k) {
			return badRequest("%s is required: lat,lon in degrees", k)
		}
		p, err := ParseLatLon(q.Get(k), 90)
		if err != nil {
			return badRequest("%s: %v", k, err)
		}
		ends[i] = p
	}
	f := features.GeodesicFeature(ends[0], ends[1], 10)
	return writeJSON(w, r, "application/geo+json", geojson.Feature(*f))
}

// ParseLatLon reads "lat,lon" in degrees, with |lat| ≤ maxLat and
// |lon| ≤ 180, into an orb point (lon, lat).
func ParseLatLon(s string, maxLat float64) (orb.Point, error) {
	lat, lon, ok := strings.Cut(s, ",")
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if !ok || err1 != nil || err2 != nil || !(la >= -maxLat && la <= maxLat) || !(lo >= -180 && lo <= 180) {
		return orb.Point{}, fmt.Errorf("%q is not lat,lon with lat in [%g, %g] and lon in [-180, 180]", s, -maxLat, maxLat)
	}
	return orb.Point{lo, la}, nil
}
