package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/store"
	"github.com/conflictmap/conflictmap/server"
)

// TestWritesNeedToken: POST and DELETE are refused with a problem, and
// store nothing, unless the request carries the token in an
// "Authorization: Bearer" header; anywhere else it does not count.
func TestWritesNeedToken(t *testing.T) {
	ts := newTestServer(t, testToken, false)
	if res, _ := ts.post(t, "/api/articles", "text/plain", []byte("Clashes broke out in Misrata on Monday.")); res.status != http.StatusCreated {
		t.Fatalf("setup POST with the token: status %d: %s", res.status, clip(res.body))
	}
	tests := []struct {
		name string
		// headers are name, value pairs; query is added to the path
		headers []string
		query   string
		want    int
	}{
		{"no token", nil, "", http.StatusUnauthorized},
		{"wrong token", []string{"Authorization", "Bearer wr0ng"}, "", http.StatusForbidden},
		{"empty bearer", []string{"Authorization", "Bearer "}, "", http.StatusUnauthorized},
		{"bearer without a space", []string{"Authorization", "Bearer" + testToken}, "", http.StatusUnauthorized},
		{"token without the scheme", []string{"Authorization", testToken}, "", http.StatusUnauthorized},
		{"token after two spaces", []string{"Authorization", "Bearer  " + testToken}, "", http.StatusForbidden},
		{"token twice", []string{"Authorization", bearer + "," + bearer}, "", http.StatusForbidden},
		{"token cut short", []string{"Authorization", bearer[:len(bearer)-1]}, "", http.StatusForbidden},
		{"token as Basic password", []string{"Authorization", "Basic " + basicAuth("api", testToken)}, "", http.StatusUnauthorized},
		{"token in the query", nil, "token=" + testToken, http.StatusUnauthorized},
		{"token as access_token", nil, "access_token=" + testToken, http.StatusUnauthorized},
		{"token in a cookie", []string{"Cookie", "token=" + testToken}, "", http.StatusUnauthorized},
		{"token in another header", []string{"X-Api-Key", testToken}, "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		for _, method := range []string{http.MethodPost, http.MethodDelete} {
			t.Run(method+" "+tt.name, func(t *testing.T) {
				path := "/api/articles"
				if method == http.MethodDelete {
					path += "/1"
				}
				if tt.query != "" {
					path += "?" + tt.query
				}
				headers := append([]string{"Content-Type", "text/plain"}, tt.headers...)
				body := []byte("Shelling hit Sirte overnight (" + tt.name + ").")
				checkProblem(t, ts.request(t, method, path, body, headers...), tt.want)
				if l := ts.articles(t); len(l.Articles) != 1 || l.Articles[0].ID != 1 {
					t.Errorf("after a refused %s the store holds %+v, want article 1 only", method, l.Articles)
				}
			})
		}
	}
	t.Run("right token", func(t *testing.T) {
		res, got := ts.post(t, "/api/articles", "text/plain", []byte("Gunmen attacked a checkpoint in Zintan."))
		if res.status != http.StatusCreated || got.Article.ID != 2 {
			t.Fatalf("POST with the token: status %d id %d, want 201 and 2: %s", res.status, got.Article.ID, clip(res.body))
		}
		// the scheme is case-insensitive: "bearer" is "Bearer"
		lower := ts.request(t, http.MethodPost, "/api/articles", []byte("Fighters shelled Zintan on Monday."),
			"Content-Type", "text/plain", "Authorization", "bearer "+testToken)
		if lower.status != http.StatusCreated {
			t.Fatalf("POST with a lowercase scheme: status %d, want 201: %s", lower.status, clip(lower.body))
		}
		var added struct {
			Article struct{ ID int } `json:"article"`
		}
		if err := json.Unmarshal(lower.body, &added); err != nil {
			t.Fatal(err)
		}
		if res := ts.request(t, http.MethodDelete, "/api/articles/"+strconv.Itoa(added.Article.ID), nil, "Authorization", "BEARER "+testToken); res.status != http.StatusNoContent {
			t.Fatalf("DELETE with an upper-case scheme: status %d, want 204", res.status)
		}
		if res := ts.request(t, http.MethodDelete, "/api/articles/1", nil, "Authorization", bearer); res.status != http.StatusNoContent {
			t.Errorf("DELETE with the token: status %d, want 204: %s", res.status, clip(res.body))
		}
		if l := ts.articles(t); len(l.Articles) != 1 || l.Articles[0].ID != 2 {
			t.Errorf("after the writes with the token the store holds %+v, want article 2 only", l.Articles)
		}
	})
}

func basicAuth(user, password string) string {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.SetBasicAuth(user, password)
	_, enc, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	return enc
}

// syncBuffer is a log destination that request goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLoggedServer is a server with an empty store that logs, at debug
// level, to the returned buffer.
func newLoggedServer(t *testing.T, token string) (*httptest.Server, *syncBuffer) {
	t.Helper()
	ix := gazettest.Index(t)
	db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "conflictmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := store.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	parser, err := geoparse.New(ix)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv, err := server.New(server.Config{Store: st, Parser: parser, Extractor: events.NewExtractor(events.DefaultActors(), ix),
		Token: token, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, logs
}

// TestTokensNeverLogged sends the right and a wrong token in every place
// a client might put one, on requests that succeed and that fail, and
// requires that neither reaches the log.
func TestTokensNeverLogged(t *testing.T) {
	const right, wrong = "r1ght-t0ken-Qx7Zk", "wr0ng-t0ken-Vb3Jm"
	ts, logs := newLoggedServer(t, right)
	tests := []struct {
		name, method, path string
		headers            []string
		body               string
		want               int
	}{
		{"POST with the token", "POST", "/api/articles", []string{"Authorization", "Bearer " + right}, "Clashes broke out in Misrata.", 201},
		{"POST with a wrong token", "POST", "/api/articles", []string{"Authorization", "Bearer " + wrong}, "Clashes in Sirte.", 403},
		{"POST with the token and a bad body", "POST", "/api/articles", []string{"Authorization", "Bearer " + right, "Content-Type", "application/json"}, `{"text": 5}`, 400},
		{"POST with the token in the query", "POST", "/api/articles?token=" + right + "&access_token=" + wrong, nil, "Clashes in Sirte.", 401},
		{"POST with the token in a cookie", "POST", "/api/articles", []string{"Cookie", "token=" + right + "; session=" + wrong}, "Clashes in Sirte.", 401},
		{"GET with the token in the query", "GET", "/api/articles?access_token=" + right, nil, "", 200},
		{"GET items with a wrong token in the query", "GET", "/collections/events/items?token=" + wrong, nil, "", 400},
		{"GET an unknown path with the token", "GET", "/nowhere?token=" + right, []string{"Authorization", "Bearer " + right, "Cookie", "token=" + right}, "", 404},
		{"DELETE with a wrong token", "DELETE", "/api/articles/1", []string{"Authorization", "Bearer " + wrong}, "", 403},
		{"DELETE with the token, unknown article", "DELETE", "/api/articles/99", []string{"Authorization", "Bearer " + right}, "", 404},
		{"DELETE with the token in a cookie", "DELETE", "/api/articles/1", []string{"Cookie", "token=" + right}, "", 401},
		{"DELETE with the token", "DELETE", "/api/articles/1", []string{"Authorization", "Bearer " + right}, "", 204},
	}
	for _, tt := range tests {
		req, err := http.NewRequestWithContext(t.Context(), tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "text/plain")
		for i := 0; i+1 < len(tt.headers); i += 2 {
			req.Header.Set(tt.headers[i], tt.headers[i+1])
		}
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.want)
		}
	}
	ts.Close() // every request has been logged
	log := logs.String()
	if n := strings.Count(log, `"msg":"request"`); n != len(tests) {
		t.Fatalf("the log has %d request lines for %d requests: the test does not see the log\n%s", n, len(tests), log)
	}
	for _, secret := range []string{right, wrong} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains the token %q:\n%s", secret, log)
		}
	}
}

// leakMarkers are pieces of files outside the served ones: the module's
// go.mod and sources, and system files.
var leakMarkers = []string{"module github.com/conflictmap", "package server", "package web", "root:x:0:0", "root:*:0:0", "[boot loader]", "[fonts]"}

// TestPathTraversal sends paths that climb out of any served folder, raw
// on the wire so that no client cleans them. Whatever the server serves,
// none may answer with a file from outside its embedded ones.
func TestPathTraversal(t *testing.T) {
	ts := seeded(t)
	paths := []string{
		"/../../etc/passwd",
		"/../go.mod",
		"/web/../../go.mod",
		"/web/../go.mod",
		"/web/./../../go.mod",
		"/web/....//....//go.mod",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/go.mod",
		"/web/..%2f..%2fgo.mod",
		"/web/..%2F..%2F..%2Fetc%2Fpasswd",
		"/web/%2e%2e/server.go",
		"/web/%2e%2e/%2e%2e/go.mod",
		"/web/.%2e/.%2e/go.mod",
		"/web/%252e%252e/%252e%252e/go.mod",
		"/web/..%5c..%5cgo.mod",
		"/web/..%5C..%5Cserver%5Cserver.go",
		`/web/..\..\go.mod`,
		"/web/%c0%ae%c0%ae/%c0%ae%c0%ae/go.mod",
		"/web/..%00/go.mod",
		"/web//etc/passwd",
		"/web/%2fetc%2fpasswd",
		"/web/C:%5cWindows%5cwin.ini",
		"//etc/passwd",
		"///etc/passwd",
		"/tiles/../../etc/passwd",
		"/tiles/..%2f..%2f..%2fgo.mod/0/0.png",
		"/tiles/events/..%2f..%2fgo.mod/0/0.mvt",
		"/collections/..%2f..%2fgo.mod",
		"/collections/events/items/..%2f..%2f..%2fgo.mod",
		"/api/articles/..%2f..%2fgo.mod",
		"/static.png/../../go.mod",
		"/healthz/../../go.mod",
	}
	addr := ts.Listener.Addr().String()
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			status, header, body := rawGet(t, addr, p)
			if status < 300 || status >= 500 {
				t.Errorf("GET %s: status %d, want a 4xx or a redirect: %.300s", p, status, body)
			}
			for _, m := range leakMarkers {
				if strings.Contains(string(body), m) {
					t.Errorf("GET %s: the answer holds %q, from a file outside the served ones:\n%.500s", p, m, body)
				}
			}
			// an answer the application wrote (it echoes a request id) is a problem
			if status >= 400 && header.Get("X-Request-Id") != "" {
				if ct := mediaType(header); ct != "application/problem+json" {
					t.Errorf("GET %s: status %d with Content-Type %q, want application/problem+json", p, status, ct)
				}
			}
		})
	}
	t.Run("the raw client reaches the server", func(t *testing.T) {
		if status, _, body := rawGet(t, addr, "/healthz"); status != http.StatusOK || !bytes.Contains(body, []byte("ok")) {
			t.Errorf("GET /healthz: status %d %q, want 200 ok", status, body)
		}
	})
}

// rawGet sends "GET path" byte for byte and reads the answer.
func rawGet(t *testing.T, addr, path string) (int, http.Header, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return res.StatusCode, res.Header, body
}

// startHTTPServer serves h with server.HTTPServer on a loopback port, its
// settings changed by tweak, and returns the address.
func startHTTPServer(t *testing.T, h http.Handler, tweak func(*http.Server)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.HTTPServer(ln.Addr().String(), h)
	if tweak != nil {
		tweak(srv)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// TestRequestLimits: the server's limits on what a client sends hold,
// and its defaults are the documented ones.
func TestRequestLimits(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		srv := server.HTTPServer("127.0.0.1:0", http.NotFoundHandler())
		tests := []struct {
			name      string
			got, want time.Duration
		}{
			{"ReadHeaderTimeout", srv.ReadHeaderTimeout, 5 * time.Second},
			{"ReadTimeout", srv.ReadTimeout, 30 * time.Second},
			{"WriteTimeout", srv.WriteTimeout, 60 * time.Second},
			{"IdleTimeout", srv.IdleTimeout, 120 * time.Second},
		}
		for _, tt := range tests {
			if tt.got != tt.want {
				t.Errorf("%s is %v, want %v", tt.name, tt.got, tt.want)
			}
		}
		if srv.MaxHeaderBytes != 64<<10 {
			t.Errorf("MaxHeaderBytes is %d, want 64 KiB", srv.MaxHeaderBytes)
		}
	})

	const readTimeout = time.Second
	ts := newTestServer(t, testToken, false)
	addr := startHTTPServer(t, ts.srv, func(s *http.Server) { s.ReadTimeout = readTimeout })
	base := "http://" + addr
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{Proxy: nil}}
	t.Cleanup(client.CloseIdleConnections)

	t.Run("body over MaxArticleBytes", func(t *testing.T) {
		big := bytes.Repeat([]byte("Clashes in Misrata. "), 1<<20/20+1)
		for _, chunked := range []bool{false, true} {
			var rd io.Reader = bytes.NewReader(big)
			if chunked {
				rd = io.MultiReader(rd) // no length: sent chunked
			}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/api/articles", rd)
			req.Header.Set("Content-Type", "text/plain")
			req.Header.Set("Authorization", bearer)
			checkProblem(t, send(t, client, req), http.StatusRequestEntityTooLarge)
		}
	})
	t.Run("header over MaxHeaderBytes", func(t *testing.T) {
		for _, tt := range []struct {
			size, want int
		}{{32 << 10, http.StatusOK}, {100 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/healthz", nil)
			req.Header.Set("X-Padding", strings.Repeat("p", tt.size))
			if res := send(t, client, req); res.status != tt.want {
				t.Errorf("a %d KiB header: status %d, want %d", tt.size>>10, res.status, tt.want)
			}
		}
	})
	t.Run("body slower than ReadTimeout", func(t *testing.T) {
		start := time.Now()
		res, err := trickle(t, addr, 200, 50*time.Millisecond)
		took := time.Since(start)
		if took < readTimeout*9/10 || took > readTimeout+3*time.Second {
			t.Errorf("the trickled request ended after %v, want about the ReadTimeout %v (the whole body takes 10s)", took, readTimeout)
		}
		if err == nil { // an answer rather than a closed connection
			checkProblem(t, res, http.StatusRequestTimeout)
			if bytes.Contains(res.body, []byte("127.0.0.1")) {
				t.Errorf("the timeout's problem shows the server's internal error: %s", res.body)
			}
		}
		t.Logf("cut after %v: status %d, %v", took.Round(time.Millisecond), res.status, err)
	})
	if l := ts.articles(t); len(l.Articles) != 0 {
		t.Errorf("a request over a limit stored %d articles", len(l.Articles))
	}
}

// send does a request that must get an answer.
func send(t *testing.T, client *http.Client, req *http.Request) response {
	t.Helper()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// trickle posts an article of n bytes, one byte every gap, and returns
// the answer, or the error of a connection closed without one.
func trickle(t *testing.T, addr string, n int, gap time.Duration) (response, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /api/articles HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n",
		addr, bearer, n)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for range n {
			select {
			case <-stop:
				return
			case <-time.After(gap):
			}
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: body}, err
}

// TestSlowloris opens many connections that send their headers a byte at
// a time: the server drops each at its header timeout, and meanwhile
// answers other clients at once.
func TestSlowloris(t *testing.T) {
	const (
		conns         = 200
		headerTimeout = 2 * time.Second
	)
	ts := newTestServer(t, "", false)
	addr := startHTTPServer(t, ts.srv, func(s *http.Server) { s.ReadHeaderTimeout = headerTimeout })

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var (
		opened, ended sync.WaitGroup
		closedEarly   atomic.Int32
		mu            sync.Mutex
		lifetimes     []time.Duration
		stillOpen     atomic.Int32
	)
	for i := range conns {
		opened.Add(1)
		ended.Add(1)
		go func() {
			defer ended.Done()
			start := time.Now()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				opened.Done()
				t.Errorf("slow connection %d: %v", i, err)
				return
			}
			defer conn.Close()
			_, err = fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\nX-Slow: ", addr)
			opened.Done()
			if err != nil {
				t.Errorf("slow connection %d: %v", i, err)
				return
			}
			go func() { // a byte every 200ms, never the end of the headers
				for {
					select {
					case <-ctx.Done():
						return
					case <-time.After(200 * time.Millisecond):
					}
					if _, err := conn.Write([]byte("a")); err != nil {
						return
					}
				}
			}()
			conn.SetReadDeadline(time.Now().Add(headerTimeout + 8*time.Second))
			_, err = io.Copy(io.Discard, conn)
			lived := time.Since(start)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				stillOpen.Add(1)
			}
			if lived < headerTimeout*9/10 {
				closedEarly.Add(1)
			}
			mu.Lock()
			lifetimes = append(lifetimes, lived)
			mu.Unlock()
		}()
	}
	opened.Wait()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	start := time.Now()
	res, err := client.Get("http://" + addr + "/healthz")
	took := time.Since(start)
	if err != nil {
		t.Fatalf("GET /healthz beside %d slow connections: %v", conns, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || took > time.Second {
		t.Errorf("GET /healthz beside %d slow connections: status %d after %v, want 200 within 1s", conns, res.StatusCode, took)
	}
	mu.Lock()
	early := len(lifetimes)
	mu.Unlock()
	if early > 0 {
		t.Errorf("%d slow connections had ended before /healthz was asked: the test did not hold them open", early)
	}

	ended.Wait()
	cancel()
	if n := stillOpen.Load(); n > 0 {
		t.Errorf("%d of %d slow connections were still open %v after the header timeout", n, conns, 8*time.Second)
	}
	if n := closedEarly.Load(); n > 0 {
		t.Errorf("%d slow connections were closed before the header timeout %v", n, headerTimeout)
	}
	var longest time.Duration
	for _, l := range lifetimes {
		longest = max(longest, l)
	}
	if longest > headerTimeout+2*time.Second {
		t.Errorf("a slow connection lived %v, want about the header timeout %v", longest, headerTimeout)
	}
	t.Logf("/healthz answered in %v; the slow connections lived up to %v", took.Round(time.Microsecond), longest.Round(time.Millisecond))
}
