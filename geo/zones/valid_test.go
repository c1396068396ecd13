package zones

import (
	"errors"
	"testing"

	"github.com/paulmach/orb"
)

func TestRingHelpers(t *testing.T) {
	tests := []struct {
		name                  string
		ring                  orb.Ring
		closed, ccw, crossing bool
	}{
		{
			name:   "unit square counter-clockwise",
			ring:   orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}},
			closed: true, ccw: true,
		},
		{
			name:   "unit square clockwise",
			ring:   orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}},
			closed: true,
		},
		{
			name: "open ring read as closed",
			ring: orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}},
			ccw:  true,
		},
		{
			name:   "bow tie",
			ring:   orb.Ring{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}},
			closed: true, crossing: true,
		},
		{
			name:   "figure eight touching at a vertex",
			ring:   orb.Ring{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}, {0, 0}},
			closed: true, ccw: true, crossing: true,
		},
		{
			name:   "vertex touching an edge",
			ring:   orb.Ring{{0, 0}, {4, 0}, {4, 2}, {2, 0}, {0, 2}, {0, 0}},
			closed: true, ccw: true, crossing: true,
		},
		{
			name:   "spike doubling back",
			ring:   orb.Ring{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}},
			closed: true, ccw: true, crossing: true,
		},
		{
			name:   "collinear vertex is fine",
			ring:   orb.Ring{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}},
			closed: true, ccw: true,
		},
		{
			name: "empty",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RingClosed(tt.ring); got != tt.closed {
				t.Errorf("RingClosed = %v, want %v", got, tt.closed)
			}
			if got := CounterClockwise(tt.ring); got != tt.ccw {
				t.Errorf("CounterClockwise = %v, want %v", got, tt.ccw)
			}
			if len(tt.ring) == 0 {
				return
			}
			if got := SelfIntersects(tt.ring); got != tt.crossing {
				t.Errorf("SelfIntersects = %v, want %v", got, tt.crossing)
			}
		})
	}
}

func TestValid(t *testing.T) {
	square := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	hole := orb.Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want error
	}{
		{name: "empty multipolygon"},
		{name: "square with hole", mp: orb.MultiPolygon{{square, hole}}},
		{
			name: "hole touching exterior at a vertex",
			mp:   orb.MultiPolygon{{square, orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}},
		},
		{name: "polygon without rings", mp: orb.MultiPolygon{{}}, want: ErrEmptyPolygon},
		{name: "short ring", mp: orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}}, want: ErrShortRing},
		{name: "open ring", mp: orb.MultiPolygon{{square[:4]}}, want: ErrRingOpen},
		{name: "clockwise exterior", mp: orb.MultiPolygon{{hole}}, want: ErrExteriorCW},
		{name: "counter-clockwise hole", mp: orb.MultiPolygon{{square, square}}, want: ErrHoleCCW},
		{
			name: "self-intersecting exterior",
			mp:   orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {1, 2}, {1, 0}, {0, 1}, {0, 0}}}},
			want: ErrSelfIntersects,
		},
		{
			name: "hole outside exterior",
			mp:   orb.MultiPolygon{{square, orb.Ring{{5, 5}, {5, 6}, {6, 6}, {6, 5}, {5, 5}}}},
			want: ErrHoleOutside,
		},
		{
			name: "hole crossing exterior",
			mp:   orb.MultiPolygon{{square, orb.Ring{{3, 1}, {3, 2}, {5, 2}, {5, 1}, {3, 1}}}},
			want: ErrHoleOutside,
		},
		{
			name: "error names the second polygon",
			mp:   orb.MultiPolygon{{square}, {hole}},
			want: ErrExteriorCW,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Valid(tt.mp)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Valid() = %v, want %v", err, tt.want)
			}
		})
	}
}
