package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/store"
	"github.com/conflictmap/conflictmap/server"
	"github.com/conflictmap/conflictmap/web"
)

// testToken authorises writes on the test servers.
const testToken = "s3cret"

// seedFiles are the bundled articles every seeded test server holds, in
// ingest order: article ids 1, 2 and 3.
var seedFiles = []string{"libya-01.txt", "libya-02.txt", "libya-03.txt"}

// testServer is a conflictmap server behind a real HTTP listener.
type testServer struct {
	*httptest.Server
	srv *server.Server
}

// newTestServer builds a server with its own store in t.TempDir(); the
// gazetteer index is shared by the whole test binary (gazettest.Index).
// With seed, the three Libya articles are ingested as ids 1, 2, 3.
func newTestServer(tb testing.TB, token string, seed bool) *testServer {
	tb.Helper()
	ctx := context.Background()
	ix := gazettest.Index(tb)
	db, err := sqlitedb.Open(filepath.Join(tb.TempDir(), "conflictmap.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	st, err := store.New(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	parser, err := geoparse.New(ix)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(server.Config{
		Store: st, Parser: parser, Extractor: events.NewExtractor(events.DefaultActors(), ix),
		Token: token, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Countries: gazettest.CountryShapes(tb),
		Basemap: server.NewBasemap(gazettest.CountryShapes(tb), ix), Page: web.Files(),
	})
	if err != nil {
		tb.Fatal(err)
	}
	if seed {
		for _, name := range seedFiles {
			data, err := os.ReadFile(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", name))
			if err != nil {
				tb.Fatal(err)
			}
			a, err := article.Parse(data, name)
			if err != nil {
				tb.Fatalf("parse %s: %v", name, err)
			}
			a.Source = name
			if _, err := srv.Ingest(ctx, a); err != nil {
				tb.Fatalf("ingest %s: %v", name, err)
			}
		}
	}
	ts := &testServer{Server: httptest.NewServer(srv), srv: srv}
	tb.Cleanup(ts.Close)
	return ts
}

var (
	sharedOnce sync.Once
	shared     *testServer
)

// seeded is the read-only server shared by tests that never write: it is
// built once per test binary. Tests that write build their own.
func seeded(t *testing.T) *testServer {
	t.Helper()
	sharedOnce.Do(func() {
		// built outside any one test's cleanup, so it outlives the test
		// that asked first; TestMain closes it
		shared = newTestServer(sharedTB{t}, testToken, true)
	})
	if shared == nil {
		t.Fatal("shared test server failed to build")
	}
	return shared
}

// sharedTB hands the first caller's testing.T to newTestServer but keeps
// its cleanups (and temporary folder) for TestMain.
type sharedTB struct{ *testing.T }

var (
	sharedCleanups []func()
	sharedDirs     []string
)

func (sharedTB) Cleanup(f func()) { sharedCleanups = append(sharedCleanups, f) }

func (s sharedTB) TempDir() string {
	dir, err := os.MkdirTemp("", "conflictmap-server-test")
	if err != nil {
		s.Fatal(err)
	}
	sharedDirs = append(sharedDirs, dir)
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(sharedCleanups) - 1; i >= 0; i-- {
		sharedCleanups[i]()
	}
	for _, d := range sharedDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// response is a finished HTTP exchange, body already read (and gunzipped
// when the server compressed it).
type response struct {
	status int
	header http.Header
	body   []byte
}

// request sends method path with an optional body and headers (name,
// value pairs) and reads the whole answer.
func (ts *testServer) request(t *testing.T, method, path string, body []byte, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	// a 304 keeps the Content-Encoding of the 200 it stands for, with no body
	if res.Header.Get("Content-Encoding") == "gzip" && !res.Uncompressed && len(b) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s %s: gzip: %v", method, path, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s %s: gunzip: %v", method, path, err)
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (ts *testServer) get(t *testing.T, path string, headers ...string) response {
	t.Helper()
	return ts.request(t, http.MethodGet, path, nil, headers...)
}

// getJSON GETs path, requires a 200 with the content type, and decodes it.
func (ts *testServer) getJSON(t *testing.T, path, contentType string, v any) response {
	t.Helper()
	res := ts.get(t, path)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200: %s", path, res.status, clip(res.body))
	}
	if ct := mediaType(res.header); ct != contentType {
		t.Fatalf("GET %s: Content-Type %q, want %q", path, ct, contentType)
	}
	if err := json.Unmarshal(res.body, v); err != nil {
		t.Fatalf("GET %s: decode: %v\n%s", path, err, clip(res.body))
	}
	return res
}

// mediaType is the Content-Type without its parameters.
func mediaType(h http.Header) string {
	ct, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	return strings.TrimSpace(ct)
}

func clip(b []byte) string {
	if len(b) > 1500 {
		return string(b[:1500]) + "...(clipped)"
	}
	return string(b)
}

// problemDoc is an RFC 9457 problem as the server writes it.
type problemDoc struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// checkProblem requires res to be a problem document with status want.
func checkProblem(t *testing.T, res response, want int) problemDoc {
	t.Helper()
	if res.status != want {
		t.Errorf("status %d, want %d: %.300s", res.status, want, res.body)
	}
	if res.status >= 500 {
		t.Errorf("client input produced a server error %d", res.status)
	}
	if ct := mediaType(res.header); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
		return problemDoc{}
	}
	var p problemDoc
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Errorf("problem body is not JSON: %v\n%s", err, clip(res.body))
		return p
	}
	if p.Status != res.status {
		t.Errorf("problem status %d, HTTP status %d", p.Status, res.status)
	}
	if strings.TrimSpace(p.Detail) == "" {
		t.Errorf("problem has no detail: %s", clip(res.body))
	}
	return p
}

// featureCollection is the GeoJSON items answer.
type featureCollection struct {
	Type           string    `json:"type"`
	Features       []feature `json:"features"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
	Links          []link    `json:"links"`
}

type feature struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	Links      []link          `json:"links"`
}

// idString is the feature id as the item URL takes it.
func (f feature) idString() string {
	if v, ok := f.ID.(float64); ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(f.ID)
}

type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
	Type string `json:"type"`
}

// linkHref returns the href of the first link with rel, or "".
func linkHref(links []link, rel string) string {
	for _, l := range links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// items GETs a collection's items and decodes them.
func (ts *testServer) items(t *testing.T, path string) featureCollection {
	t.Helper()
	var fc featureCollection
	ts.getJSON(t, path, "application/geo+json", &fc)
	if fc.Type != "FeatureCollection" {
		t.Fatalf("GET %s: type %q, want FeatureCollection", path, fc.Type)
	}
	if fc.NumberReturned != len(fc.Features) {
		t.Fatalf("GET %s: numberReturned %d, but %d features", path, fc.NumberReturned, len(fc.Features))
	}
	return fc
}

// allItems reads every feature of a collection in one page.
func (ts *testServer) allItems(t *testing.T, collection string) []feature {
	t.Helper()
	fc := ts.items(t, "/collections/"+collection+"/items?limit=10000")
	if fc.NumberMatched != len(fc.Features) {
		t.Fatalf("%s: numberMatched %d but %d features on a 10000 page", collection, fc.NumberMatched, len(fc.Features))
	}
	return fc.Features
}

// pathOf strips the test server's origin from an absolute link.
func (ts *testServer) pathOf(t *testing.T, href string) string {
	t.Helper()
	p, ok := strings.CutPrefix(href, ts.URL)
	if !ok {
		t.Fatalf("link %q is not on the server %s", href, ts.URL)
	}
	return p
}

// eventArticles lists the article keys ("3:libya-03.txt") of a fused
// event's sources.
func eventArticles(f feature) []string {
	var out []string
	srcs, _ := f.Properties["sources"].([]any)
	for _, s := range srcs {
		if m, ok := s.(map[string]any); ok {
			a, _ := m["article"].(string)
			out = append(out, a)
		}
	}
	return out
}
