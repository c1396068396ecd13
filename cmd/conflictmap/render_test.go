package main

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestRender: render writes the PNG /static.png would serve; bad options
// are one-line usage errors.
func TestRender(t *testing.T) {
	_, vars := ingested(t, "libya-01.txt", "libya-02.txt", "libya-03.txt")
	out := filepath.Join(t.TempDir(), "map.png")
	res := run(t, vars, nil, "render", "-o", out, "--date", "2019-04-07", "--bbox", "9,29,17,34", "--width", "640", "--height", "480")
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("render failed:\n%v", res)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Errorf("size %v, want 640x480", b)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"render"}, "needs -o"},
		{[]string{"render", "-o", out, "--width", "9999"}, "width must be at most 4096"},
		{[]string{"render", "-o", out, "--center", "32,13"}, "center and zoom go together"},
		{[]string{"render", "-o", out, "--layers", "roads"}, "layer \"roads\""},
		{[]string{"render", "-o", out, "extra"}, "takes no arguments"},
	} {
		checkOneLineError(t, run(t, vars, nil, tt.args...), 2, tt.want)
	}
}
