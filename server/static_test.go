package server_test

import (
	"bytes"
	"image/png"
	"net/http"
	"testing"
)

// TestStaticImage: sizes, views and the 4xx answers of /static.png.
func TestStaticImage(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	tests := []struct {
		query         string
		wantStatus    int
		width, height int
	}{
		{"", 200, 1024, 768},
		{"date=2019-04-07", 200, 1024, 768},
		{"bbox=9,29,17,34&width=640&height=480", 200, 640, 480},
		{"center=32.5,13.5&zoom=7&width=300&height=200&layers=zones,frontlines", 200, 300, 200},
		{"width=4096&height=64", 200, 4096, 64},
		{"width=4097", 400, 0, 0},
		{"width=0", 400, 0, 0},
		{"height=ten", 400, 0, 0},
		{"bbox=1,2,3", 400, 0, 0},
		{"bbox=170,0,-170,10", 400, 0, 0},
		{"bbox=9,29,17,34&zoom=5", 400, 0, 0},
		{"center=32.5,13.5", 400, 0, 0},
		{"center=95,13&zoom=3", 400, 0, 0},
		{"center=32.5,13.5&zoom=23", 400, 0, 0},
		{"center=NaN,13.5&zoom=3", 400, 0, 0},
		{"center=32.5,13.5&zoom=NaN", 400, 0, 0},
		{"layers=zones,roads", 400, 0, 0},
		{"date=tomorrow", 400, 0, 0},
		{"style=dark", 400, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := ts.get(t, "/static.png?"+tt.query)
			if tt.wantStatus >= 400 {
				checkProblem(t, res, tt.wantStatus)
				return
			}
			if res.status != http.StatusOK || mediaType(res.header) != "image/png" {
				t.Fatalf("status %d, type %q: %s", res.status, mediaType(res.header), clip(res.body))
			}
			img, err := png.Decode(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tt.width || b.Dy() != tt.height {
				t.Errorf("size %v, want %dx%d", b, tt.width, tt.height)
			}
		})
	}
}
