// Package server serves the conflict map over HTTP with chi: OGC API –
// Features and GeoJSON for each layer, and an article API to add and
// remove reports.
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// Error makes a Problem an error, so handlers can return one.
func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// problem builds a Problem for status with a detail for the client.
func problem(status int, format string, args ...any) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: fmt.Sprintf(format, args...)}
}

// Common client errors.
func badRequest(format string, args ...any) error {
	return problem(http.StatusBadRequest, format, args...)
}
func notFound(format string, args ...any) error { return problem(http.StatusNotFound, format, args...) }

// handlerFunc is a handler that returns its error; handle turns it into a
// problem response.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: a *Problem is sent as it is; any other error
// is a fault of ours, logged and answered with a 500 that does not leak it.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		var p *Problem
		if !errors.As(err, &p) {
			s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			p = problem(http.StatusInternalServerError, "the server failed to answer this request; it has been logged")
		}
		writeProblem(w, r, p)
	}
}

func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	p.Instance = r.URL.RequestURI()
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("ETag")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	if err := json.NewEncoder(w).Encode(p); err != nil {
		slog.Debug("write problem", "err", err)
	}
}
