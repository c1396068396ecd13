package loadtest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{"ipv4 loopback", "http://127.0.0.1:8080", true},
		{"ipv6 loopback", "http://[::1]:8080/", true},
		{"localhost by name", "http://localhost:8080", true},
		{"localhost in capitals", "http://LOCALHOST", true},
		{"https loopback", "https://127.0.0.1", true},
		{"other host on the loopback net refused", "http://127.0.0.2:8080", false},
		{"any address refused", "http://0.0.0.0:8080", false},
		{"private address refused", "http://192.168.1.10:8080", false},
		{"public name refused", "http://example.org", false},
		{"name ending in localhost refused", "http://evil.localhost.example.org", false},
		{"loopback as userinfo refused", "http://127.0.0.1@example.org/", false},
		{"ipv4-mapped public address refused", "http://[::ffff:8.8.8.8]/", false},
		{"no scheme refused", "127.0.0.1:8080", false},
		{"ftp refused", "ftp://127.0.0.1/", false},
		{"empty host refused", "http:///x", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckURL(tc.url)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckURL(%q) = %v, want ok=%v", tc.url, err, tc.ok)
			}
		})
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		name string
		addr string
		ok   bool
	}{
		{"ipv4", "127.0.0.1:0", true},
		{"ipv6", "[::1]:9000", true},
		{"localhost", "localhost:80", true},
		{"all interfaces refused", ":8080", false},
		{"lan refused", "10.0.0.1:80", false},
		{"no port refused", "127.0.0.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAddr(tc.addr)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckAddr(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrNotLoopback) && !strings.Contains(err.Error(), "address") {
				t.Fatalf("CheckAddr(%q) error %v names neither loopback nor the address", tc.addr, err)
			}
		})
	}
}

func TestDialLoopbackOnly(t *testing.T) {
	tests := []struct {
		name    string
		address string
		ok      bool
	}{
		{"ipv4 loopback", "127.0.0.1:80", true},
		{"ipv6 loopback", "[::1]:80", true},
		{"public address", "93.184.216.34:80", false},
		{"other loopback", "127.1.2.3:80", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := dialLoopbackOnly("tcp", tc.address, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("dialLoopbackOnly(%q) = %v, want ok=%v", tc.address, err, tc.ok)
			}
		})
	}
}

func TestClientReachesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	c := Client(ClientOptions{Timeout: 5 * time.Second, Conns: 1})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("get %s: %v", srv.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
