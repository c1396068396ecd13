package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Limits of the items query.
const (
	defaultLimit = 100
	maxLimit     = 10000
	maxOffset    = 1_000_000_000
)

// ParseBBox reads an OGC bbox: minLon,minLat,maxLon,maxLat (a 6-number 3D
// box keeps its 2D part). A box that crosses the antimeridian has
// minLon > maxLon.
func ParseBBox(s string) (orb.Bound, bool, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, false, fmt.Errorf("bbox needs 4 numbers (minLon,minLat,maxLon,maxLat), got %d", len(parts))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, false, fmt.Errorf("bbox value %q is not a number", p)
		}
		v[i] = f
	}
	minLon, minLat, maxLon, maxLat := v[0], v[1], v[2], v[3]
	if len(v) == 6 {
		minLon, minLat, maxLon, maxLat = v[0], v[1], v[3], v[4]
	}
	if minLat < -90 || maxLat > 90 || minLat > 90 || maxLat < -90 || minLon < -180 || minLon > 180 || maxLon < -180 || maxLon > 180 {
		return orb.Bound{}, false, fmt.Errorf("bbox %s is outside -180..180, -90..90", s)
	}
	if minLat > maxLat {
		return orb.Bound{}, false, fmt.Errorf("bbox %s has its south edge above its north edge", s)
	}
	return orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, minLon > maxLon, nil
}

// Interval is a closed range of days; an end that is not Has… is open.
type Interval struct {
	Start, End       time.Time
	HasStart, HasEnd bool
}

// Overlaps reports whether the interval overlaps [from, to].
func (iv Interval) Overlaps(from, to time.Time) bool {
	if iv.HasStart && to.Before(iv.Start) {
		return false
	}
	if iv.HasEnd && from.After(iv.End) {
		return false
	}
	return true
}

// ParseDatetime reads an OGC datetime: an instant ("2019-04-05" or RFC
// 3339), or an interval "start/end" with ".." (or empty) for an open end.
func ParseDatetime(s string) (Interval, error) {
	if s == "" {
		return Interval{}, fmt.Errorf("datetime is empty")
	}
	if !strings.Contains(s, "/") {
		t, err := parseInstant(s)
		if err != nil {
			return Interval{}, err
		}
		return Interval{Start: t, End: t, HasStart: true, HasEnd: true}, nil
	}
	a, b, _ := strings.Cut(s, "/")
	if strings.Contains(b, "/") {
		return Interval{}, fmt.Errorf("datetime %q has more than one '/'", s)
	}
	var iv Interval
	var err error
	if a != ".." && a != "" {
		if iv.Start, err = parseInstant(a); err != nil {
			return Interval{}, err
		}
		iv.HasStart = true
	}
	if b != ".." && b != "" {
		if iv.End, err = parseInstant(b); err != nil {
			return Interval{}, err
		}
		iv.HasEnd = true
	}
	if (a == ".." || a == "") && (b == ".." || b == "") {
		return Interval{}, fmt.Errorf("datetime %q is open at both ends", s)
	}
	if iv.HasStart && iv.HasEnd && iv.End.Before(iv.Start) {
		return Interval{}, fmt.Errorf("datetime %q ends before it starts", s)
	}
	return iv, nil
}

// parseInstant reads a date or an RFC 3339 date-time, as the UTC day.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		u := t.UTC()
		return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	// GDAL's OAPIF driver sends a date as "2019-01-01T" and may cut a time
	// short ("2019-01-01T10Z", "2019-01-01T10:30Z"); its times are UTC.
	if len(s) > 10 && s[10] == 'T' && (len(s) == 11 || strings.HasSuffix(s, "Z") && shortTime(s[11:len(s)-1])) {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("datetime %q is not a date (YYYY-MM-DD) or an RFC 3339 date-time", s)
}

// parseCount reads a non-negative integer query parameter.
func parseCount(name, s string, def, max int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a whole number", name, s)
	}
	if n < 0 {
		return 0, fmt.Errorf("%s must not be negative, got %d", name, n)
	}
	if n > max {
		return 0, fmt.Errorf("%s must be at most %d, got %d", name, max, n)
	}
	return n, nil
}

// shortTime reports whether s is "hh", "hh:mm" or "hh:mm:ss" with valid
// values (GDAL shortens the times it sends).
func shortTime(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return false
	}
	limits := []int{23, 59, 60}
	for i, p := range parts {
		if len(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return false // two digits, no sign
		}
		if n, _ := strconv.Atoi(p); n > limits[i] {
			return false
		}
	}
	return true
}
