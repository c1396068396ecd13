package main

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// feature is one decoded output feature; numbers in props are json.Number.
type feature struct {
	id       any
	lon, lat float64
	props    map[string]any
}

func (f feature) kind() string { s, _ := f.props["kind"].(string); return s }

func (f feature) name() string { s, _ := f.props["name"].(string); return s }

// geonameID is the feature's geonameid, or 0 when it is null or absent.
func (f feature) geonameID() int64 { return intOf(f.props["geonameid"]) }

// coordRe is a plain JSON number with at most 6 decimals (RFC 7946 §11.2
// recommends 6; more is false precision, and no exponent form either).
var coordRe = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]{1,6})?$`)

// decodeFeatureCollection checks that raw is one RFC 7946 FeatureCollection
// of conflictmap features and returns them. inputs maps each article name
// to its bytes, so that mention offsets can be checked against the input;
// a feature may name its article by the input's path or its base name.
func decodeFeatureCollection(t *testing.T, raw []byte, inputs map[string][]byte) []feature {
	t.Helper()
	byName := map[string][]byte{}
	for name, b := range inputs {
		byName[name] = b
		byName[filepath.Base(name)] = b
	}
	inputs = byName
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&top); err != nil {
		t.Fatalf("output is not a JSON object: %v\n%s", err, clip(string(raw)))
	}
	if dec.More() {
		t.Fatalf("output holds more than one JSON value")
	}
	if got := string(top["type"]); got != `"FeatureCollection"` {
		t.Fatalf("type = %s, want \"FeatureCollection\"", got)
	}
	if _, ok := top["crs"]; ok {
		t.Errorf("RFC 7946 drops \"crs\", but the output has one")
	}
	fs := bytes.TrimSpace(top["features"])
	if len(fs) == 0 || fs[0] != '[' {
		t.Fatalf("features = %s, want an array", fs)
	}
	var rawFeatures []json.RawMessage
	if err := json.Unmarshal(fs, &rawFeatures); err != nil {
		t.Fatalf("features: %v", err)
	}
	out := make([]feature, 0, len(rawFeatures))
	for i, rf := range rawFeatures {
		out = append(out, decodeFeature(t, i, rf, inputs))
	}
	return out
}

func decodeFeature(t *testing.T, i int, raw json.RawMessage, inputs map[string][]byte) feature {
	t.Helper()
	var f struct {
		Type     string          `json:"type"`
		ID       any             `json:"id"`
		Geometry json.RawMessage `json:"geometry"`
		Props    json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("feature %d: %v", i, err)
	}
	if f.Type != "Feature" {
		t.Errorf("feature %d: type = %q, want Feature", i, f.Type)
	}
	c, props := decodePointFeature(t, i, f.Geometry, f.Props)
	ft := feature{id: f.ID, lon: c[0], lat: c[1], props: props}
	article, _ := props["article"].(string)
	input, ok := inputs[article]
	if !ok {
		t.Errorf("feature %d: article = %q, not one of the inputs", i, article)
	}
	switch ft.kind() {
	case "place", "demonym":
		checkPlace(t, i, ft, input)
		if role := ft.props["role"]; (ft.kind() == "demonym") != (role == "associated") {
			t.Errorf("feature %d (%s): kind %s with role %v: demonyms, and only they, are associated", i, ft.name(), ft.kind(), role)
		}
	case "estimate":
		checkEstimate(t, i, ft, input)
	case "event":
		checkEvent(t, i, ft, input)
	default:
		t.Errorf("feature %d: kind = %v, want place, demonym, estimate or event", i, props["kind"])
	}
	return ft
}

func checkPlace(t *testing.T, i int, f feature, input []byte) {
	t.Helper()
	p := f.props
	if f.name() == "" {
		t.Errorf("feature %d: place has no name", i)
	}
	if id, ok := p["geonameid"]; !ok || (id != nil && !isPositiveInt(id)) {
		t.Errorf("feature %d (%s): geonameid = %v, want a positive integer or null", i, f.name(), id)
	}
	if cc, ok := p["country"].(string); !ok || (cc != "" && !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(cc)) {
		t.Errorf("feature %d (%s): country = %v, want an ISO 3166-1 alpha-2 code", i, f.name(), p["country"])
	}
	if fc, ok := p["feature_code"].(string); !ok || fc == "" {
		t.Errorf("feature %d (%s): feature_code = %v, want a GeoNames code", i, f.name(), p["feature_code"])
	}
	if pop, ok := p["population"].(json.Number); !ok || intOf(pop) < 0 || strings.ContainsAny(pop.String(), ".eE") {
		t.Errorf("feature %d (%s): population = %v, want an integer >= 0", i, f.name(), p["population"])
	}
	if c, ok := floatOf(p["confidence"]); !ok || c <= 0 || c > 1 {
		t.Errorf("feature %d (%s): confidence = %v, want a number in (0, 1]", i, f.name(), p["confidence"])
	}
	if r := p["role"]; r != "location" && r != "associated" {
		t.Errorf("feature %d (%s): role = %v, want location or associated", i, f.name(), r)
	}
	mentions, ok := p["mentions"].([]any)
	if !ok {
		t.Errorf("feature %d (%s): mentions = %v, want an array", i, f.name(), p["mentions"])
	}
	refs, _ := p["references"].([]any)
	if len(mentions)+len(refs) == 0 {
		t.Errorf("feature %d (%s): neither mentions nor references", i, f.name())
	}
	for _, m := range append(mentions, refs...) {
		mm, _ := m.(map[string]any)
		text, _ := mm["text"].(string)
		checkSpan(t, i, input, text, mm["start"], mm["end"])
	}
}

func checkEstimate(t *testing.T, i int, f feature, input []byte) {
	t.Helper()
	p := f.props
	text, _ := p["text"].(string)
	checkSpan(t, i, input, text, p["start"], p["end"])
	if a, ok := p["anchor"].(string); !ok || a == "" {
		t.Errorf("feature %d (%q): anchor = %v, want a place name", i, text, p["anchor"])
	}
	switch rp := p["resolved_place"].(type) {
	case nil:
	case map[string]any:
		if id := rp["geonameid"]; id != nil && !isPositiveInt(id) {
			t.Errorf("feature %d (%q): resolved_place.geonameid = %v", i, text, id)
		}
	default:
		t.Errorf("feature %d (%q): resolved_place = %v, want an object or null", i, text, rp)
	}
	for _, k := range []string{"stated_km", "measured_km"} {
		if v, ok := p[k]; ok {
			if km, ok := floatOf(v); !ok || km <= 0 {
				t.Errorf("feature %d (%q): %s = %v, want a positive number", i, text, k, v)
			}
		}
	}
	// the claims check: ratio = stated / measured
	stated, okS := floatOf(p["stated_km"])
	measured, okM := floatOf(p["measured_km"])
	if okS && okM && measured > 0 {
		ratio, ok := floatOf(p["ratio"])
		if !ok || math.Abs(ratio-stated/measured) > 0.001 {
			t.Errorf("feature %d (%q): ratio = %v, want stated/measured = %.3f", i, text, p["ratio"], stated/measured)
		}
	}
}

// acledTypes are ACLED's event types with their sub-event types.
var acledTypes = map[string][]string{
	"Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
	"Explosions/Remote violence": {"Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
		"Suicide bomb", "Grenade", "Chemical weapon"},
	"Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
	"Protests":                   {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
	"Riots":                      {"Violent demonstration", "Mob violence"},
	"Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Headquarters or base established",
		"Looting/property destruction", "Non-violent transfer of territory", "Other"},
}

// checkEvent checks an event feature: ACLED type and sub-type, date and
// precisions, and sentences that are exact spans of the input.
func checkEvent(t *testing.T, i int, f feature, input []byte) {
	t.Helper()
	p := f.props
	et, _ := p["event_type"].(string)
	st, _ := p["sub_event_type"].(string)
	ok := false
	for _, sub := range acledTypes[et] {
		ok = ok || sub == st
	}
	if !ok {
		t.Errorf("feature %d: %q / %q is not an ACLED type and sub-type", i, et, st)
	}
	if d, _ := p["date"].(string); !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(d) {
		t.Errorf("feature %d: date = %v, want YYYY-MM-DD", i, p["date"])
	}
	for _, k := range []string{"time_precision", "geo_precision"} {
		if n := intOf(p[k]); !isInt(p[k]) || n < 1 || n > 3 {
			t.Errorf("feature %d: %s = %v, want 1, 2 or 3", i, k, p[k])
		}
	}
	sents, _ := p["sentences"].([]any)
	if len(sents) == 0 {
		t.Errorf("feature %d: no sentences (provenance)", i)
	}
	for _, s := range sents {
		m, _ := s.(map[string]any)
		text, _ := m["text"].(string)
		checkSpan(t, i, input, text, m["start"], m["end"])
	}
}

// checkSpan checks that input[start:end] is exactly text.
func checkSpan(t *testing.T, i int, input []byte, text string, start, end any) {
	t.Helper()
	s, e := intOf(start), intOf(end)
	if !isInt(start) || !isInt(end) || text == "" || s < 0 || e <= s || e > int64(len(input)) {
		t.Errorf("feature %d: span %q [%v:%v] is not inside the %d-byte input", i, text, start, end, len(input))
		return
	}
	if got := string(input[s:e]); got != text {
		t.Errorf("feature %d: input[%d:%d] = %q, want %q", i, s, e, got, text)
	}
}

func isInt(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

func isPositiveInt(v any) bool { return isInt(v) && intOf(v) > 0 }

func intOf(v any) int64 {
	n, _ := v.(json.Number)
	i, _ := n.Int64()
	return i
}

func floatOf(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// haversineKm is the great-circle distance on the mean-radius sphere.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// decodePointFeature checks a feature's geometry is a Point [lon, lat] in
// range, with plain coordinates of at most 6 decimals, and decodes its
// properties with numbers kept as json.Number.
func decodePointFeature(t *testing.T, i int, geometry, properties json.RawMessage) ([2]float64, map[string]any) {
	t.Helper()
	var g struct {
		Type        string            `json:"type"`
		Coordinates []json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(geometry, &g); err != nil || g.Type != "Point" || len(g.Coordinates) != 2 {
		t.Fatalf("feature %d: geometry = %s, want a Point [lon, lat]", i, geometry)
	}
	var c [2]float64
	for j, rc := range g.Coordinates {
		if !coordRe.Match(rc) {
			t.Errorf("feature %d: coordinate %s is not a plain number with at most 6 decimals", i, rc)
		}
		if err := json.Unmarshal(rc, &c[j]); err != nil {
			t.Fatalf("feature %d: coordinate %s: %v", i, rc, err)
		}
	}
	if c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
		t.Errorf("feature %d: coordinates [%v, %v] are not [lon, lat] in range", i, c[0], c[1])
	}
	props := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(properties))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil {
		t.Fatalf("feature %d: properties: %v", i, err)
	}
	return c, props
}
