package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PlaceRecord is a place with what the stored articles say of it.
type PlaceRecord struct {
	PlaceID      int64    `json:"place_id"`
	Name         string   `json:"name"`
	Kind         string   `json:"place_kind"`
	Country      string   `json:"country"`
	FeatureCode  string   `json:"feature_code"`
	Population   int64    `json:"population"`
	Lat          float64  `json:"-"`
	Lon          float64  `json:"-"`
	Mentions     int      `json:"mention_count"`
	Articles     []int64  `json:"articles"`
	FirstDate    string   `json:"first_mention"`
	LastDate     string   `json:"last_mention"`
	Names        []string `json:"names"`
	GeoPrecision int      `json:"geo_precision"`
}

// Places returns every place mentioned as a location, with its mention
// count, articles and first and last mention dates.
func (s *Store) Places(ctx context.Context) ([]PlaceRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.place_id, m.name, m.kind, m.country, m.feature_code, m.population,
		m.lat, m.lon, COUNT(*), GROUP_CONCAT(DISTINCT m.article_id), COALESCE(MIN(NULLIF(a.date,'')),''), COALESCE(MAX(NULLIF(a.date,'')),''),
		GROUP_CONCAT(DISTINCT m.text), MIN(m.geo_precision)
		FROM mentions m JOIN articles a ON a.id = m.article_id
		WHERE m.role = 'location'
		GROUP BY m.place_id, m.kind, m.name ORDER BY m.place_id, m.kind, m.name`)
	if err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	defer rows.Close()
	var out []PlaceRecord
	for rows.Next() {
		var p PlaceRecord
		var articles, names string
		if err := rows.Scan(&p.PlaceID, &p.Name, &p.Kind, &p.Country, &p.FeatureCode, &p.Population, &p.Lat, &p.Lon,
			&p.Mentions, &articles, &p.FirstDate, &p.LastDate, &names, &p.GeoPrecision); err != nil {
			return nil, fmt.Errorf("places: %w", err)
		}
		for _, a := range strings.Split(articles, ",") {
			var id int64
			if _, err := fmt.Sscan(a, &id); err == nil {
				p.Articles = append(p.Articles, id)
			}
		}
		p.Names = strings.Split(names, ",")
		out = append(out, p)
	}
	return out, rows.Err()
}

// StoredEstimate is an estimate with its article.
type StoredEstimate struct {
	EstimateRecord
	ArticleID   int64  `json:"article_id"`
	ArticleDate string `json:"article_date"`
}

// Estimates returns every relative estimate.
func (s *Store) Estimates(ctx context.Context) ([]StoredEstimate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.article_id, a.date, e.data FROM estimates e
		JOIN articles a ON a.id = e.article_id ORDER BY e.article_id, e.start`)
	if err != nil {
		return nil, fmt.Errorf("estimates: %w", err)
	}
	defer rows.Close()
	var out []StoredEstimate
	for rows.Next() {
		var e StoredEstimate
		var data string
		if err := rows.Scan(&e.ArticleID, &e.ArticleDate, &data); err != nil {
			return nil, fmt.Errorf("estimates: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.EstimateRecord); err != nil {
			return nil, fmt.Errorf("decode estimate: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ArticleSummary describes a stored article without its text.
type ArticleSummary struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Source     string `json:"source"`
	URL        string `json:"url"`
	Date       string `json:"date"`
	Hash       string `json:"hash"`
	IngestedAt string `json:"ingested_at"`
	Bytes      int    `json:"bytes"`
	Events     int    `json:"events"`
	Places     int    `json:"places"`
}

// Articles lists the stored articles, newest ingest last.
func (s *Store) Articles(ctx context.Context) ([]ArticleSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.name, a.source, a.url, a.date, a.hash, a.ingested_at, length(CAST(a.text AS BLOB)),
		(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id),
		(SELECT COUNT(DISTINCT place_id) FROM mentions m WHERE m.article_id = a.id)
		FROM articles a ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	defer rows.Close()
	out := []ArticleSummary{}
	for rows.Next() {
		var a ArticleSummary
		if err := rows.Scan(&a.ID, &a.Name, &a.Source, &a.URL, &a.Date, &a.Hash, &a.IngestedAt, &a.Bytes, &a.Events, &a.Places); err != nil {
			return nil, fmt.Errorf("articles: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MentionRecord is one stored mention span.
type MentionRecord struct {
	PlaceID  int64   `json:"place_id"`
	Name     string  `json:"name"`
	Text     string  `json:"text"`
	Start    int     `json:"start"`
	End      int     `json:"end"`
	Role     string  `json:"role"`
	Kind     string  `json:"place_kind"`
	Facility string  `json:"facility,omitempty"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
}

// ArticleDetail is a stored article with its text and findings.
type ArticleDetail struct {
	ArticleSummary
	Text      string            `json:"text"`
	Mentions  []MentionRecord   `json:"mentions"`
	Events    []json.RawMessage `json:"events"`
	Estimates []EstimateRecord  `json:"estimates"`
}

// Article returns one stored article with its text, mention spans,
// estimates and events.
func (s *Store) Article(ctx context.Context, id int64) (ArticleDetail, error) {
	var d ArticleDetail
	err := s.db.QueryRowContext(ctx, `SELECT id, name, source, url, date, hash, ingested_at, length(CAST(text AS BLOB)), text
		FROM articles WHERE id = ?`, id).Scan(&d.ID, &d.Name, &d.Source, &d.URL, &d.Date, &d.Hash, &d.IngestedAt, &d.Bytes, &d.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("article %d: %w", id, err)
	}
	d.Mentions, d.Events, d.Estimates = []MentionRecord{}, []json.RawMessage{}, []EstimateRecord{}
	rows, err := s.db.QueryContext(ctx, `SELECT place_id, name, text, start, end, role, kind, facility, lat, lon
		FROM mentions WHERE article_id = ? ORDER BY start`, id)
	if err != nil {
		return d, fmt.Errorf("article %d mentions: %w", id, err)
	}
	for rows.Next() {
		var m MentionRecord
		if err := rows.Scan(&m.PlaceID, &m.Name, &m.Text, &m.Start, &m.End, &m.Role, &m.Kind, &m.Facility, &m.Lat, &m.Lon); err != nil {
			rows.Close()
			return d, fmt.Errorf("article %d mentions: %w", id, err)
		}
		d.Mentions = append(d.Mentions, m)
	}
	rows.Close()
	if err := scanJSON(ctx, s.db, `SELECT data FROM events WHERE article_id = ? ORDER BY id`, id, func(raw string) error {
		d.Events = append(d.Events, json.RawMessage(raw))
		return nil
	}); err != nil {
		return d, err
	}
	if err := scanJSON(ctx, s.db, `SELECT data FROM estimates WHERE article_id = ? ORDER BY start`, id, func(raw string) error {
		var e EstimateRecord
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return err
		}
		d.Estimates = append(d.Estimates, e)
		return nil
	}); err != nil {
		return d, err
	}
	d.ArticleSummary.Events, d.Places = len(d.Events), countPlaces(d.Mentions)
	return d, nil
}

func countPlaces(ms []MentionRecord) int {
	seen := map[int64]bool{}
	for _, m := range ms {
		seen[m.PlaceID] = true
	}
	return len(seen)
}

func scanJSON(ctx context.Context, db *sql.DB, q string, arg any, fn func(string) error) error {
	rows, err := db.QueryContext(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		if err := fn(raw); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
	}
	return rows.Err()
}

// Version is a number that changes whenever an article is stored or
// deleted: caches and ETags key on it.
func (s *Store) Version(ctx context.Context) (int64, error) {
	c := &s.version
	c.mu.Lock()
	if !c.read.IsZero() && time.Since(c.read) < versionTTL {
		v := c.v
		c.mu.Unlock()
		return v, nil
	}
	writes := c.writes
	c.mu.Unlock()
	var v int64
	if err := s.db.QueryRowContext(ctx, `SELECT version FROM store_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store version: %w", err)
	}
	c.mu.Lock()
	if c.writes == writes {
		c.v, c.read = v, time.Now()
	}
	c.mu.Unlock()
	return v, nil
}
