package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Middleware: health, gzip, ETag and 304, CORS, request ids, HEAD and 405.

func TestHealthz(t *testing.T) {
	ts := seeded(t)
	res := ts.get(t, "/healthz")
	if res.status != http.StatusOK || strings.TrimSpace(string(res.body)) != "ok" {
		t.Errorf("healthz %d %q", res.status, res.body)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("healthz Cache-Control %q, want no-store", cc)
	}
}

func TestGzip(t *testing.T) {
	ts := seeded(t)
	for _, path := range []string{"/collections/events/items", "/collections", "/api/articles", "/collections/nope"} {
		t.Run(path, func(t *testing.T) {
			res := ts.get(t, path, "Accept-Encoding", "gzip")
			if res.header.Get("Content-Encoding") != "gzip" {
				t.Errorf("Content-Encoding %q, want gzip", res.header.Get("Content-Encoding"))
			}
			if !strings.Contains(res.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q, want Accept-Encoding", res.header.Get("Vary"))
			}
			if !json.Valid(res.body) {
				t.Errorf("gunzipped body is not JSON: %s", clip(res.body))
			}
			plain := ts.get(t, path, "Accept-Encoding", "identity")
			if plain.header.Get("Content-Encoding") != "" || !json.Valid(plain.body) {
				t.Errorf("identity answer: Content-Encoding %q, body %s", plain.header.Get("Content-Encoding"), clip(plain.body))
			}
		})
	}
}

// TestETag: a repeated request with If-None-Match gets a 304 without a
// body, as long as nothing was stored meanwhile.
func TestETag(t *testing.T) {
	ts := seeded(t)
	for _, path := range []string{"/", "/collections", "/collections/places", "/collections/events/items",
		"/collections/events/items?limit=2", "/api/articles", "/api/articles/2"} {
		t.Run(path, func(t *testing.T) {
			first := ts.get(t, path)
			etag := first.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			res := ts.get(t, path, "If-None-Match", etag)
			if res.status != http.StatusNotModified || len(res.body) != 0 {
				t.Errorf("If-None-Match %s: status %d with %d bytes, want 304 and none", etag, res.status, len(res.body))
			}
			if res := ts.get(t, path, "If-None-Match", `"other"`); res.status != http.StatusOK {
				t.Errorf("If-None-Match other: status %d, want 200", res.status)
			}
		})
	}
}

// TestETagStableOverTime: nothing changes in the store, so the items'
// ETag must not change either; a client that revalidates a second later
// should get its 304.
func TestETagStableOverTime(t *testing.T) {
	ts := seeded(t)
	path := "/collections/events/items"
	first := ts.get(t, path)
	// cross a second boundary
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	res := ts.get(t, path, "If-None-Match", first.header.Get("ETag"))
	if res.status != http.StatusNotModified {
		t.Errorf("unchanged items a second later: status %d, ETag %s then %s; want 304",
			res.status, first.header.Get("ETag"), res.header.Get("ETag"))
	}
}

func TestCORS(t *testing.T) {
	ts := seeded(t)
	res := ts.get(t, "/collections/events/items", "Origin", "https://example.org")
	if res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET: Access-Control-Allow-Origin %q", res.header.Get("Access-Control-Allow-Origin"))
	}
	pre := ts.request(t, http.MethodOptions, "/collections/events/items", nil,
		"Origin", "https://example.org", "Access-Control-Request-Method", "GET")
	if pre.status >= 300 || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "GET") ||
		pre.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight: status %d, headers %v", pre.status, pre.header)
	}
}

// TestRequestID: the request id the server logs is given to the client,
// so that a failed request can be found in the log.
func TestRequestID(t *testing.T) {
	ts := seeded(t)
	for _, path := range []string{"/collections", "/collections/nope"} {
		if res := ts.get(t, path); res.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id in the response", path)
		}
	}
	if res := ts.get(t, "/collections", "X-Request-Id", "abc-123"); res.header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("X-Request-Id %q, want the client's abc-123", res.header.Get("X-Request-Id"))
	}
}

// TestHead: HEAD is advertised by CORS and handled by writeJSON.
func TestHead(t *testing.T) {
	ts := seeded(t)
	for _, path := range []string{"/", "/collections/events/items"} {
		res := ts.request(t, http.MethodHead, path, nil)
		if res.status != http.StatusOK || len(res.body) != 0 {
			t.Errorf("HEAD %s: status %d, %d bytes; want 200 and no body", path, res.status, len(res.body))
		}
	}
}

// TestMethodNotAllowedAllow: RFC 9110 §15.5.6, a 405 must say which
// methods the resource allows.
func TestMethodNotAllowedAllow(t *testing.T) {
	ts := seeded(t)
	res := ts.request(t, http.MethodPut, "/api/articles", []byte("x"), "Content-Type", "text/plain")
	checkProblem(t, res, http.StatusMethodNotAllowed)
	if allow := res.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("Allow %q, want GET and POST", allow)
	}
}
