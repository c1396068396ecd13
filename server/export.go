package server

import (
	"context"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/tiles"
)

// Export is every layer of a date selection, for writing to files.
type Export struct {
	set *tileSet
}

// Export gathers the layers for date ("" for everything; else a
// datetime as the collections take it). A bad date is a *Problem.
func (s *Server) Export(ctx context.Context, date string) (*Export, error) {
	var tq tileQuery
	if date != "" {
		iv, err := ParseDatetime(date)
		if err != nil {
			return nil, badRequest("date: %v", err)
		}
		tq = tileQuery{when: iv, hasWhen: true}
	}
	set, _, err := s.tileSet(ctx, tq)
	if err != nil {
		return nil, err
	}
	return &Export{set: set}, nil
}

// Layers names the layers, bottom first.
func (e *Export) Layers() []string { return tileLayers }

// Features are a layer's features.
func (e *Export) Features(layer string) []*geojson.Feature { return e.set.features[layer] }

// Bound is the extent of every layer.
func (e *Export) Bound() (orb.Bound, bool) { return e.set.bound() }

// VectorLayers describes the layers as TileJSON's vector_layers.
func (e *Export) VectorLayers() []map[string]any { return e.set.vectorLayers() }

// Tile is the uncompressed MVT of tile t, nil when it is empty.
func (e *Export) Tile(t maptile.Tile) ([]byte, error) {
	var layers []*tiles.Layer
	for _, id := range tileLayers {
		if l := e.set.layers[id]; l != nil {
			layers = append(layers, l)
		}
	}
	return tiles.Marshal(tiles.Tile(t, layers...))
}
