package server

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/render"
)

// maxBasemapBytes bounds the drawn basemap tiles kept in memory.
const maxBasemapBytes = 32 << 20

// basemapCache keeps drawn basemap tiles. They depend only on the basemap,
// which is fixed when the server starts, so unlike the tiles with overlays
// they outlive every change of the store.
type basemapCache struct {
	mu    sync.Mutex
	tiles map[string]drawnTile
	bytes int
}

// drawnTile is an encoded PNG and its ETag.
type drawnTile struct {
	png  []byte
	etag string
}

func (c *basemapCache) get(key string) (drawnTile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.tiles[key]
	return d, ok
}

func (c *basemapCache) put(key string, d drawnTile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tiles == nil || c.bytes+len(d.png) > maxBasemapBytes {
		c.tiles, c.bytes = map[string]drawnTile{}, 0
	}
	c.tiles[key] = d
	c.bytes += len(d.png) + len(key)
}

// basemapTile serves /tiles/basemap/{z}/{x}/{y}.png and @2x.png: the
// basemap alone, drawn once per tile, with an ETag of its bytes.
func (s *Server) basemapTile(w http.ResponseWriter, r *http.Request, t maptile.Tile, scale float64) error {
	if r.URL.RawQuery != "" {
		return badRequest("basemap tiles take no query parameters (got %q): they do not change with the data", r.URL.RawQuery)
	}
	key := r.URL.Path
	d, ok := s.basemapTiles.get(key)
	if !ok {
		m := render.Map{Base: s.basemap, Fonts: s.fonts}
		data, err := render.EncodePNG(m.Tile(t, scale))
		if err != nil {
			return fmt.Errorf("basemap tile %s: %w", key, err)
		}
		d = drawnTile{png: data, etag: `"` + strconv.FormatUint(hash64(data), 16) + `"`}
		s.basemapTiles.put(key, d)
	}
	w.Header().Set("ETag", d.etag)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if notModified(r, d.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(d.png)))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(d.png)
	return err
}
