package zones

import "testing"

func TestGridAt(t *testing.T) {
	g := Grid{Cols: 3, Rows: 2, Labels: []int{0, 1, 2, 3, -1, -7}}
	tests := []struct {
		name     string
		col, row int
		want     int
	}{
		{name: "lower-left cell", col: 0, row: 0, want: 0},
		{name: "row-major indexing", col: 0, row: 1, want: 3},
		{name: "unassigned", col: 1, row: 1, want: -1},
		{name: "any negative label reads as unassigned", col: 2, row: 1, want: -1},
		{name: "left of the grid", col: -1, row: 0, want: -1},
		{name: "below the grid", col: 0, row: -1, want: -1},
		{name: "right of the grid does not wrap to the next row", col: 3, row: 0, want: -1},
		{name: "above the grid", col: 0, row: 2, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.At(tt.col, tt.row); got != tt.want {
				t.Errorf("At(%d, %d) = %d, want %d", tt.col, tt.row, got, tt.want)
			}
		})
	}
	t.Run("short labels slice", func(t *testing.T) {
		short := Grid{Cols: 2, Rows: 2, Labels: []int{5}}
		if got := short.At(1, 1); got != -1 {
			t.Errorf("At(1, 1) = %d, want -1", got)
		}
	})
}
