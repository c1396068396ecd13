package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

func TestReadOutputs(t *testing.T) {
	const fc = `{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.18, 32.89]},
	 "properties": {"kind": "place", "country": "LY", "mentions": [{"text": "Tripoli", "start": 3, "end": 10}]}}]}`
	tests := []struct {
		name     string
		files    map[string]string
		articles []string
		want     []string // articles with output
		wantErr  bool
	}{
		{name: "stem.geojson for stem.txt", files: map[string]string{"a.geojson": fc}, articles: []string{"a.txt"}, want: []string{"a.txt"}},
		{name: "name.txt.geojson also read", files: map[string]string{"b.txt.geojson": fc}, articles: []string{"b.txt"}, want: []string{"b.txt"}},
		{name: "missing output is left out", files: map[string]string{"a.geojson": fc}, articles: []string{"a.txt", "c.txt"}, want: []string{"a.txt"}},
		{name: "unreadable output is an error", files: map[string]string{"a.geojson": "{"}, articles: []string{"a.txt"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			outs, err := ReadOutputs(dir, tt.articles)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			var got []string
			for name, fs := range outs {
				got = append(got, name)
				if ps := PlacePredictions(fs, false); len(ps) != 1 || ps[0].Start != 3 || ps[0].Country != "LY" {
					t.Errorf("%s: predictions %+v", name, ps)
				}
			}
			sort.Strings(got)
			if !tt.wantErr && !slices.Equal(got, tt.want) {
				t.Errorf("outputs for %v, want %v", got, tt.want)
			}
		})
	}
}
