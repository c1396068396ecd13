package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/paulmach/orb"
)

// Area is where and when the server's events are: the requests aim there
// so that they hit data rather than empty sea.
type Area struct {
	Bound    orb.Bound `json:"bound"`
	From, To time.Time
	Events   []orb.Point `json:"-"`
}

// World is the area used when the server holds no events yet.
var World = Area{Bound: orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}}

// FetchArea reads the server's events (up to 10,000) and returns their
// extent, padded by a degree, and their date range.
func FetchArea(ctx context.Context, c *http.Client, base string) (Area, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/collections/events/items?limit=10000", nil)
	if err != nil {
		return Area{}, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return Area{}, fmt.Errorf("read events: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Area{}, fmt.Errorf("read events: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return Area{}, fmt.Errorf("read events: %w", err)
	}
	return ParseArea(body)
}

// ParseArea reads the area of a GeoJSON FeatureCollection of events:
// Point geometries and a "date" property (YYYY-MM-DD).
func ParseArea(body []byte) (Area, error) {
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Date string `json:"date"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return Area{}, fmt.Errorf("read events: %w", err)
	}
	var a Area
	for _, f := range fc.Features {
		var c []float64
		if f.Geometry.Type != "Point" || json.Unmarshal(f.Geometry.Coordinates, &c) != nil || len(c) < 2 {
			continue
		}
		p := orb.Point{c[0], c[1]}
		if len(a.Events) == 0 {
			a.Bound = p.Bound()
		} else {
			a.Bound = a.Bound.Extend(p)
		}
		a.Events = append(a.Events, p)
		d, err := time.Parse("2006-01-02", f.Properties.Date)
		if err != nil {
			continue
		}
		if a.From.IsZero() || d.Before(a.From) {
			a.From = d
		}
		if d.After(a.To) {
			a.To = d
		}
	}
	if len(a.Events) == 0 {
		w := World
		w.From = time.Now().UTC().Truncate(24 * time.Hour)
		w.To = w.From
		return w, nil
	}
	a.Bound = a.Bound.Pad(1)
	a.Bound.Min[0], a.Bound.Max[0] = max(a.Bound.Min[0], -180), min(a.Bound.Max[0], 180)
	a.Bound.Min[1], a.Bound.Max[1] = max(a.Bound.Min[1], -85), min(a.Bound.Max[1], 85)
	if a.From.IsZero() {
		a.From = time.Now().UTC().Truncate(24 * time.Hour)
		a.To = a.From
	}
	return a, nil
}
