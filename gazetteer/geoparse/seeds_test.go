package geoparse_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

// goldArticle is the part of a gold.json entry these tests score.
type goldArticle struct {
	File   string `json:"file"`
	Places []struct {
		Text       string   `json:"text"`
		Also       []string `json:"also"`
		Lat        *float64 `json:"lat"`
		Lon        *float64 `json:"lon"`
		Country    *string  `json:"country"`
		Kind       string   `json:"kind"`
		RadiusKm   float64  `json:"radius_km"`
		Optional   bool     `json:"optional"`
		NotAPlace  bool     `json:"not_a_place"`
		GeonameID  *int64   `json:"geonameid"`
		CanonicalN string   `json:"name"`
	} `json:"places"`
	Relative []struct {
		Text string  `json:"text"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
	} `json:"relative"`
}

// scores are the geoparsing measures of score.py.
type scores struct {
	F1, Precision, Recall, Acc161, RelMedianKm float64
	FalsePos, Missed, WrongPlace               []string
	RelMatched, RelGold                        int
}

var (
	fullOnce           sync.Once
	fullAccuracyParser *geoparse.Parser
)

// accuracyParser prefers the full bundled gazetteer (what users get) and
// falls back to the fixture when `make data` has not run.
func accuracyParser(t *testing.T) (*geoparse.Parser, string) {
	t.Helper()
	src, ok := gazettest.FullSources()
	if !ok {
		return newParser(t), "fixture"
	}
	fullOnce.Do(func() {
		store, _ := gazettest.NewStore(t, src)
		ix, err := gazetteer.LoadIndex(context.Background(), store)
		if err != nil {
			t.Fatal(err)
		}
		fullAccuracyParser, _ = geoparse.New(ix)
	})
	if fullAccuracyParser == nil {
		t.Fatal("full gazetteer failed to load")
	}
	return fullAccuracyParser, "full cities500"
}

var scoreSpace = regexp.MustCompile(`\s+`)

// normText folds a surface string as score.py does.
func normText(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u2010", "-", "\u2013", "-").Replace(s)
	s = strings.TrimSpace(scoreSpace.ReplaceAllString(s, " "))
	s = strings.Trim(s, " \t.,;:!?\"()[]{}")
	s = strings.TrimSuffix(s, "'s")
	s = strings.TrimPrefix(s, "the ")
	return strings.TrimSpace(s)
}

// scoreGold parses each gold article and scores it like score.py.
func scoreGold(t *testing.T, p *geoparse.Parser, goldPath, articleDir string) scores {
	t.Helper()
	data, err := os.ReadFile(goldPath)
	if err != nil {
		t.Fatal(err)
	}
	var gold []goldArticle
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatal(err)
	}
	var s scores
	var nSys, tpSys, nGold, tpGold, nRes, okRes int
	var relErr []float64
	for _, g := range gold {
		text, err := os.ReadFile(filepath.Join(articleDir, g.File))
		if err != nil {
			t.Fatal(err)
		}
		res := p.Parse(string(text))
		sys := map[string]*gazetteer.Place{}
		for _, m := range res.Mentions {
			k := normText(m.Text)
			if _, ok := sys[k]; !ok {
				sys[k] = m.Place
			}
		}
		required := map[string]bool{}
		optional := map[string]bool{}
		for _, gp := range g.Places {
			forms := append([]string{gp.Text}, gp.Also...)
			for _, f := range forms {
				switch {
				case gp.Optional:
					optional[normText(f)] = true
				case !gp.NotAPlace:
					required[normText(f)] = true
				}
			}
		}
		for k := range sys {
			if optional[k] && !required[k] {
				continue
			}
			nSys++
			if required[k] {
				tpSys++
			} else {
				s.FalsePos = append(s.FalsePos, g.File+":"+k)
			}
		}
		for _, gp := range g.Places {
			if gp.Optional || gp.NotAPlace {
				continue
			}
			nGold++
			var hit *gazetteer.Place
			for _, f := range append([]string{gp.Text}, gp.Also...) {
				if pl, ok := sys[normText(f)]; ok {
					hit = pl
					break
				}
			}
			if hit == nil {
				s.Missed = append(s.Missed, g.File+":"+gp.Text)
				continue
			}
			tpGold++
			nRes++
			d := math.Max(0, haversine(hit.Lat, hit.Lon, *gp.Lat, *gp.Lon)-gp.RadiusKm)
			if d <= 161 || (gp.Kind == "country" && gp.Country != nil && hit.Country == *gp.Country) {
				okRes++
			} else {
				s.WrongPlace = append(s.WrongPlace, g.File+":"+gp.Text)
			}
		}
		for _, r := range g.Relative {
			s.RelGold++
			gt := normText(r.Text)
			for _, e := range res.Estimates {
				et := normText(e.Text)
				if strings.Contains(gt, et) || strings.Contains(et, gt) {
					relErr = append(relErr, haversine(e.Lat, e.Lon, r.Lat, r.Lon))
					s.RelMatched++
					break
				}
			}
		}
	}
	if nSys > 0 {
		s.Precision = float64(tpSys) / float64(nSys)
	}
	if nGold > 0 {
		s.Recall = float64(tpGold) / float64(nGold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	if nRes > 0 {
		s.Acc161 = float64(okRes) / float64(nRes)
	}
	if len(relErr) > 0 {
		sort.Float64s(relErr)
		s.RelMedianKm = relErr[len(relErr)/2]
		if len(relErr)%2 == 0 {
			s.RelMedianKm = (relErr[len(relErr)/2-1] + relErr[len(relErr)/2]) / 2
		}
	}
	return s
}

// TestSeedAccuracy holds the geoparser to the targets on the three seed
// articles the project started from (../shared/seeds, not in the repo).
func TestSeedAccuracy(t *testing.T) {
	seeds := filepath.Join(gazettest.RepoRoot(), "..", "shared", "seeds")
	if _, err := os.Stat(filepath.Join(seeds, "gold.json")); err != nil {
		t.Skipf("seed articles not available at %s: %v", seeds, err)
	}
	p, which := accuracyParser(t)
	s := scoreGold(t, p, filepath.Join(seeds, "gold.json"), seeds)
	t.Logf("seeds (%s gazetteer): F1=%.3f P=%.3f R=%.3f acc161=%.3f relative %d/%d median %.2f km; false positives %v; missed %v",
		which, s.F1, s.Precision, s.Recall, s.Acc161, s.RelMatched, s.RelGold, s.RelMedianKm, s.FalsePos, s.Missed)
	check(t, "toponym F1", s.F1, 0.95)
	check(t, "resolved within 161 km", s.Acc161, 0.98)
	if s.RelMatched != s.RelGold || s.RelMedianKm > 5 {
		t.Errorf("relative estimates: %d/%d matched, median %.2f km; want all, ≤ 5 km", s.RelMatched, s.RelGold, s.RelMedianKm)
	}
}

// TestOwnArticlesAccuracy scores the project's own test articles
// (testdata/articles) against their gold file. The floors are the levels
// reached so far: a drop is a regression.
func TestOwnArticlesAccuracy(t *testing.T) {
	dir := filepath.Join(gazettest.RepoRoot(), "testdata", "articles")
	p, which := accuracyParser(t)
	s := scoreGold(t, p, filepath.Join(dir, "gold.json"), dir)
	t.Logf("own articles (%s gazetteer): F1=%.3f P=%.3f R=%.3f acc161=%.3f relative %d/%d median %.2f km; false positives %v; missed %v; wrong %v",
		which, s.F1, s.Precision, s.Recall, s.Acc161, s.RelMatched, s.RelGold, s.RelMedianKm, s.FalsePos, s.Missed, s.WrongPlace)
	check(t, "toponym F1", s.F1, ownF1Floor)
	check(t, "resolved within 161 km", s.Acc161, 0.95)
}

// ownF1Floor is the toponym F1 reached on testdata/articles.
const ownF1Floor = 0.95

func check(t *testing.T, what string, got, min float64) {
	t.Helper()
	if got < min {
		t.Errorf("%s = %.3f, want ≥ %.2f", what, got, min)
	}
}
