// Package store keeps articles, what was found in them (places, estimates,
// events) and the fused events in conflictmap's SQLite database. Each
// article is stored in one transaction: a failure stores nothing of it.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
)

// ErrNotFound is returned for an unknown article.
var ErrNotFound = errors.New("store: not found")

var migrations = []sqlitedb.Migration{
	{Version: 1, SQL: `
CREATE TABLE articles (
	id          INTEGER PRIMARY KEY,
	hash        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	date        TEXT NOT NULL DEFAULT '',
	body        INTEGER NOT NULL DEFAULT 0,
	text        TEXT NOT NULL,
	ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE mentions (
	article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	place_id      INTEGER NOT NULL,
	name          TEXT NOT NULL,
	text          TEXT NOT NULL,
	start         INTEGER NOT NULL,
	end           INTEGER NOT NULL,
	role          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	facility      TEXT NOT NULL DEFAULT '',
	country       TEXT NOT NULL DEFAULT '',
	feature_code  TEXT NOT NULL DEFAULT '',
	population    INTEGER NOT NULL DEFAULT 0,
	geo_precision INTEGER NOT NULL,
	confidence    REAL NOT NULL,
	lat           REAL NOT NULL,
	lon           REAL NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_place ON mentions(place_id);
CREATE TABLE estimates (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	start      INTEGER NOT NULL,
	lat        REAL NOT NULL,
	lon        REAL NOT NULL,
	data       TEXT NOT NULL
);
CREATE INDEX estimates_article ON estimates(article_id);
CREATE TABLE events (
	id             TEXT PRIMARY KEY,
	article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	date           TEXT NOT NULL,
	sub_event_type TEXT NOT NULL,
	data           TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE TABLE fused_events (
	id             TEXT PRIMARY KEY,
	date           TEXT NOT NULL,
	event_type     TEXT NOT NULL,
	sub_event_type TEXT NOT NULL,
	lat            REAL NOT NULL,
	lon            REAL NOT NULL,
	data           TEXT NOT NULL
);
CREATE INDEX fused_events_date ON fused_events(date);
`},
	{Version: 2, SQL: `
CREATE TABLE store_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO store_version(id, version) VALUES (1, 0);
`},
	{Version: 3, SQL: `
CREATE TABLE fused_members (
	fused_id TEXT NOT NULL REFERENCES fused_events(id) ON DELETE CASCADE,
	event_id TEXT NOT NULL,
	PRIMARY KEY (fused_id, event_id)
) WITHOUT ROWID;
CREATE INDEX fused_members_event ON fused_members(event_id);
DELETE FROM fused_events;
`},
	{Version: 4, SQL: `
CREATE TABLE control_claims (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	date       TEXT NOT NULL,
	actor      TEXT NOT NULL,
	place_id   INTEGER NOT NULL,
	data       TEXT NOT NULL
);
CREATE INDEX control_claims_date ON control_claims(date);
`},
}

// Store is the article and event store.
type Store struct {
	db      *sql.DB
	version versionCache
}

// versionTTL is how long Version trusts its last reading when this Store
// has written nothing since: another process writing to the same file
// (conflictmap ingest beside a server) is seen within it.
const versionTTL = 250 * time.Millisecond

// versionCache spares a query per request on the server's hot paths.
type versionCache struct {
	mu   sync.Mutex
	v    int64
	read time.Time
	// writes counts this Store's writes: a reading begun before one
	// finished is not kept
	writes int64
}

// forget makes the next Version read the database.
func (c *versionCache) forget() {
	c.mu.Lock()
	c.read = time.Time{}
	c.writes++
	c.mu.Unlock()
}

// New prepares the store's tables in db. The caller owns db.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqlitedb.Migrate(ctx, db, "store", migrations); err != nil {
		return nil, fmt.Errorf("store schema: %w", err)
	}
	return &Store{db: db}, nil
}

// Hash is the content hash that identifies an article's text.
func Hash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// Ingested says what Ingest did.
type Ingested struct {
	ID int64
	// Existing: the same text was stored before; nothing changed.
	Existing bool
	Events   []events.Event
}

// Ingest stores an article with its places, estimates and events, and
// fuses the events again, all in one transaction. Ingesting the same text
// again changes nothing.
// claims are the article's claims of control (events.Extractor.ControlClaims).
func (s *Store) Ingest(ctx context.Context, a article.Article, res geoparse.Result, evts []events.Event, claims ...events.ControlClaim) (Ingested, error) {
	defer s.version.forget()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	defer tx.Rollback()
	hash := Hash(a.Text)
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE hash = ?`, hash).Scan(&id)
	if err == nil {
		return Ingested{ID: id, Existing: true}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO articles(hash, name, source, url, date, body, text) VALUES (?,?,?,?,?,?,?)`,
		hash, a.Name, a.Source, a.URL, a.DateString(), a.Body, a.Text)
	if err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	if id, err = r.LastInsertId(); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	if err := insertFindings(ctx, tx, id, res); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	for i := range evts {
		evts[i].ID = fmt.Sprintf("a%d-e%d", id, i+1)
		evts[i].Article = articleKey(id, a.Name)
		data, err := json.Marshal(evts[i])
		if err != nil {
			return Ingested{}, fmt.Errorf("ingest %s: encode event: %w", a.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO events(id, article_id, date, sub_event_type, data) VALUES (?,?,?,?,?)`,
			evts[i].ID, id, evts[i].DateString(), evts[i].SubEventType, string(data)); err != nil {
			return Ingested{}, fmt.Errorf("ingest %s: store event: %w", a.Name, err)
		}
	}
	if err := insertClaims(ctx, tx, id, evts, claims); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	var dates []string
	for _, e := range evts {
		dates = append(dates, e.DateString())
	}
	if err := refuse(ctx, tx, dates); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: %w", a.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return Ingested{}, fmt.Errorf("ingest %s: commit: %w", a.Name, err)
	}
	return Ingested{ID: id, Events: evts}, nil
}

// articleKey names an article in events: its id and file name.
func articleKey(id int64, name string) string { return fmt.Sprintf("%d:%s", id, name) }

func insertFindings(ctx context.Context, tx *sql.Tx, id int64, res geoparse.Result) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO mentions(article_id, place_id, name, text, start, end, role, kind,
		facility, country, feature_code, population, geo_precision, confidence, lat, lon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare mentions: %w", err)
	}
	defer ins.Close()
	for _, m := range res.Mentions {
		p := m.Place
		kind := string(p.Kind)
		if m.Facility != "" {
			kind = "facility"
		}
		if _, err := ins.ExecContext(ctx, id, int64(p.ID), p.Name, m.Text, m.Start, m.End, m.Role, kind, m.Facility,
			p.Country, p.FeatureCode, p.Population, m.GeoPrecision, m.Confidence, p.Lat, p.Lon); err != nil {
			return fmt.Errorf("store mention: %w", err)
		}
	}
	for _, e := range res.Estimates {
		data, err := json.Marshal(estimateRecord(e))
		if err != nil {
			return fmt.Errorf("encode estimate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO estimates(article_id, start, lat, lon, data) VALUES (?,?,?,?,?)`,
			id, e.Start, e.Lat, e.Lon, string(data)); err != nil {
			return fmt.Errorf("store estimate: %w", err)
		}
	}
	return nil
}

// EstimateRecord is a stored relative estimate.
type EstimateRecord struct {
	Text            string  `json:"text"`
	Start           int     `json:"start"`
	End             int     `json:"end"`
	Anchor          string  `json:"anchor"`
	AnchorID        int64   `json:"anchor_id"`
	AnchorLat       float64 `json:"anchor_lat"`
	AnchorLon       float64 `json:"anchor_lon"`
	DistanceKm      float64 `json:"distance_km"`
	DistanceStated  bool    `json:"distance_stated"`
	Bearing         string  `json:"bearing"`
	BearingDeg      float64 `json:"bearing_deg"`
	HalfSectorDeg   float64 `json:"half_sector_deg"`
	Qualifier       string  `json:"qualifier,omitempty"`
	UncertaintyKm   float64 `json:"uncertainty_km"`
	Lat             float64 `json:"lat"`
	Lon             float64 `json:"lon"`
	ResolvedPlace   string  `json:"resolved_place,omitempty"`
	ResolvedPlaceID int64   `json:"resolved_place_id,omitempty"`
	MeasuredKm      float64 `json:"measured_km,omitempty"`
}

func estimateRecord(e geoparse.Estimate) EstimateRecord {
	r := EstimateRecord{Text: e.Text, Start: e.Start, End: e.End, Anchor: e.Anchor.Name, AnchorID: int64(e.Anchor.ID),
		AnchorLat: e.Anchor.Lat, AnchorLon: e.Anchor.Lon, DistanceKm: e.DistanceKm, DistanceStated: e.DistanceStated,
		Bearing: e.Bearing, BearingDeg: e.BearingDeg, HalfSectorDeg: e.HalfSectorDeg, Qualifier: e.Qualifier,
		UncertaintyKm: e.UncertaintyKm, Lat: e.Lat, Lon: e.Lon, MeasuredKm: e.MeasuredKm}
	if e.ResolvedPlace != nil {
		r.ResolvedPlace, r.ResolvedPlaceID = e.ResolvedPlace.Name, int64(e.ResolvedPlace.ID)
	}
	return r
}

// refuseMargin is how far around the changed events' dates fusion is
// redone: reports fuse within a day of each other, so two days bound
// every group a change can touch.
const refuseMargin = 2 * 24 * time.Hour

// refuse recomputes the fused events around the dates of the events an
// ingest added or a delete removed. It loads the events of that window
// and every member of the fused events there, fuses them again and
// replaces those fused events: the work grows with the window, not with
// the store.
func refuse(ctx context.Context, tx *sql.Tx, dates []string) error {
	if len(dates) == 0 {
		return nil
	}
	lo, hi, err := dateWindow(dates)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	var stale []string
	if err := eachRow(ctx, tx, `SELECT e.event_id, f.id FROM fused_events f JOIN fused_members e ON e.fused_id = f.id
		WHERE f.date BETWEEN ? AND ?`, []any{lo.Add(-refuseMargin).Format(dayLayout), hi.Add(refuseMargin).Format(dayLayout)},
		func(sc func(...any) error) error {
			var ev, f string
			if err := sc(&ev, &f); err != nil {
				return err
			}
			ids[ev] = true
			stale = append(stale, f)
			return nil
		}); err != nil {
		return fmt.Errorf("read fused events: %w", err)
	}
	var evs []events.Event
	seen := map[string]bool{}
	add := func(sc func(...any) error) error {
		var data string
		if err := sc(&data); err != nil {
			return err
		}
		var e events.Event
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		if !seen[e.ID] {
			seen[e.ID] = true
			evs = append(evs, e)
		}
		return nil
	}
	if err := eachRow(ctx, tx, `SELECT data FROM events WHERE date BETWEEN ? AND ?`,
		[]any{lo.Format(dayLayout), hi.Format(dayLayout)}, add); err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	for id := range ids {
		if seen[id] {
			continue
		}
		if err := eachRow(ctx, tx, `SELECT data FROM events WHERE id = ?`, []any{id}, add); err != nil {
			return fmt.Errorf("read events: %w", err)
		}
	}
	for _, f := range stale {
		if _, err := tx.ExecContext(ctx, `DELETE FROM fused_events WHERE id = ?`, f); err != nil {
			return fmt.Errorf("clear fused events: %w", err)
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO fused_events(id, date, event_type, sub_event_type, lat, lon, data) VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare fused events: %w", err)
	}
	defer ins.Close()
	mem, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO fused_members(fused_id, event_id) VALUES (?,?)`)
	if err != nil {
		return fmt.Errorf("prepare fused members: %w", err)
	}
	defer mem.Close()
	for _, f := range events.Fuse(evs) {
		data, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("encode fused event: %w", err)
		}
		if _, err := ins.ExecContext(ctx, f.ID, f.DateString(), f.EventType, f.SubEventType, f.Location.Lat, f.Location.Lon, string(data)); err != nil {
			return fmt.Errorf("store fused event: %w", err)
		}
		for _, src := range f.Sources {
			if _, err := mem.ExecContext(ctx, f.ID, src.ID); err != nil {
				return fmt.Errorf("store fused member: %w", err)
			}
		}
	}
	return nil
}

const dayLayout = "2006-01-02"

// dateWindow is the range of dates, widened by refuseMargin.
func dateWindow(dates []string) (time.Time, time.Time, error) {
	var lo, hi time.Time
	for _, d := range dates {
		t, err := time.Parse(dayLayout, d)
		if err != nil {
			return lo, hi, fmt.Errorf("event date %q: %w", d, err)
		}
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	return lo.Add(-refuseMargin), hi.Add(refuseMargin), nil
}

// eventDates lists the dates of an article's events.
func eventDates(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	var out []string
	err := eachRow(ctx, tx, `SELECT date FROM events WHERE article_id = ?`, []any{id}, func(sc func(...any) error) error {
		var d string
		if err := sc(&d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// eachRow runs a query in tx and calls fn with a scanner for each row.
func eachRow(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FusedEvents returns every fused event, by date.
func (s *Store) FusedEvents(ctx context.Context) ([]FusedRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM fused_events ORDER BY date, id`)
	if err != nil {
		return nil, fmt.Errorf("fused events: %w", err)
	}
	defer rows.Close()
	var out []FusedRecord
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("fused events: %w", err)
		}
		var f FusedRecord
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			return nil, fmt.Errorf("decode fused event: %w", err)
		}
		f.Raw = json.RawMessage(data)
		out = append(out, f)
	}
	return out, rows.Err()
}

// FusedRecord is a stored fused event: its fields for tables, and the raw
// JSON with everything (sources, contradictions) for GeoJSON.
type FusedRecord struct {
	ID             string                 `json:"id"`
	EventType      string                 `json:"event_type"`
	SubEventType   string                 `json:"sub_event_type"`
	Date           string                 `json:"date"`
	TimePrecision  int                    `json:"time_precision"`
	Actor1         string                 `json:"actor1"`
	Actor2         string                 `json:"actor2"`
	Location       events.Location        `json:"location"`
	Fatalities     *int                   `json:"fatalities"`
	NumSources     int                    `json:"num_sources"`
	NumArticles    int                    `json:"num_articles"`
	Contradictions []events.Contradiction `json:"contradictions"`
	Sources        []json.RawMessage      `json:"sources"`
	Raw            json.RawMessage        `json:"-"`
}

// ArticleCount returns how many articles are stored.
func (s *Store) ArticleCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

// Delete removes an article and everything derived from it, and fuses the
// remaining events again.
func (s *Store) Delete(ctx context.Context, id int64) error {
	defer s.version.forget()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete article %d: %w", id, err)
	}
	defer tx.Rollback()
	dates, err := eventDates(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("delete article %d: %w", id, err)
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete article %d: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err := refuse(ctx, tx, dates); err != nil {
		return fmt.Errorf("delete article %d: %w", id, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("delete article %d: %w", id, err)
	}
	return tx.Commit()
}

// bumpVersion marks a change of the stored articles.
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE store_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("bump store version: %w", err)
	}
	return nil
}

// SchemaVersion is the latest migration of the store's tables.
func SchemaVersion() int { return migrations[len(migrations)-1].Version }

// insertClaims stores the claims of control, pointing claims made by
// events at the events' stored ids.
func insertClaims(ctx context.Context, tx *sql.Tx, id int64, evts []events.Event, claims []events.ControlClaim) error {
	if len(claims) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO control_claims(article_id, date, actor, place_id, data) VALUES (?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare claims: %w", err)
	}
	defer ins.Close()
	for _, c := range claims {
		c.Article = id
		// the extractor numbered the events "<name>/event/N"; the store
		// calls the same event "a<id>-eN"
		if i := strings.LastIndex(c.Event, "/event/"); i >= 0 {
			c.Event = fmt.Sprintf("a%d-e%s", id, c.Event[i+len("/event/"):])
		}
		data, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode claim: %w", err)
		}
		if _, err := ins.ExecContext(ctx, id, c.Date, c.Actor, c.PlaceID, string(data)); err != nil {
			return fmt.Errorf("store claim: %w", err)
		}
	}
	return nil
}

// Claims returns every stored claim of control made on or before date
// (YYYY-MM-DD; "" for all), oldest first.
func (s *Store) Claims(ctx context.Context, date string) ([]events.ControlClaim, error) {
	q := `SELECT data FROM control_claims ORDER BY date, rowid`
	args := []any{}
	if date != "" {
		q = `SELECT data FROM control_claims WHERE date <= ? ORDER BY date, rowid`
		args = append(args, date)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	defer rows.Close()
	var out []events.ControlClaim
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("claims: %w", err)
		}
		var c events.ControlClaim
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, fmt.Errorf("decode claim: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
