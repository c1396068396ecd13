package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/store"
)

func (s *Server) handleArticles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Articles(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, r, "application/json", map[string]any{"articles": list, "count": len(list)})
}

func articleID(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || raw[0] == '+' {
		return 0, badRequest("article id %q is not a positive whole number", raw)
	}
	return id, nil
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := articleID(r)
	if err != nil {
		return err
	}
	d, err := s.store.Article(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("no article %d", id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, r, "application/json", d)
}

// postedArticle is the JSON body of POST /api/articles.
type postedArticle struct {
	Text   string `json:"text"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
}

// ParsePostedArticle reads a POST body: text/plain with date, source and
// url from the query, or JSON {text, date, source, url}.
func ParsePostedArticle(contentType string, body []byte, query map[string][]string) (article.Article, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if contentType == "" || err != nil {
		return article.Article{}, problem(http.StatusUnsupportedMediaType, "send the article as text/plain or application/json (Content-Type %q)", contentType)
	}
	var p postedArticle
	switch mt {
	case "text/plain":
		p.Text = string(body)
		get := func(k string) string {
			if v := query[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		p.Date, p.Source, p.URL = get("date"), get("source"), get("url")
	case "application/json":
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return article.Article{}, badRequest("the JSON body is not {text, date, source, url}: %v", err)
		}
		if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
			return article.Article{}, badRequest("the JSON body has data after the object")
		}
	default:
		return article.Article{}, problem(http.StatusUnsupportedMediaType, "Content-Type %q is not accepted: use text/plain or application/json", mt)
	}
	var date time.Time
	if p.Date != "" {
		if date, err = article.ParseDate(p.Date); err != nil {
			return article.Article{}, badRequest("date %q is not YYYY-MM-DD", p.Date)
		}
	}
	if len(p.Source) > 200 || len(p.URL) > 2000 {
		return article.Article{}, badRequest("source (200 bytes) or url (2000 bytes) is too long")
	}
	a, err := article.ParseAt([]byte(p.Text), "posted", date)
	if err != nil {
		return article.Article{}, badRequest("%v", err)
	}
	a.Source, a.URL = p.Source, p.URL
	if a.Source == "" {
		a.Source = "api"
	}
	return a, nil
}

func (s *Server) handlePostArticle(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return problem(http.StatusRequestEntityTooLarge, "an article may be at most %d bytes", s.maxBody)
		}
		// the read deadline (http.Server.ReadTimeout) passed: the error
		// text names the server's address, which the client need not see
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return problem(http.StatusRequestTimeout, "the body did not arrive within the server's read timeout")
		}
		return badRequest("could not read the body: %v", err)
	}
	a, err := ParsePostedArticle(r.Header.Get("Content-Type"), body, r.URL.Query())
	if err != nil {
		return err
	}
	a.Name = strings.TrimSpace(a.Source + " " + a.DateString())
	got, err := s.Ingest(r.Context(), a)
	if err != nil {
		return err
	}
	d, err := s.store.Article(r.Context(), got.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", baseURL(r)+"/api/articles/"+strconv.FormatInt(got.ID, 10))
	status := http.StatusCreated
	if got.Existing {
		status = http.StatusOK // the same text was stored before: nothing changed
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(map[string]any{"article": d, "existing": got.Existing})
}

func (s *Server) handleDeleteArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := articleID(r)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	err = s.store.Delete(r.Context(), id)
	s.writeMu.Unlock()
	if errors.Is(err, store.ErrNotFound) {
		return notFound("no article %d", id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
