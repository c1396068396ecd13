package features

import (
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
)

func TestPointRoundsToSixDecimals(t *testing.T) {
	p := Point(32.887430123456, -13.187330987654)
	if p[0] != -13.187331 || p[1] != 32.88743 {
		t.Errorf("Point = %v, want [-13.187331 32.88743]", p)
	}
}

func TestExtent(t *testing.T) {
	tests := []struct {
		name          string
		place         gazetteer.Place
		wantEstimated bool
		minKm, maxKm  float64 // half-width of the box in latitude, km
	}{
		{"known box kept", gazetteer.Place{Lat: 25, Lon: 17, Extent: gazetteer.BBox{9, 19, 25, 33}}, false, 600, 800},
		{"big city", gazetteer.Place{Lat: 32.9, Lon: 13.2, Population: 1_150_000}, true, 15, 17},
		{"village floor", gazetteer.Place{Lat: 32, Lon: 13, Population: 100}, true, 0.9, 1.1},
		{"megacity cap", gazetteer.Place{Lat: 30, Lon: 31, Population: 20_000_000}, true, 29, 31},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			box, estimated := extent(&tt.place)
			b := box.([]float64)
			half := (b[3] - b[1]) / 2 * 111.32
			if estimated != tt.wantEstimated || half < tt.minKm || half > tt.maxKm {
				t.Errorf("extent %v (estimated %v): half-height %.1f km, want %.1f–%.1f, estimated %v", b, estimated, half, tt.minKm, tt.maxKm, tt.wantEstimated)
			}
		})
	}
}
