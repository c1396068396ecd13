package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/paulmach/orb"

	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/render"
	"github.com/conflictmap/conflictmap/geo/store"
)

// Config is what a Server needs.
type Config struct {
	Store     *store.Store
	Parser    *geoparse.Parser
	Extractor *events.Extractor
	// Token authorises writes; empty refuses every write.
	Token string
	Log   *slog.Logger
	// MaxArticleBytes bounds a POSTed article (default 1 MiB).
	MaxArticleBytes int64
	// Countries gives the land a country's zones of control are drawn
	// on; without it the zones and frontlines collections are empty.
	Countries CountryShapes
	// Basemap is drawn under the raster tiles; without it they show the
	// overlays on plain sea.
	Basemap *render.Basemap
	// Page holds the map page served at / to browsers (index.html) and
	// its files under /web/; without it / is the OGC landing document
	// only.
	Page fs.FS
}

// CountryShapes returns the outline of a country by ISO code.
type CountryShapes interface {
	CountryShape(ctx context.Context, code string) (orb.Geometry, error)
}

// Server holds the dependencies of every handler.
type Server struct {
	store     *store.Store
	parser    *geoparse.Parser
	extractor *events.Extractor
	token     string
	log       *slog.Logger
	maxBody   int64
	countries CountryShapes
	basemap   *render.Basemap
	fonts     *render.Fonts
	page      map[string]pageFile
	router    chi.Router

	// writeMu serialises ingest and delete: SQLite takes one writer at a
	// time, and waiting here is better than SQLITE_BUSY.
	writeMu sync.Mutex
	layers  layerCache
	tiles   tileCache
	// basemapTiles outlive the store's versions: the basemap is fixed
	basemapTiles basemapCache
}

// New builds a Server and registers every route.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Parser == nil || cfg.Extractor == nil {
		return nil, errors.New("server: store, parser and extractor are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxArticleBytes <= 0 {
		cfg.MaxArticleBytes = 1 << 20
	}
	s := &Server{store: cfg.Store, parser: cfg.Parser, extractor: cfg.Extractor, token: cfg.Token, log: cfg.Log,
		maxBody: cfg.MaxArticleBytes, countries: cfg.Countries, basemap: cfg.Basemap}
	fonts, err := render.NewFonts()
	if err != nil {
		return nil, err
	}
	s.fonts = fonts
	if cfg.Page != nil {
		if s.page, err = loadPage(cfg.Page); err != nil {
			return nil, err
		}
	}
	s.routes()
	return s, nil
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// routes registers every route in one place.
func (s *Server) routes() {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(echoRequestID)
	r.Use(middleware.GetHead)
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(cors)
	// tiles are kept encoded, gzipped once per tile (see handleTile); the
	// rest is compressed as it is written
	r.Get("/tiles/{z}/{x}/{file}", s.handle(s.handleTile))
	r.Get("/tiles/{layer}/{z}/{x}/{file}", s.handle(s.handleTile))
	r.Get("/static.png", s.handle(s.handleStatic))

	r.Group(func(r chi.Router) {
		r.Use(middleware.Compress(5, "application/json", "application/geo+json", "application/problem+json",
			"text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"))
		r.Get("/healthz", s.handle(s.handleHealth))
		r.Get("/", s.handle(s.handleLanding))
		r.Get("/conformance", s.handle(s.handleConformance))
		r.Get("/api", s.handle(s.handleAPIDefinition))
		r.Get("/collections", s.handle(s.handleCollections))
		r.Get("/collections/{collection}", s.handle(s.handleCollection))
		r.Get("/collections/{collection}/items", s.handle(s.handleItems))
		r.Get("/collections/{collection}/items/{featureID}", s.handle(s.handleItem))
		r.Get("/tiles.json", s.handle(s.handleTileJSON))
		r.Get("/web/*", s.handle(s.handlePageFile))
		r.Get("/api/geodesic", s.handle(s.handleGeodesic))

		r.Get("/api/articles", s.handle(s.handleArticles))
		r.Get("/api/articles/{id}", s.handle(s.handleArticle))
		r.With(s.requireToken).Post("/api/articles", s.handle(s.handlePostArticle))
		r.With(s.requireToken).Delete("/api/articles/{id}", s.handle(s.handleDeleteArticle))
	})

	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFound("no resource at %s", r.URL.Path)
	}))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		allow := allowedMethods(r.URL.Path)
		w.Header().Set("Allow", allow)
		return problem(http.StatusMethodNotAllowed, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow)
	}))
	s.router = r
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.Version(r.Context()); err != nil {
		return fmt.Errorf("health: %w", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// HTTPServer wraps the handler in an http.Server with timeouts that keep
// slow clients from holding connections.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// Run serves until ctx is done, then lets requests in flight finish.
func Run(ctx context.Context, srv *http.Server, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", srv.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down: waiting for requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Ingest geoparses, extracts and stores one article. Writes are serialised.
func (s *Server) Ingest(ctx context.Context, a article.Article) (store.Ingested, error) {
	res := s.parser.Parse(a.Text)
	evts := s.extractor.Extract(a, res)
	claims := s.extractor.ControlClaims(a, res, evts)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.store.Ingest(ctx, a, res, evts, claims...)
}

// allowedMethods answers the Allow header of a 405.
func allowedMethods(path string) string {
	switch {
	case path == "/api/articles":
		return "GET, HEAD, POST"
	case strings.HasPrefix(path, "/api/articles/"):
		return "GET, HEAD, DELETE"
	}
	return "GET, HEAD"
}
