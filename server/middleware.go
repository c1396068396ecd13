package server

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// logRequests writes one structured line per request. It never logs
// headers, so a token cannot leak into the log.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		// typed attributes: this runs on every request, tiles included
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", ww.Status()), slog.Int("bytes", ww.BytesWritten()),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("request_id", middleware.GetReqID(r.Context())))
	})
}

// recoverPanics turns a panic into a logged 500 problem.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v,
					"request_id", middleware.GetReqID(r.Context()))
				writeProblem(w, r, problem(http.StatusInternalServerError, "the server failed to answer this request; it has been logged"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// cors lets any page read the map (GET); writes need the token anyway.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "If-None-Match, Accept")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireToken admits a write only with "Authorization: Bearer <token>",
// compared in constant time. With no token configured, writes are refused.
func (s *Server) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.token == "" {
			writeProblem(w, r, problem(http.StatusForbidden, "writes are disabled: the server was started without a token (--token or CONFLICTMAP_TOKEN)"))
			return
		}
		// the scheme is case-insensitive (RFC 9110, 11.1)
		scheme, given, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || given == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="conflictmap"`)
			writeProblem(w, r, problem(http.StatusUnauthorized, "this write needs an 'Authorization: Bearer <token>' header"))
			return
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(s.token)) != 1 {
			writeProblem(w, r, problem(http.StatusForbidden, "the token is not valid"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// echoRequestID returns the request id (the client's X-Request-Id, or
// one made here) so that a client can quote it.
func echoRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := middleware.GetReqID(r.Context()); id != "" {
			w.Header().Set(middleware.RequestIDHeader, id)
		}
		next.ServeHTTP(w, r)
	})
}
