package gazetteer

import "testing"

func TestNearMatchesScan(t *testing.T) {
	ix := &Index{places: []Place{
		{ID: 1, Lat: 32.9, Lon: 13.2}, {ID: 2, Lat: 32.2, Lon: 13.0}, {ID: 3, Lat: 0.5, Lon: 179.9},
		{ID: 4, Lat: 0.5, Lon: -179.9}, {ID: 5, Lat: -33.9, Lon: 18.4},
	}}
	ix.buildGrid()
	tests := []struct {
		name     string
		lat, lon float64
		km       float64
		want     map[ID]bool
	}{
		{"Tripoli area", 32.5, 13.1, 60, map[ID]bool{1: true, 2: true}},
		{"across the antimeridian", 0.5, 180, 30, map[ID]bool{3: true, 4: true}},
		{"nothing", 10, 10, 50, map[ID]bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[ID]bool{}
			ix.Near(tt.lat, tt.lon, tt.km, func(p *Place, km float64) bool {
				if km > tt.km {
					t.Errorf("%d at %.1f km beyond radius", p.ID, km)
				}
				got[p.ID] = true
				return true
			})
			if len(got) != len(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for id := range tt.want {
				if !got[id] {
					t.Errorf("missing %d", id)
				}
			}
		})
	}
}
