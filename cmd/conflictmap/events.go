package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/store"
)

// acledColumns are the CSV columns, named as in ACLED's data.
var acledColumns = []string{"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
	"latitude", "longitude", "geo_precision", "time_precision", "source", "notes", "fatalities"}

func runEvents(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet("events", env.Stdout)
	dbPath := fset.String("db", defaultDBPath(env), "SQLite database file")
	format := fset.String("format", "geojson", "output format: geojson or csv")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if *format != "geojson" && *format != "csv" {
		return fmt.Errorf("%w: --format must be geojson or csv, got %q", errUsage, *format)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s: ingest articles first ('conflictmap ingest FILE|DIR')", *dbPath)
	}
	db, _, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := store.New(ctx, db)
	if err != nil {
		return err
	}
	fused, err := st.FusedEvents(ctx)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return writeACLED(env.Stdout, fused)
	}
	return writeFusedGeoJSON(env, fused)
}

func writeFusedGeoJSON(env *Env, fused []store.FusedRecord) error {
	type feature struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, f := range fused {
		var props map[string]any
		if err := json.Unmarshal(f.Raw, &props); err != nil {
			return fmt.Errorf("decode fused event %s: %w", f.ID, err)
		}
		props["kind"] = "event"
		props["location_name"] = f.Location.Name
		props["geo_precision"] = f.Location.GeoPrecision
		p, err := json.Marshal(props)
		if err != nil {
			return err
		}
		geom := fmt.Sprintf(`{"type":"Point","coordinates":[%s,%s]}`, coord(f.Location.Lon), coord(f.Location.Lat))
		fc.Features = append(fc.Features, feature{"Feature", f.ID, json.RawMessage(geom), p})
	}
	return encodeJSON(env.Stdout, fc)
}

func coord(x float64) string {
	return strconv.FormatFloat(float64(int64(x*1e6+sign(x)*0.5))/1e6, 'f', -1, 64)
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// writeACLED writes the fused events with ACLED's column names.
func writeACLED(out io.Writer, fused []store.FusedRecord) error {
	w := csv.NewWriter(out)
	if err := w.Write(acledColumns); err != nil {
		return err
	}
	for _, f := range fused {
		var sources []events.Event
		for _, raw := range f.Sources {
			var e events.Event
			if err := json.Unmarshal(raw, &e); err == nil {
				sources = append(sources, e)
			}
		}
		var srcNames, notes []string
		seen := map[string]bool{}
		for _, e := range sources {
			if !seen[e.Source] {
				seen[e.Source] = true
				srcNames = append(srcNames, e.Source)
			}
			if len(e.Sentences) > 0 {
				notes = append(notes, e.Sentences[0].Text)
			}
		}
		for _, c := range f.Contradictions {
			var vals []string
			for _, cl := range c.Claims {
				vals = append(vals, fmt.Sprintf("%v (%s)", cl.Value, cl.Source))
			}
			notes = append(notes, fmt.Sprintf("Sources disagree on %s: %s; used %v: %s.", c.Field, strings.Join(vals, " vs "), c.Used, c.Why))
		}
		fat := "0"
		if f.Fatalities != nil {
			fat = strconv.Itoa(*f.Fatalities)
		}
		rec := []string{f.ID, f.Date, f.EventType, f.SubEventType, f.Actor1, f.Actor2, f.Location.Name,
			strconv.FormatFloat(f.Location.Lat, 'f', 6, 64), strconv.FormatFloat(f.Location.Lon, 'f', 6, 64),
			strconv.Itoa(f.Location.GeoPrecision), strconv.Itoa(f.TimePrecision), strings.Join(srcNames, "; "),
			strings.Join(notes, " "), fat}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
