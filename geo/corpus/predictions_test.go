package corpus

import (
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// roundTrip encodes features as extract --out writes them and decodes them
// as ReadOutputs does.
func roundTrip(t *testing.T, fs ...*geojson.Feature) []*geojson.Feature {
	t.Helper()
	fc := geojson.NewFeatureCollection()
	fc.Features = fs
	data, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatal(err)
	}
	return back.Features
}

// The same features decoded from an extract --out file give the same
// predictions.
func TestPlacePredictionsFromJSON(t *testing.T) {
	fs := []*geojson.Feature{place(10, 10, "XX", "location", [2]int{0, 5}, [2]int{9, 14}), place(40, 40, "YY", "associated", [2]int{20, 30})}
	typed, decoded := PlacePredictions(fs, false), PlacePredictions(roundTrip(t, fs...), false)
	if len(typed) != 3 || !reflect.DeepEqual(typed, decoded) {
		t.Errorf("typed %+v\ndecoded %+v", typed, decoded)
	}
}

func TestEventPredictions(t *testing.T) {
	three := 3
	withDeaths := event(10, 20, "2020-05-03", 0)
	withDeaths.Properties["fatalities"] = &three
	noCount := event(10, 20, "2020-05-03", 0)
	noCount.Properties["fatalities"] = (*int)(nil)
	noDate := event(10, 20, "", 0)
	fs := []*geojson.Feature{withDeaths, noCount, noDate, place(1, 1, "", "location")}
	want := []EventPrediction{
		{Point: orb.Point{20, 10}, HasPoint: true, Date: day("2020-05-03"), Fatalities: 3, HasFatalities: true},
		{Point: orb.Point{20, 10}, HasPoint: true, Date: day("2020-05-03")},
		{Point: orb.Point{20, 10}, HasPoint: true, HasFatalities: true},
	}
	for _, tt := range []struct {
		name string
		fs   []*geojson.Feature
	}{{"typed", fs}, {"decoded", roundTrip(t, fs...)}} {
		t.Run(tt.name, func(t *testing.T) {
			if got := EventPredictions(tt.fs); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestMeanVertex(t *testing.T) {
	tests := []struct {
		name string
		g    orb.Geometry
		want orb.Point
		ok   bool
	}{
		{"point", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"closed ring counts its closing vertex", orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {0, 0}}}, orb.Point{1.5, 0.75}, true},
		{"collection", orb.Collection{orb.Point{0, 0}, orb.LineString{{2, 2}, {4, 4}}}, orb.Point{2, 2}, true},
		{"none", nil, orb.Point{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := meanVertex(tt.g)
			if got != tt.want || ok != tt.ok {
				t.Errorf("meanVertex = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
