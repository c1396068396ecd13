package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
)

// stats runs `gazetteer stats --db db` and returns its counts by name.
func stats(t *testing.T, db string) map[string]int {
	t.Helper()
	res := run(t, newVars(t, ""), nil, "gazetteer", "stats", "--db", db)
	if res.code != 0 || res.stderr != "" {
		t.Fatalf("gazetteer stats failed:\n%v", res)
	}
	got := map[string]int{}
	for _, l := range strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n") {
		k, v, ok := strings.Cut(l, "\t")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			t.Fatalf("stats line %q is not NAME<TAB>COUNT", l)
		}
		got[k] = n
	}
	for _, k := range []string{"places", "names", "countries", "common_words"} {
		if _, ok := got[k]; !ok {
			t.Fatalf("stats has no %s line:\n%s", k, res.stdout)
		}
	}
	return got
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// importSummary is the summary line of `gazetteer import` without its
// timing.
var importSummary = regexp.MustCompile(`(?m)^(imported \d+ places.* into .*) in [0-9.]+s$`)

// geonamesOnly are the flags that skip every optional source.
func geonamesOnly() []string {
	var args []string
	for _, s := range sources(gazettest.FixtureSources()) {
		if s.field != "GeoNames" {
			args = append(args, "--"+s.flag+"=")
		}
	}
	return args
}

func TestGazetteerImportTwice(t *testing.T) {
	tests := []struct {
		name  string
		extra []string // flags after the fixture import's
		// nonZero lists the counts that must be above zero
		nonZero []string
	}{
		{"all sources", nil, []string{"places", "names", "countries", "common_words"}},
		{"GeoNames only", geonamesOnly(), []string{"places", "names"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "g.db")
			args := append(importArgs(db), tt.extra...)
			var runs []map[string]int
			var summaries []string
			for i := 0; i < 2; i++ {
				res := run(t, newVars(t, ""), nil, args...)
				if res.code != 0 || res.stdout != "" {
					t.Fatalf("import %d failed:\n%v", i+1, res)
				}
				m := importSummary.FindStringSubmatch(res.stderr)
				if m == nil {
					t.Fatalf("import %d printed no summary:\n%s", i+1, res.stderr)
				}
				summaries = append(summaries, m[1])
				runs = append(runs, stats(t, db))
			}
			if !sameCounts(runs[0], runs[1]) {
				t.Errorf("second import changed the counts: %v -> %v", runs[0], runs[1])
			}
			if summaries[0] != summaries[1] {
				t.Errorf("second import reported %q, first %q", summaries[1], summaries[0])
			}
			for _, k := range tt.nonZero {
				if runs[0][k] == 0 {
					t.Errorf("%s = 0 after import: %v", k, runs[0])
				}
			}
		})
	}
}

func TestGazetteerImportErrors(t *testing.T) {
	src := gazettest.FixtureSources()
	tests := []struct {
		name     string
		args     []string // override the fixture import's flags
		wantCode int
		wantErr  string
		// progress: the import may have reported progress on earlier
		// sources before the error line
		progress bool
	}{
		{"missing GeoNames file", []string{"--geonames", "/nonexistent/cities500.txt"}, 1, "open /nonexistent/cities500.txt: no such file or directory", false},
		{"GeoNames path is a folder", []string{"--geonames", filepath.Dir(src.GeoNames)}, 1, "is a directory", false},
		{"missing optional file", []string{"--words", "/nonexistent/index.json"}, 1, "open /nonexistent/index.json: no such file or directory", true},
		{"malformed optional file", []string{"--countries", src.GeoNames}, 1, "import " + src.GeoNames, true},
		{"stray argument", []string{"extra"}, 2, `gazetteer import takes no arguments, got "extra"`, false},
		{"county shapes without their units", []string{"--admin2="}, 2, "--us-counties needs --admin2", false},
		{"malformed county shapes", []string{"--us-counties", src.Admin2}, 1, "import " + src.Admin2 + ": decode counties", true},
		{"unknown flag", []string{"--bogus"}, 2, "flag provided but not defined: -bogus", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// a failed import must leave an existing gazetteer untouched
			db := filepath.Join(t.TempDir(), "g.db")
			if res := run(t, newVars(t, ""), nil, importArgs(db)...); res.code != 0 {
				t.Fatalf("first import failed:\n%v", res)
			}
			before := stats(t, db)
			res := run(t, newVars(t, ""), nil, append(importArgs(db), tt.args...)...)
			if tt.progress {
				// keep the error line only; no other line may look like one
				i := strings.LastIndex(strings.TrimSuffix(res.stderr, "\n"), "\n")
				if strings.Count(res.stderr, "conflictmap: ") != 1 {
					t.Errorf("want exactly one error line, got:\n%s", res.stderr)
				}
				res.stderr = res.stderr[i+1:]
			}
			checkOneLineError(t, res, tt.wantCode, tt.wantErr)
			if after := stats(t, db); !sameCounts(before, after) {
				t.Errorf("failed import changed the counts: %v -> %v", before, after)
			}
		})
	}
}

// bundledData lays out the fixture files where gazetteer.DefaultSources
// looks for the bundled data, as `make data` would.
func bundledData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	fix := sources(gazettest.FixtureSources())
	for i, def := range sources(gazetteer.DefaultSources(dir)) {
		from := fix[i].path
		if from == "" {
			t.Fatalf("the fixture has no %s file, which a first-use import reads from %s", def.field, def.path)
		}
		if !strings.HasPrefix(def.path, dir+string(filepath.Separator)) {
			t.Fatalf("DefaultSources put %s outside the data folder %s", def.path, dir)
		}
		if err := os.MkdirAll(filepath.Dir(def.path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(from, def.path); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestExtractBuildsGazetteerOnFirstUse(t *testing.T) {
	want := stats(t, fixtureDB(t))
	tests := []struct {
		name string
		// vars adjusts the environment; wantDB is where the database
		// must appear, relative to home.
		vars   func(home string, v map[string]string)
		wantDB string
	}{
		{"CONFLICTMAP_DB", func(home string, v map[string]string) {
			v["CONFLICTMAP_DB"] = filepath.Join(home, "new", "folder", "g.db")
		}, filepath.Join("new", "folder", "g.db")},
		{"XDG_DATA_HOME", func(home string, v map[string]string) {
			v["XDG_DATA_HOME"] = filepath.Join(home, "xdg")
		}, filepath.Join("xdg", "conflictmap", "conflictmap.db")},
		{"HOME", func(home string, v map[string]string) {
			delete(v, "XDG_DATA_HOME")
		}, filepath.Join(".local", "share", "conflictmap", "conflictmap.db")},
	}
	article := articlePath("libya-03.txt")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := newVars(t, "")
			home := vars["HOME"]
			vars["CONFLICTMAP_DATA"] = bundledData(t)
			tt.vars(home, vars)
			db := filepath.Join(home, tt.wantDB)

			res := run(t, vars, nil, "extract", article)
			if res.code != 0 {
				t.Fatalf("first extract failed:\n%v", res)
			}
			if !strings.Contains(res.stderr, "importing the bundled data once") {
				t.Errorf("first extract did not say it builds the gazetteer:\n%s", res.stderr)
			}
			fs := decodeFeatureCollection(t, []byte(res.stdout), map[string][]byte{article: readFile(t, article)})
			if f, ok := findPlace(fs, "Tripoli", "location"); !ok || f.geonameID() != 2210247 {
				t.Errorf("Tripoli is not resolved to 2210247 with the built gazetteer")
			}
			if _, err := os.Stat(db); err != nil {
				t.Fatalf("database not created where expected: %v", err)
			}
			if got := stats(t, db); !sameCounts(got, want) {
				t.Errorf("built gazetteer counts %v, want those of the fixture import %v", got, want)
			}

			again := run(t, vars, nil, "extract", article)
			if again.code != 0 || again.stderr != "" {
				t.Errorf("second extract should reuse the gazetteer quietly, got\n%v", again)
			}
			if again.stdout != res.stdout {
				t.Errorf("second extract printed different output")
			}
		})
	}
}

func TestExtractWithoutBundledData(t *testing.T) {
	vars := newVars(t, "")
	db := filepath.Join(vars["HOME"], "g.db")
	vars["CONFLICTMAP_DB"] = db
	res := run(t, vars, nil, "extract", articlePath("libya-03.txt"))
	checkOneLineError(t, res, 1, "bundled data is missing")
	if !strings.Contains(res.stderr, db) {
		t.Errorf("error does not name the database %s: %s", db, res.stderr)
	}
}
