package corpus

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// UCDPEvent is one row of ucdp-dev/gold.csv: UCDP GED's coding of the
// event one headline reports. The headline itself is the article file
// <ID>.txt; Text repeats it.
type UCDPEvent struct {
	ID                 string
	Country            string // UCDP's country name, e.g. "DR Congo"
	DateStart, DateEnd time.Time
	// WherePrec is UCDP's location precision: 1 the exact place … 3 a
	// second-order region.
	WherePrec int
	// WhereCoordinates names the place the point stands for, e.g.
	// "Mashango village"; WhereDescription says more.
	WhereCoordinates string
	WhereDescription string
	Adm1, Adm2       string
	Lat, Lon         float64
	Best, Low, High  int // deaths
	// AltCoords are the other points UCDP coded for the same headline, as
	// {lat, lon}.
	AltCoords [][2]float64
	Text      string
}

// ucdpColumns are the columns ReadUCDP needs; others are ignored.
var ucdpColumns = []string{"id", "date_start", "date_end", "where_prec", "where_coordinates",
	"latitude", "longitude", "best", "alt_coords"}

// ReadUCDP decodes gold.csv. Columns are found by their header name.
func ReadUCDP(r io.Reader) ([]UCDPEvent, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrGold, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range ucdpColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%w: no %q column", ErrGold, c)
		}
	}
	var out []UCDPEvent
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrGold, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		ev, err := ucdpRow(get)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrGold, line, err)
		}
		out = append(out, ev)
	}
}

// ucdpRow builds an event from one record's fields.
func ucdpRow(get func(string) string) (UCDPEvent, error) {
	ev := UCDPEvent{ID: get("id"), Country: get("country"), WhereCoordinates: get("where_coordinates"),
		WhereDescription: get("where_description"), Adm1: get("adm_1"), Adm2: get("adm_2"), Text: get("text")}
	if ev.ID == "" || strings.ContainsAny(ev.ID, `/\`) {
		return ev, fmt.Errorf("id %q", ev.ID)
	}
	var err error
	if ev.DateStart, err = time.Parse(time.DateOnly, get("date_start")); err != nil {
		return ev, fmt.Errorf("date_start: %v", err)
	}
	if ev.DateEnd, err = time.Parse(time.DateOnly, get("date_end")); err != nil {
		return ev, fmt.Errorf("date_end: %v", err)
	}
	if ev.DateEnd.Before(ev.DateStart) {
		return ev, fmt.Errorf("date_end %s before date_start", get("date_end"))
	}
	ints := []struct {
		name     string
		dst      *int
		optional bool
	}{{"where_prec", &ev.WherePrec, false}, {"best", &ev.Best, false}, {"low", &ev.Low, true}, {"high", &ev.High, true}}
	for _, f := range ints {
		s := get(f.name)
		if s == "" && f.optional {
			continue
		}
		if *f.dst, err = strconv.Atoi(s); err != nil {
			return ev, fmt.Errorf("%s: %v", f.name, err)
		}
	}
	if ev.Lat, err = strconv.ParseFloat(get("latitude"), 64); err != nil {
		return ev, fmt.Errorf("latitude: %v", err)
	}
	if ev.Lon, err = strconv.ParseFloat(get("longitude"), 64); err != nil {
		return ev, fmt.Errorf("longitude: %v", err)
	}
	if !onGlobe(ev.Lat, ev.Lon) {
		return ev, fmt.Errorf("point %v,%v off the globe", ev.Lat, ev.Lon)
	}
	if s := strings.TrimSpace(get("alt_coords")); s != "" {
		var pts [][]float64
		if err := json.Unmarshal([]byte(s), &pts); err != nil {
			return ev, fmt.Errorf("alt_coords: %v", err)
		}
		for _, p := range pts {
			if len(p) != 2 || !onGlobe(p[0], p[1]) {
				return ev, fmt.Errorf("alt_coords: %v is not a [lat, lon] point", p)
			}
			ev.AltCoords = append(ev.AltCoords, [2]float64{p[0], p[1]})
		}
	}
	return ev, nil
}

// File is the article file that holds the event's headline.
func (e UCDPEvent) File() string { return e.ID + ".txt" }

// LoadUCDP reads the gold.csv file at path.
func LoadUCDP(path string) ([]UCDPEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open ucdp gold: %w", err)
	}
	defer f.Close()
	evs, err := ReadUCDP(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return evs, nil
}
