// Package web holds the map page: its HTML, script and style, written for
// this project, and the Leaflet bundle that `make web` copies from npm
// into static/vendor (never committed). Both are embedded in the binary,
// so the page needs no network at run time.
package web

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed static
var static embed.FS

// LeafletScript is the path of the Leaflet bundle inside Files.
const LeafletScript = "vendor/leaflet/leaflet.js"

// Files returns the page's files, rooted at static/.
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil { // static is a literal, embedded directory
		panic(fmt.Sprintf("web: %v", err))
	}
	return sub
}

// HasLeaflet reports whether files holds the Leaflet bundle: a binary
// built with plain `go build` before `make web` has the page but not it.
func HasLeaflet(files fs.FS) bool {
	_, err := fs.Stat(files, LeafletScript)
	return err == nil
}
