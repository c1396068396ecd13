// Package loadtest holds what the load and benchmark tools (cmd/soak,
// cmd/benchside) share: the loopback guard, percentiles, the RSS of a
// process, launching a conflictmap server, the data's area and generated
// articles.
//
// Both tools only ever talk to this machine: every address is checked by
// CheckURL or CheckHost, and the HTTP client of Client refuses to dial
// anything but 127.0.0.1 or ::1, whatever a name resolves to or a
// redirect points at.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrNotLoopback is returned for an address that is not this machine's
// loopback interface.
var ErrNotLoopback = errors.New("loadtest: not a loopback address (use 127.0.0.1, ::1 or localhost)")

// CheckHost accepts exactly 127.0.0.1, ::1 (bracketed or not) and
// localhost: the tools generate load, so they must not be pointed at
// another machine, and 127.0.0.2 or 0.0.0.0 are refused as surprises.
func CheckHost(host string) error {
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return nil
	}
	if ip := net.ParseIP(h); ip != nil && loopbackIP(ip) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrNotLoopback, host)
}

// CheckURL accepts an http or https URL whose host is loopback.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("loadtest: bad URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("loadtest: URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("loadtest: URL %q has no host", raw)
	}
	return CheckHost(u.Hostname())
}

// CheckAddr accepts host:port with a loopback host.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("loadtest: address %q: %w", addr, err)
	}
	return CheckHost(host)
}

func loopbackIP(ip net.IP) bool {
	return ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback)
}

// dialLoopbackOnly is a net.Dialer Control hook: it runs after name
// resolution, on the address really dialled.
func dialLoopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !loopbackIP(ip) {
		return fmt.Errorf("%w: refusing to dial %s", ErrNotLoopback, address)
	}
	return nil
}

// ClientOptions shapes the HTTP client of Client.
type ClientOptions struct {
	// Timeout bounds each request, body included.
	Timeout time.Duration
	// Conns is the number of idle keep-alive connections kept.
	Conns int
	// RawBodies asks for no compression: the bytes on the wire are the
	// bytes the server keeps (benchside compares them with files).
	RawBodies bool
}

// Client returns an HTTP client that can only reach loopback addresses.
func Client(o ClientOptions) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: dialLoopbackOnly}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        o.Conns + 4,
		MaxIdleConnsPerHost: o.Conns + 4,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  o.RawBodies,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: o.Timeout}
}
