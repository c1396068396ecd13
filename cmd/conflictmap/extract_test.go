package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/geo/article"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// articlePath is a committed test article.
func articlePath(name string) string {
	return filepath.Join(gazettest.RepoRoot(), "testdata", "articles", name)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractRejectsBadInput(t *testing.T) {
	db := fixtureDB(t)
	overLimit := strings.Repeat("a", article.MaxBytes+1)
	tests := []struct {
		name  string
		files map[string]string // written into a temporary folder first
		// sparse files are created with this size, without writing data
		sparse   map[string]int64
		dirs     []string
		stdin    string
		args     []string // relative names are resolved in the folder
		wantCode int
		wantErr  string
	}{
		{name: "empty file", files: map[string]string{"empty.txt": ""},
			args: []string{"empty.txt"}, wantCode: 1, wantErr: "empty.txt: article: empty text"},
		{name: "whitespace-only file", files: map[string]string{"blank.txt": " \n\t\r\n   \n"},
			args: []string{"blank.txt"}, wantCode: 1, wantErr: "blank.txt: article: empty text"},
		{name: "date header and no text", files: map[string]string{"header.txt": "date 2019-04-05\n\n"},
			args: []string{"header.txt"}, wantCode: 1, wantErr: "header.txt: article: empty text"},
		{name: "binary data with NUL bytes", files: map[string]string{"zip.txt": "PK\x03\x04\x14\x00\x00\x00 Tripoli"},
			args: []string{"zip.txt"}, wantCode: 1, wantErr: "zip.txt: article: binary data"},
		{name: "invalid UTF-8", files: map[string]string{"latin1.txt": "Combats pr\xe8s de Tripoli, caf\xe9 ferm\xe9."},
			args: []string{"latin1.txt"}, wantCode: 1, wantErr: "latin1.txt: article: text is not valid UTF-8"},
		{name: "invalid date header", files: map[string]string{"baddate.txt": "date 2019-02-30\nFighting near Tripoli."},
			args: []string{"baddate.txt"}, wantCode: 1, wantErr: `baddate.txt: header: article: invalid date, want YYYY-MM-DD: "2019-02-30"`},
		{name: "50 MB sparse file", sparse: map[string]int64{"huge.txt": 50 << 20},
			args: []string{"huge.txt"}, wantCode: 1, wantErr: "huge.txt: article: larger than 10 MiB (file is 50 MiB)"},
		{name: "text file one byte over the limit", files: map[string]string{"big.txt": overLimit},
			args: []string{"big.txt"}, wantCode: 1, wantErr: "big.txt: article: larger than 10 MiB"},
		{name: "standard input over the limit", stdin: overLimit,
			args: []string{"-"}, wantCode: 1, wantErr: "-: article: larger than 10 MiB"},
		{name: "empty standard input",
			args: []string{"-"}, wantCode: 1, wantErr: "-: article: empty text"},
		{name: "missing file",
			args: []string{"missing.txt"}, wantCode: 1, wantErr: "missing.txt: no such file or directory"},
		{name: "directory", dirs: []string{"articles.d"},
			args: []string{"articles.d"}, wantCode: 1, wantErr: "articles.d: is a directory"},
		{name: "bad second input stops before any output", files: map[string]string{"good.txt": "Fighting near Tripoli.", "empty.txt": ""},
			args: []string{"good.txt", "empty.txt"}, wantCode: 1, wantErr: "empty.txt: article: empty text"},
		{name: "--date with month 13", files: map[string]string{"good.txt": "Fighting near Tripoli."},
			args: []string{"--date", "2019-13-01", "good.txt"}, wantCode: 2, wantErr: `--date: article: invalid date, want YYYY-MM-DD: "2019-13-01"`},
		{name: "--date yesterday", files: map[string]string{"good.txt": "Fighting near Tripoli."},
			args: []string{"--date", "yesterday", "good.txt"}, wantCode: 2, wantErr: `--date: article: invalid date, want YYYY-MM-DD: "yesterday"`},
		{name: "--date without zero padding", files: map[string]string{"good.txt": "Fighting near Tripoli."},
			args: []string{"--date=2019-4-5", "good.txt"}, wantCode: 2, wantErr: `invalid date, want YYYY-MM-DD: "2019-4-5"`},
		{name: "unknown flag", files: map[string]string{"good.txt": "Fighting near Tripoli."},
			args: []string{"--bogus", "good.txt"}, wantCode: 2, wantErr: "flag provided but not defined: -bogus",
		},
		{name: "no FILE argument",
			args: []string{}, wantCode: 2, wantErr: "extract needs at least one FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, size := range tt.sparse {
				f, err := os.Create(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(size); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			for _, d := range tt.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			// run from the folder, so that messages name the files as
			// given on the command line
			t.Chdir(dir)
			args := append([]string{"extract"}, tt.args...)
			res := run(t, newVars(t, db), strings.NewReader(tt.stdin), args...)
			checkOneLineError(t, res, tt.wantCode, tt.wantErr)
		})
	}
}

func TestExtractNoPlaces(t *testing.T) {
	db := fixtureDB(t)
	tests := []struct {
		name string
		text string
	}{
		{"plain sentence", "The weather was mild and nothing happened."},
		{"date header only names no place", "date 2019-04-05\nThe weather was mild and nothing happened.\n"},
		{"capitalised common words", "Nothing Happened. The Weather Was Mild."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, newVars(t, db), strings.NewReader(tt.text), "extract", "-")
			if res.code != 0 || res.stderr != "" {
				t.Fatalf("want exit 0 and a quiet stderr, got\n%v", res)
			}
			fs := decodeFeatureCollection(t, []byte(res.stdout), map[string][]byte{"-": []byte(tt.text)})
			if len(fs) != 0 {
				t.Errorf("got %d features, want none: %v", len(fs), fs)
			}
			// an empty array, never null
			var top struct{ Features json.RawMessage }
			if err := json.Unmarshal([]byte(res.stdout), &top); err != nil {
				t.Fatal(err)
			}
			if got := string(bytes.Join(bytes.Fields(top.Features), nil)); got != "[]" {
				t.Errorf("features = %s, want []", top.Features)
			}
		})
	}
}

// extractFile runs extract on one committed article and checks the output.
func extractFile(t *testing.T, name string) []feature {
	t.Helper()
	path := articlePath(name)
	res := run(t, newVars(t, fixtureDB(t)), nil, "extract", path)
	if res.code != 0 {
		t.Fatalf("extract %s failed:\n%v", name, res)
	}
	return decodeFeatureCollection(t, []byte(res.stdout), map[string][]byte{path: readFile(t, path)})
}

func findPlace(fs []feature, name, role string) (feature, bool) {
	for _, f := range fs {
		if f.kind() == "place" && f.name() == name && f.props["role"] == role {
			return f, true
		}
	}
	return feature{}, false
}

func TestExtractArticle(t *testing.T) {
	fs := extractFile(t, "libya-03.txt")
	if len(fs) == 0 {
		t.Fatal("no features")
	}
	places := []struct {
		name      string
		wantID    int64
		wantCC    string
		wantNoIDs []int64 // rivals of the same name that must not win
	}{
		{"Tripoli", 2210247, "LY", []int64{266826}},
		{"Gharyan", 2217362, "LY", nil},
		{"Benghazi", 88319, "LY", nil},
	}
	for _, tt := range places {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := findPlace(fs, tt.name, "location")
			if !ok {
				t.Fatalf("no place feature named %q", tt.name)
			}
			if got := f.geonameID(); got != tt.wantID {
				t.Errorf("geonameid = %d, want %d", got, tt.wantID)
			}
			if got := f.props["country"]; got != tt.wantCC {
				t.Errorf("country = %v, want %s", got, tt.wantCC)
			}
			for _, g := range fs {
				for _, bad := range tt.wantNoIDs {
					if g.geonameID() == bad {
						t.Errorf("rival %d of %s was chosen: %v", bad, tt.name, g.props)
					}
				}
			}
		})
	}
	t.Run("estimate 60 miles south of Tripoli", func(t *testing.T) {
		var est *feature
		for i, f := range fs {
			if text, _ := f.props["text"].(string); f.kind() == "estimate" && strings.Contains(text, "60 miles south of Tripoli") {
				est = &fs[i]
			}
		}
		if est == nil {
			t.Fatal("no estimate feature for \"60 miles south of Tripoli\"")
		}
		rp, _ := est.props["resolved_place"].(map[string]any)
		if got := intOf(rp["geonameid"]); got != 2217362 {
			t.Errorf("resolved_place = %v, want Gharyan 2217362", est.props["resolved_place"])
		}
		stated, ok := floatOf(est.props["stated_km"])
		if !ok || math.Abs(stated-60*1.609344) > 0.01 {
			t.Errorf("stated_km = %v, want 60 miles = 96.561", est.props["stated_km"])
		}
		measured, ok := floatOf(est.props["measured_km"])
		if !ok {
			t.Fatalf("measured_km = %v, want a number", est.props["measured_km"])
		}
		tri, _ := findPlace(fs, "Tripoli", "location")
		gha, _ := findPlace(fs, "Gharyan", "location")
		// the ellipsoid and the sphere differ by well under 1%
		want := haversineKm(tri.lat, tri.lon, gha.lat, gha.lon)
		if math.Abs(measured-want) > 0.01*want {
			t.Errorf("measured_km = %.3f, want the Tripoli-Gharyan distance %.3f", measured, want)
		}
		// south of the anchor, on its meridian
		if est.lat >= tri.lat || math.Abs(est.lon-tri.lon) > 1e-6 {
			t.Errorf("estimate at [%v, %v] is not due south of Tripoli [%v, %v]", est.lon, est.lat, tri.lon, tri.lat)
		}
	})
}

// TestExtractAllArticles checks every committed article against the output
// contract (valid GeoJSON, spans that match the input bytes).
func TestExtractAllArticles(t *testing.T) {
	paths, err := filepath.Glob(articlePath("*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test articles found: %v", err)
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if fs := extractFile(t, name); len(fs) == 0 {
				t.Errorf("%s: no features", name)
			}
		})
	}
}

func TestExtractOut(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // temporary inputs; others are articles
		args  []string
		stdin string
		want  []string // files in the output folder
	}{
		{
			name: "two articles",
			args: []string{articlePath("libya-01.txt"), articlePath("libya-03.txt")},
			want: []string{"libya-01.geojson", "libya-03.geojson"},
		},
		{
			name:  "dotted name and standard input",
			files: map[string]string{"report.v2.txt": "Shelling hit Tripoli and Gharyan."},
			args:  []string{"report.v2.txt", "-"},
			stdin: "Clashes were reported in Benghazi.",
			want:  []string{"report.v2.geojson", "stdin.geojson"},
		},
		{
			name:  "x.txt",
			files: map[string]string{"x.txt": "Fighting near Sirte.", "y": "Fighting near Tobruk."},
			args:  []string{"x.txt", "y"},
			want:  []string{"x.geojson", "y.geojson"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := t.TempDir()
			inputs := map[string][]byte{}
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(in, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(in)
			for _, a := range tt.args {
				if a == "-" {
					inputs[a] = []byte(tt.stdin)
				} else {
					inputs[a] = readFile(t, a)
				}
			}
			out := filepath.Join(t.TempDir(), "nested", "out")
			args := append([]string{"extract", "--out", out}, tt.args...)
			res := run(t, newVars(t, fixtureDB(t)), strings.NewReader(tt.stdin), args...)
			if res.code != 0 {
				t.Fatalf("extract --out failed:\n%v", res)
			}
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing", clip(res.stdout))
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("output folder holds %v, want %v", got, tt.want)
			}
			for i, a := range tt.args {
				fs := decodeFeatureCollection(t, readFile(t, filepath.Join(out, tt.want[i])), inputs)
				if len(fs) == 0 {
					t.Errorf("%s: no features", tt.want[i])
				}
				for _, f := range fs {
					if f.props["article"] != a && f.props["article"] != filepath.Base(a) {
						t.Errorf("%s holds a feature of article %v, want %q", tt.want[i], f.props["article"], a)
					}
				}
			}
		})
	}
}

// stripArticle removes what depends on the input's name (feature ids and
// the article property), so that runs on the same text compare equal.
func stripArticle(t *testing.T, fs []feature) string {
	t.Helper()
	var out []any
	for _, f := range fs {
		p := map[string]any{}
		for k, v := range f.props {
			if k != "article" && k != "article_date" {
				p[k] = v
			}
		}
		id, _ := f.id.(string)
		if i := strings.Index(id, "/place/"); i >= 0 {
			id = id[i:]
		} else if i := strings.Index(id, "/estimate/"); i >= 0 {
			id = id[i:]
		} else if i := strings.Index(id, "/event/"); i >= 0 {
			id = id[i:]
		}
		out = append(out, []any{id, f.lon, f.lat, p})
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExtractStdinAndDate(t *testing.T) {
	db := fixtureDB(t)
	libya03 := readFile(t, articlePath("libya-03.txt"))
	fromFile := stripArticle(t, extractFile(t, "libya-03.txt"))
	tests := []struct {
		name  string
		args  []string
		stdin string
		// wantDate is the date any dated output property must carry;
		// notDate must appear nowhere in the output.
		wantDate, notDate string
		// sameAsFile: the output must equal that of extracting libya-03.txt
		// by file name, apart from the article name.
		sameAsFile bool
		wantPlace  string
	}{
		{name: "article on standard input", args: []string{"-"}, stdin: string(libya03),
			wantDate: "2019-04-05", sameAsFile: true, wantPlace: "Gharyan"},
		{name: "--date overrides the header", args: []string{"--date", "2020-01-02", "-"},
			stdin: "date 2019-04-05\nFighting was reported near Tripoli.\n", wantDate: "2020-01-02", notDate: "2019-04-05", wantPlace: "Tripoli"},
		{name: "--date= form overrides the header", args: []string{"--date=2020-01-02", "-"},
			stdin: "date 2019-04-05\nFighting was reported near Tripoli.\n", wantDate: "2020-01-02", notDate: "2019-04-05", wantPlace: "Tripoli"},
		{name: "--date without a header", args: []string{"--date", "2020-01-02", "-"},
			stdin: "Fighting was reported near Tripoli.\n", wantDate: "2020-01-02", wantPlace: "Tripoli"},
		{name: "--date keeps the article text", args: []string{"--date", "2020-01-02", "-"}, stdin: string(libya03),
			// events move with the date, so only the places are compared
			wantDate: "2020-01-02", notDate: "2019-04-05", wantPlace: "Gharyan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, newVars(t, db), strings.NewReader(tt.stdin), append([]string{"extract"}, tt.args...)...)
			if res.code != 0 {
				t.Fatalf("extract failed:\n%v", res)
			}
			fs := decodeFeatureCollection(t, []byte(res.stdout), map[string][]byte{"-": []byte(tt.stdin)})
			if _, ok := findPlace(fs, tt.wantPlace, "location"); !ok {
				t.Errorf("%s not found\n%s", tt.wantPlace, res.stdout)
			}
			if tt.notDate != "" && strings.Contains(res.stdout, tt.notDate) {
				t.Errorf("the header date %s leaks into the output despite --date", tt.notDate)
			}
			for _, f := range fs {
				for k, v := range f.props {
					if s, ok := v.(string); ok && k == "article_date" && s != tt.wantDate {
						t.Errorf("property %s = %q, want %s", k, s, tt.wantDate)
					}
				}
			}
			if tt.sameAsFile {
				if got := stripArticle(t, fs); got != fromFile {
					t.Errorf("output differs from extracting the file by name:\n got %s\nwant %s", clip(got), clip(fromFile))
				}
			}
		})
	}
}

// TestExtractGolden compares the whole output for one article with a
// reviewed copy. Regenerate it with
//
//	go test ./cmd/conflictmap -run TestExtractGolden -update
func TestExtractGolden(t *testing.T) {
	tests := []struct {
		article, golden string
	}{
		{"libya-01.txt", "libya-01.geojson"},
	}
	for _, tt := range tests {
		t.Run(tt.article, func(t *testing.T) {
			golden, err := filepath.Abs(filepath.Join("testdata", "golden", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			vars := newVars(t, fixtureDB(t))
			// run from the articles folder so the output names the article
			// as "libya-01.txt", whatever the checkout's path
			t.Chdir(filepath.Dir(articlePath(tt.article)))
			res := run(t, vars, nil, "extract", tt.article)
			if res.code != 0 {
				t.Fatalf("extract failed:\n%v", res)
			}
			decodeFeatureCollection(t, []byte(res.stdout), map[string][]byte{tt.article: readFile(t, tt.article)})
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(res.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", golden)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if got := res.stdout; got != string(want) {
				t.Errorf("output differs from %s (rerun with -update if the change is intended):\n%s", golden, firstDiff(string(want), got))
			}
		})
	}
}

// firstDiff shows the first differing line with some context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			var b strings.Builder
			for j := max(0, i-3); j < i; j++ {
				b.WriteString("  " + wl[j] + "\n")
			}
			b.WriteString("- " + w + "\n+ " + g + "\n")
			return b.String()
		}
	}
	return "(no line differs)"
}
