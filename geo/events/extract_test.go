package events_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
)

func extract(t *testing.T, text string) []events.Event {
	t.Helper()
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse([]byte(text), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	return events.NewExtractor(events.DefaultActors(), p.Index()).Extract(a, p.Parse(a.Text))
}

func TestExtractEvents(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "date sub-type @ location (actor1)"
	}{
		{"capture on a weekday, named town",
			"date 2019-04-05\nOn Thursday, Hifter's forces captured the town of Gharyan, about 60 miles south of Tripoli.",
			[]string{"2019-04-04 Non-state actor overtakes territory @ Gharyan (Libyan National Army)"}},
		{"a quote repeated later is one event",
			"date 2019-04-05\n“Forces loyal to Hifter clashed with pro-government militias in Tripoli,” he said.\nLater he repeated it.\n“Forces loyal to Hifter clashed with pro-government militias in Tripoli,” he said.",
			[]string{"2019-04-05 Armed clash @ Tripoli (Libyan National Army)"}},
		{"no event in a wish", "date 2019-04-05\nThe UN is committed to supporting the Libyan people in Tripoli.", nil},
		{"no event without a place", "date 2019-04-05\nWarplanes carried out their first strike.", nil},
		{"background is no event", "date 2019-04-05\nIn recent months, the army has captured towns across southern Libya.", nil},
		{"country-only event at the capital", "date 2019-04-05\nIndia's foreign minister said the country had evacuated its peacekeepers from Libya.",
			[]string{"2019-04-05 Other @ Tripoli (Government of India)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range extract(t, tt.text) {
				got = append(got, e.DateString()+" "+e.SubEventType+" @ "+e.Location.Name+" ("+e.Actor1+")")
			}
			if len(got) != len(tt.want) {
				t.Fatalf("events %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("event %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestExtractCasualtiesAttachToTheEventBefore(t *testing.T) {
	evts := extract(t, "date 2019-04-07\nFighters loyal to Hifter clashed with pro-government forces south of Tripoli. "+
		"At least 21 people had been killed and 27 wounded, a spokesman said.")
	if len(evts) != 1 {
		t.Fatalf("%d events, want 1", len(evts))
	}
	e := evts[0]
	if e.Fatalities == nil || *e.Fatalities != 21 || e.Wounded == nil || *e.Wounded != 27 {
		t.Errorf("fatalities %v wounded %v, want 21 and 27", e.Fatalities, e.Wounded)
	}
	if len(e.Sentences) != 2 {
		t.Errorf("provenance has %d sentences, want both", len(e.Sentences))
	}
}

func TestExtractOffsetsPointIntoTheArticle(t *testing.T) {
	path := filepath.Join(gazettest.RepoRoot(), "testdata", "articles", "libya-03.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range extract(t, string(data)) {
		for _, s := range e.Sentences {
			if string(data[s.Start:s.End]) != s.Text {
				t.Errorf("sentence [%d:%d] does not match the article", s.Start, s.End)
			}
		}
	}
}
