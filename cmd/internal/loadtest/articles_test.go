package loadtest

import (
	"strings"
	"testing"
	"time"
)

func TestGenerator(t *testing.T) {
	from := time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		from, to time.Time
	}{
		{"a range of days", from, from.AddDate(0, 0, 30)},
		{"one day", from, from},
		{"reversed range is swapped", from.AddDate(0, 0, 5), from},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGenerator(1, tc.from, tc.to)
			lo, hi := tc.from, tc.to
			if hi.Before(lo) {
				lo, hi = hi, lo
			}
			seen := map[string]bool{}
			for range 200 {
				a := g.Next()
				d, err := time.Parse("2006-01-02", a.Date)
				if err != nil || d.Before(lo) || d.After(hi) {
					t.Fatalf("date %q outside %v..%v", a.Date, lo, hi)
				}
				if seen[a.Text] {
					t.Fatalf("text repeated: %q", a.Text)
				}
				seen[a.Text] = true
				if a.Source == "" || len(a.Text) < 100 || strings.Contains(a.Text, "%!") {
					t.Fatalf("bad article %+v", a)
				}
				if !namesAPlace(a.Text) {
					t.Fatalf("article names no place: %q", a.Text)
				}
			}
		})
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := NewGenerator(7, day, day.AddDate(0, 1, 0)), NewGenerator(7, day, day.AddDate(0, 1, 0))
	for range 20 {
		if x, y := a.Next(), b.Next(); x != y {
			t.Fatalf("same seed, different articles:\n%+v\n%+v", x, y)
		}
	}
}

func TestCorpus(t *testing.T) {
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, size := range []int{1, 1 << 10, 1 << 20} {
		c := NewGenerator(3, day, day).Corpus(size)
		if len(c) < size || !strings.HasPrefix(c, "date 2020-01-01\n") {
			t.Fatalf("Corpus(%d): %d bytes, starts %q", size, len(c), c[:min(len(c), 20)])
		}
	}
}

func namesAPlace(text string) bool {
	for _, th := range theatres {
		for _, p := range th.places {
			if strings.Contains(text, p) {
				return true
			}
		}
	}
	return false
}
