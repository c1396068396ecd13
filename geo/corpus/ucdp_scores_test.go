package corpus

import (
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func event(lat, lon float64, date string, fatalities int) *geojson.Feature {
	f := geojson.NewFeature(orb.Point{lon, lat})
	f.Properties = geojson.Properties{"kind": "event", "date": date, "fatalities": fatalities}
	return f
}

// names is a gazetteer holding a few keys.
type names map[string]bool

func (n names) Has(key string) bool { return n[key] }

func TestScoreUCDP(t *testing.T) {
	// UCDP's point is 10,20; 0.3° of latitude is 33 km, 0.7° is 78 km
	base := UCDPEvent{ID: "1", DateStart: day("2020-05-01"), DateEnd: day("2020-05-02"), Lat: 10, Lon: 20, Best: 3,
		WhereCoordinates: "Oldtown village, North district"}
	withAlt := base
	withAlt.AltCoords = [][2]float64{{30, 40}}
	noDeaths := base
	noDeaths.Best = 0
	gaz := names{"oldtown": true}
	tests := []struct {
		name  string
		ev    UCDPEvent
		text  string
		feats []*geojson.Feature
		want  UCDPScores
	}{
		{name: "place within 50 km", ev: base, text: "Three killed in Oldtown",
			feats: []*geojson.Feature{place(10.3, 20, "XX", "location", [2]int{16, 23})},
			want:  UCDPScores{PlaceNear: 1, NameInHeadline: 1, PlaceNearNamed: 1, WithDeaths: 1}},
		{name: "place 78 km away is a miss", ev: base, text: "Three killed in Oldtown",
			feats: []*geojson.Feature{place(10.7, 20, "XX", "location")},
			want:  UCDPScores{NameInHeadline: 1, WithDeaths: 1, Misses: UCDPMisses{Within161: 1}}},
		{name: "place near one of UCDP's other points", ev: withAlt, text: "Clashes in the north",
			feats: []*geojson.Feature{place(40, 40, "YY", "location"), place(30.3, 40, "YY", "location")},
			want:  UCDPScores{PlaceNear: 1, WithDeaths: 1}},
		{name: "alt_coords do not help without a place near them", ev: withAlt, text: "Clashes in the north",
			feats: []*geojson.Feature{place(35, 40, "YY", "location")},
			want:  UCDPScores{WithDeaths: 1, Misses: UCDPMisses{Within1000: 1}}},
		{name: "nothing found", ev: base, text: "Three killed",
			want: UCDPScores{WithDeaths: 1, Misses: UCDPMisses{NoPlace: 1}}},
		{name: "name in headline but not in the gazetteer", ev: UCDPEvent{ID: "1", DateStart: day("2020-05-01"), DateEnd: day("2020-05-01"),
			Lat: 10, Lon: 20, WhereCoordinates: "Newtown town"}, text: "Fighting in Newtown",
			want: UCDPScores{Misses: UCDPMisses{NoPlace: 1}}},
		{name: "name matched on word boundaries only", ev: base, text: "Three killed in Oldtownship",
			want: UCDPScores{WithDeaths: 1, Misses: UCDPMisses{NoPlace: 1}}},
		{name: "event near, dated a day after date_end, deaths right", ev: base, text: "x",
			feats: []*geojson.Feature{event(10.3, 20, "2020-05-03", 3)},
			want:  UCDPScores{EventNear: 1, EventDated: 1, WithDeaths: 1, DeathsRight: 1, Misses: UCDPMisses{NoPlace: 1}}},
		{name: "event near but dated two days late", ev: base, text: "x",
			feats: []*geojson.Feature{event(10.3, 20, "2020-05-04", 2)},
			want:  UCDPScores{EventNear: 1, WithDeaths: 1, Misses: UCDPMisses{NoPlace: 1}}},
		{name: "event dated right but far", ev: base, text: "x",
			feats: []*geojson.Feature{event(12, 20, "2020-04-30", 3)},
			want:  UCDPScores{WithDeaths: 1, DeathsRight: 1, Misses: UCDPMisses{NoPlace: 1}}},
		{name: "no deaths coded: not in the deaths share", ev: noDeaths, text: "x",
			feats: []*geojson.Feature{event(10, 20, "2020-05-01", 0)},
			want:  UCDPScores{EventNear: 1, EventDated: 1, Misses: UCDPMisses{NoPlace: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreUCDP([]UCDPEvent{tt.ev}, map[string]string{"1.txt": tt.text},
				map[string][]*geojson.Feature{"1.txt": tt.feats}, gaz)
			tt.want.Headlines = 1
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestUCDPShares(t *testing.T) {
	gold := []UCDPEvent{
		{ID: "1", Lat: 10, Lon: 20, Best: 2, DateStart: day("2020-01-01"), DateEnd: day("2020-01-01"), WhereCoordinates: "Oldtown"},
		{ID: "2", Lat: 10, Lon: 20, Best: 0, DateStart: day("2020-01-01"), DateEnd: day("2020-01-01"), WhereCoordinates: "Oldtown"},
		{ID: "3", Lat: 10, Lon: 20, Best: 1, DateStart: day("2020-01-01"), DateEnd: day("2020-01-01"), WhereCoordinates: "Oldtown"},
		{ID: "4", Lat: 10, Lon: 20, Best: 1, DateStart: day("2020-01-01"), DateEnd: day("2020-01-01"), WhereCoordinates: "Oldtown"},
	}
	outs := map[string][]*geojson.Feature{
		"1.txt": {place(10, 20, "", "location"), event(10, 20, "2020-01-01", 2)},
		"2.txt": {place(10, 20, "", "location")},
		"3.txt": {place(50, 20, "", "location")},
	}
	texts := map[string]string{"1.txt": "in Oldtown", "3.txt": "in Oldtown"}
	s := ScoreUCDP(gold, texts, outs, names{"oldtown": true})
	if s.PlaceShare() != 0.5 || s.EventShare() != 0.25 || s.EventDatedShare() != 0.25 ||
		s.NamedShare() != 0.5 || s.DeathsShare() != 1.0/3 || !reflect.DeepEqual(s.Missing, []string{"4.txt"}) {
		t.Errorf("shares place %v event %v dated %v named %v deaths %v, missing %v; want 0.5 0.25 0.25 0.5 1/3 [4.txt]",
			s.PlaceShare(), s.EventShare(), s.EventDatedShare(), s.NamedShare(), s.DeathsShare(), s.Missing)
	}
	if (UCDPScores{}).NamedShare() != 0 {
		t.Error("share of nothing is not 0")
	}
}

func TestPlaceNames(t *testing.T) {
	tests := []struct {
		where string
		want  []string
	}{
		{"Al Fictiva village", []string{"Al Fictiva"}},
		{"Newbridge town, Upper Marsh sub-district", []string{"Newbridge"}},
		{"Lowfield district (Marsh End)", []string{"Lowfield"}},
		{"Kor Tin Bo (Mar Lo) village", []string{"Kor Tin Bo"}},
		{"Eastbank/Westbank castle", []string{"Eastbank", "Westbank castle"}},
		{"Oldtown City", []string{"Oldtown"}},
		{"Freedonia state", []string{"Freedonia"}},
		{"Village", []string{"Village"}},
		{"Northern Plain", []string{"Northern Plain"}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			if got := PlaceNames(tt.where); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlaceNames(%q) = %q, want %q", tt.where, got, tt.want)
			}
		})
	}
}
