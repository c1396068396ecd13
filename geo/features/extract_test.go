package features_test

import (
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/features"
)

func TestExtract(t *testing.T) {
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	x := events.NewExtractor(events.DefaultActors(), p.Index())
	const text = "date 2019-04-05\nForces loyal to Hifter clashed with pro-government militias in Tripoli on Thursday, killing three fighters."
	tests := []struct {
		name      string
		extractor *events.Extractor
		date      time.Time
		wantKinds map[string]int
		wantDate  string
	}{
		{name: "places and events, header date", extractor: x,
			wantKinds: map[string]int{"place": 1, "event": 1}, wantDate: "2019-04-05"},
		{name: "no extractor: places only", extractor: nil,
			wantKinds: map[string]int{"place": 1}, wantDate: "2019-04-05"},
		{name: "given date wins", extractor: x, date: time.Date(2018, 4, 5, 0, 0, 0, 0, time.UTC),
			wantKinds: map[string]int{"place": 1, "event": 1}, wantDate: "2018-04-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := article.ParseAt([]byte(text), "some/dir/tripoli.txt", tt.date)
			if err != nil {
				t.Fatal(err)
			}
			fc, res, evts := features.Extract(p, tt.extractor, a)
			kinds := map[string]int{}
			for _, f := range fc.Features {
				kinds[f.Properties["kind"].(string)]++
				if got := f.Properties["article_date"]; got != tt.wantDate {
					t.Errorf("%v: article_date %v, want %s", f.ID, got, tt.wantDate)
				}
				if f.Properties["kind"] == "place" && f.ID != "tripoli.txt/place/2210247/location" {
					t.Errorf("place id %v, want it built from the base name", f.ID)
				}
			}
			if len(kinds) != len(tt.wantKinds) || kinds["place"] != tt.wantKinds["place"] || kinds["event"] != tt.wantKinds["event"] {
				t.Errorf("feature kinds %v, want %v", kinds, tt.wantKinds)
			}
			if len(res.Mentions) == 0 || len(evts) != tt.wantKinds["event"] {
				t.Errorf("%d mentions and %d events returned, want some mentions and %d events", len(res.Mentions), len(evts), tt.wantKinds["event"])
			}
		})
	}
}

func TestExtractNothingFoundIsEmptyNotNull(t *testing.T) {
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse([]byte("Nothing happened anywhere."), "empty.txt")
	if err != nil {
		t.Fatal(err)
	}
	fc, _, _ := features.Extract(p, nil, a)
	if fc.Features == nil || len(fc.Features) != 0 {
		t.Errorf("features %#v, want an empty, non-nil list (written as [])", fc.Features)
	}
}
