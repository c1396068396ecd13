package corpus

import (
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/features"
)

// place builds a place feature as features.Places does, with a mention
// per span.
func place(lat, lon float64, country, role string, spans ...[2]int) *geojson.Feature {
	f := geojson.NewFeature(orb.Point{lon, lat})
	ms := make([]features.MentionJSON, len(spans))
	for i, s := range spans {
		ms[i] = features.MentionJSON{Text: "x", Start: s[0], End: s[1]}
	}
	f.Properties = geojson.Properties{"kind": "place", "name": "x", "country": country, "role": role, "mentions": ms}
	return f
}

func gold(start, end int, lat, lon float64, country string, counts bool) Toponym {
	return Toponym{Start: start, End: end, Lat: &lat, Lon: &lon, Country: country, Counts: counts, Type: "Literal"}
}

func goldNoPoint(start, end int) Toponym {
	return Toponym{Start: start, End: end, Counts: true}
}

func TestScoreToponyms(t *testing.T) {
	type want struct {
		exactTP, overlapTP, pred, counted int
		exactAcc, overlapAcc, overlapRaw  float64
		resolvedExact, resolvedOverlap    int
		credits, fpUncounted              int
	}
	tests := []struct {
		name  string
		gold  []Toponym
		feats []*geojson.Feature
		opt   ToponymOptions
		want  want
	}{
		{name: "exact match placed within 161 km",
			gold:  []Toponym{gold(10, 20, 10, 10, "", true)},
			feats: []*geojson.Feature{place(10.5, 10, "XX", "location", [2]int{10, 20})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, exactAcc: 1, overlapAcc: 1, overlapRaw: 1, resolvedExact: 1, resolvedOverlap: 1}},
		{name: "exact match placed 200 km away is wrong",
			gold:  []Toponym{gold(10, 20, 10, 10, "", true)},
			feats: []*geojson.Feature{place(11.8, 10, "XX", "location", [2]int{10, 20})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, resolvedExact: 1, resolvedOverlap: 1}},
		{name: "overlap-only match",
			gold:  []Toponym{gold(10, 25, 10, 10, "", true)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{10, 17})},
			want:  want{overlapTP: 1, pred: 1, counted: 1, overlapAcc: 1, overlapRaw: 1, resolvedOverlap: 1}},
		{name: "country credit: same ISO code, point 310 km off",
			gold:  []Toponym{gold(0, 6, 46, 2, "FR", true)},
			feats: []*geojson.Feature{place(48.8, 2.3, " fr", "location", [2]int{0, 6})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, exactAcc: 1, overlapAcc: 1, resolvedExact: 1, resolvedOverlap: 1, credits: 1}},
		{name: "no country credit for a city that is not the country",
			gold:  []Toponym{gold(0, 6, 46, 2, "", true)},
			feats: []*geojson.Feature{place(48.8, 2.3, "FR", "location", [2]int{0, 6})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, resolvedExact: 1, resolvedOverlap: 1}},
		{name: "false positive on a non-counted gold span",
			gold:  []Toponym{gold(0, 5, 10, 10, "", true), gold(30, 40, 10, 10, "", false)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5}), place(10, 10, "XX", "associated", [2]int{30, 40})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 2, counted: 1, exactAcc: 1, overlapAcc: 1, overlapRaw: 1, resolvedExact: 1, resolvedOverlap: 1, fpUncounted: 1}},
		{name: "associated mentions left out on request",
			gold:  []Toponym{gold(0, 5, 10, 10, "", true), gold(30, 40, 10, 10, "", false)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5}), place(10, 10, "XX", "associated", [2]int{30, 40})},
			opt:   ToponymOptions{DropAssociated: true},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, exactAcc: 1, overlapAcc: 1, overlapRaw: 1, resolvedExact: 1, resolvedOverlap: 1}},
		{name: "largest overlap wins: the right place is the longer prediction",
			gold:  []Toponym{gold(0, 20, 10, 10, "", true)},
			feats: []*geojson.Feature{place(40, 40, "YY", "location", [2]int{0, 5}), place(10, 10, "XX", "location", [2]int{8, 20})},
			want:  want{overlapTP: 1, pred: 2, counted: 1, overlapAcc: 1, overlapRaw: 1, resolvedOverlap: 1}},
		{name: "exact pairs come before overlaps",
			// the first gold contains prediction 0 and comes first, but the
			// second matches it exactly, so the first gets prediction 1
			gold:  []Toponym{gold(0, 20, 40, 40, "", true), gold(0, 5, 10, 10, "", true)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5}), place(40, 40, "YY", "location", [2]int{10, 13})},
			want:  want{exactTP: 1, overlapTP: 2, pred: 2, counted: 2, exactAcc: 1, overlapAcc: 1, overlapRaw: 1, resolvedExact: 1, resolvedOverlap: 2}},
		{name: "a span claimed twice is one prediction, the first feature's",
			gold:  []Toponym{gold(0, 5, 10, 10, "", true)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5}), place(40, 40, "YY", "associated", [2]int{0, 5})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1, exactAcc: 1, overlapAcc: 1, overlapRaw: 1, resolvedExact: 1, resolvedOverlap: 1}},
		{name: "gold without coordinates is recognised, not resolved",
			gold:  []Toponym{goldNoPoint(0, 5)},
			feats: []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5})},
			want:  want{exactTP: 1, overlapTP: 1, pred: 1, counted: 1}},
		{name: "events and estimates are not predictions",
			gold: []Toponym{gold(0, 5, 10, 10, "", true)},
			feats: []*geojson.Feature{{Type: "Feature", Geometry: orb.Point{10, 10},
				Properties: geojson.Properties{"kind": "event", "mentions": []features.MentionJSON{{Start: 0, End: 5}}}}},
			want: want{counted: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ScoreToponyms([]ToponymArticle{{File: "a.txt", Toponyms: tt.gold}},
				map[string][]*geojson.Feature{"a.txt": tt.feats}, tt.opt)
			got := want{exactTP: s.Exact.TP, overlapTP: s.Overlap.TP, pred: s.Exact.Pred, counted: s.Counted,
				exactAcc: s.Exact.Resolution.Acc161, overlapAcc: s.Overlap.Resolution.Acc161, overlapRaw: s.Overlap.Resolution.Acc161Raw,
				resolvedExact: s.Exact.Resolution.N, resolvedOverlap: s.Overlap.Resolution.N,
				credits: s.Overlap.Resolution.Credits, fpUncounted: s.FalsePosUncounted}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if len(s.Missing) != 0 {
				t.Errorf("missing %v, want none", s.Missing)
			}
		})
	}
}

func TestScoreToponymsMissingOutputIsEmpty(t *testing.T) {
	s := ScoreToponyms([]ToponymArticle{{File: "a.txt", Toponyms: []Toponym{gold(0, 5, 1, 1, "", true)}}}, nil, ToponymOptions{})
	if !reflect.DeepEqual(s.Missing, []string{"a.txt"}) || s.Counted != 1 || s.Exact.Pred != 0 || s.Exact.Recall != 0 {
		t.Errorf("got %+v, want a.txt missing and scored as empty", s)
	}
}

func TestScoreToponymsPRF(t *testing.T) {
	// 2 of 3 gold found, 4 predictions: P 0.5, R 2/3, F1 4/7
	g := []Toponym{gold(0, 5, 1, 1, "", true), gold(10, 15, 1, 1, "", true), gold(20, 25, 1, 1, "", true)}
	fs := []*geojson.Feature{place(1, 1, "", "location", [2]int{0, 5}, [2]int{10, 15}, [2]int{40, 45}, [2]int{50, 55})}
	s := ScoreToponyms([]ToponymArticle{{File: "a.txt", Toponyms: g}}, map[string][]*geojson.Feature{"a.txt": fs}, ToponymOptions{})
	if s.Exact.Precision != 0.5 || math.Abs(s.Exact.Recall-2.0/3) > 1e-12 || math.Abs(s.Exact.F1-4.0/7) > 1e-12 {
		t.Errorf("P %v R %v F1 %v, want 0.5, 2/3, 4/7", s.Exact.Precision, s.Exact.Recall, s.Exact.F1)
	}
	if math.Abs(s.E2ERecall161-2.0/3) > 1e-12 {
		t.Errorf("end-to-end R@161 %v, want 2/3", s.E2ERecall161)
	}
}

func TestNewResolutionMedian(t *testing.T) {
	tests := []struct {
		name   string
		km     []float64
		median float64
	}{
		{"odd count", []float64{300, 1, 20}, 20},
		{"even count averages the middle two", []float64{300, 1, 20, 10}, 15},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []resolved
			for _, k := range tt.km {
				rows = append(rows, resolved{km: k, right: k <= AccKm})
			}
			if r := newResolution(rows); r.MedianKm != tt.median {
				t.Errorf("median %v, want %v", r.MedianKm, tt.median)
			}
		})
	}
}

func TestNoPointIsHalfTheEarthAway(t *testing.T) {
	f := place(0, 0, "", "location", [2]int{0, 5})
	f.Geometry = nil
	s := ScoreToponyms([]ToponymArticle{{File: "a.txt", Toponyms: []Toponym{gold(0, 5, 1, 1, "", true)}}},
		map[string][]*geojson.Feature{"a.txt": {f}}, ToponymOptions{})
	r := s.Exact.Resolution
	if r.N != 1 || r.NoPoint != 1 || math.Abs(r.MedianKm-20015.1) > 0.1 || r.Acc161 != 0 {
		t.Errorf("resolution %+v, want one wrong pair at 20,015 km", r)
	}
}
