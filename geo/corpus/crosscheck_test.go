package corpus_test

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/corpus"
)

// crossCheck writes the outputs as `conflictmap extract --out` does, and
// checks that shared/tools/score_toponyms.py finds the same figures on
// them as ScoreToponyms, and that ScoreToponyms finds the same on them
// read back.
func crossCheck(t *testing.T, corpusDir string, gold []corpus.ToponymArticle, out corpus.Outputs, want corpus.ToponymScores) {
	script := filepath.Join(corpusDir, "..", "..", "tools", "score_toponyms.py")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("no scorer script to compare with: %v", err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to run score_toponyms.py with")
	}
	dir := t.TempDir()
	var files []string
	for name, fs := range out.Features {
		fc := geojson.NewFeatureCollection()
		fc.Features = fs
		data, err := json.Marshal(fc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".txt")+".geojson"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	back, err := corpus.ReadOutputs(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if got := corpus.ScoreToponyms(gold, back, corpus.ToponymOptions{}); !reflect.DeepEqual(got, want) {
		t.Errorf("scores of the outputs read back differ:\n got %+v\nwant %+v", got, want)
	}

	metrics := filepath.Join(t.TempDir(), "metrics.json")
	cmd := exec.CommandContext(t.Context(), python, script, "--gold", filepath.Join(corpusDir, "gold.json"), dir, "--json", metrics)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, msg)
	}
	var py struct {
		Recognition map[string]struct {
			TP, Pred, Gold        int
			Precision, Recall, F1 float64
		} `json:"recognition"`
		Resolution map[string]struct {
			N         int
			Acc161    float64 `json:"acc161"`
			Acc161Raw float64 `json:"acc161_raw"`
			MedianKm  float64 `json:"median_km"`
			MeanKm    float64 `json:"mean_km"`
		} `json:"resolution"`
		E2E     float64 `json:"e2e_recall161"`
		Credits int     `json:"country_credits"`
	}
	data, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &py); err != nil {
		t.Fatal(err)
	}
	for mode, m := range map[string]corpus.Match{"exact": want.Exact, "overlap": want.Overlap} {
		rec, res := py.Recognition[mode], py.Resolution[mode]
		got := []float64{float64(m.TP), float64(m.Pred), float64(m.Gold), m.Precision, m.Recall, m.F1,
			float64(m.Resolution.N), m.Resolution.Acc161, m.Resolution.Acc161Raw, m.Resolution.MedianKm, m.Resolution.MeanKm}
		exp := []float64{float64(rec.TP), float64(rec.Pred), float64(rec.Gold), rec.Precision, rec.Recall, rec.F1,
			float64(res.N), res.Acc161, res.Acc161Raw, res.MedianKm, res.MeanKm}
		names := []string{"tp", "pred", "gold", "P", "R", "F1", "resolved", "Acc@161", "Acc@161 raw", "median km", "mean km"}
		for i := range got {
			if math.Abs(got[i]-exp[i]) > 1e-9*math.Max(1, math.Abs(exp[i])) {
				t.Errorf("%s %s: Go %v, score_toponyms.py %v", mode, names[i], got[i], exp[i])
			}
		}
	}
	if math.Abs(want.E2ERecall161-py.E2E) > 1e-12 || want.Overlap.Resolution.Credits != py.Credits {
		t.Errorf("end-to-end R@161 %v and credits %d; score_toponyms.py %v and %d", want.E2ERecall161, want.Overlap.Resolution.Credits, py.E2E, py.Credits)
	}
}
