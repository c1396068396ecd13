package geoparse

import (
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// TestRankOnProminence checks the ranking rules on hand-made candidates,
// so that each rule is seen to decide (the fixture gazetteer holds too
// few towns for some of them).
func TestRankOnProminence(t *testing.T) {
	region := &gazetteer.Place{ID: -1, Name: "Qarsa", FeatureClass: "A", FeatureCode: "ADM1", Country: "SY", Admin1: "04",
		Kind: gazetteer.KindRegion, TownPopulation: 1_000_000, Lat: 35.9, Lon: 39.0}
	seat := &gazetteer.Place{ID: 1, Name: "Qarsa", FeatureClass: "P", FeatureCode: "PPLA", Country: "SY", Admin1: "04",
		Kind: gazetteer.KindCity, Population: 180_000, Lat: 35.95, Lon: 39.01}
	capital := &gazetteer.Place{ID: 2, Name: "Velmor", FeatureClass: "P", FeatureCode: "PPLC", Country: "FR",
		Kind: gazetteer.KindCity, Population: 2_000_000, Lat: 48.8, Lon: 2.3}
	namesake := &gazetteer.Place{ID: 3, Name: "Velmor", FeatureClass: "P", FeatureCode: "PPL", Country: "US", Admin1: "TX",
		Kind: gazetteer.KindCity, Population: 25_000, Lat: 33.6, Lon: -95.5}
	texas := &gazetteer.Place{ID: -2, Name: "Texas", FeatureCode: "ADM1", Country: "US", Admin1: "TX", Kind: gazetteer.KindRegion,
		TownPopulation: 20_000_000, Extent: gazetteer.BBox{-106, 26, -93, 36}}
	tests := []struct {
		name  string
		m     Mention
		focus string
		want  *gazetteer.Place
	}{
		{"a bare name shared by a region and its seat is the city",
			Mention{Key: "qarsa", Candidates: []gazetteer.Candidate{{Place: region}, {Place: seat}}}, "", seat},
		{"the focus country does not hand a capital's name to a small town",
			Mention{Key: "velmor", Candidates: []gazetteer.Candidate{{Place: capital}, {Place: namesake}}}, "US", capital},
		{"a qualifier does",
			Mention{Key: "velmor", Candidates: []gazetteer.Candidate{{Place: capital}, {Place: namesake}}, Within: []*gazetteer.Place{texas}}, "US", namesake},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scores := scoreCandidates(tt.m, tt.focus, map[string]bool{"US.TX": true}, nil, nil)
			if got := tt.m.Candidates[argmax(scores)].Place; got != tt.want {
				t.Errorf("picked %v, want %v (scores %v)", got, tt.want, scores)
			}
		})
	}
}
