package features

import (
	"path/filepath"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
)

// Extract runs one article through the whole extraction, as `conflictmap
// extract` writes it: places, relative estimates and, when extractor is not
// nil, events, with feature ids built from the article's base name. The
// geoparse result and the events are returned too, for callers that report
// on them. Scorers call it so that what they measure is what the command
// line produces.
func Extract(parser *geoparse.Parser, extractor *events.Extractor, a article.Article) (*geojson.FeatureCollection, geoparse.Result, []events.Event) {
	res := parser.Parse(a.Text)
	a.Name = filepath.Base(a.Name)
	var evts []events.Event
	if extractor != nil {
		evts = extractor.Extract(a, res)
	}
	fc := geojson.NewFeatureCollection()
	fc.Features = append(fc.Features, Places(res, a.Name)...)
	fc.Features = append(fc.Features, Estimates(res, a.Name)...)
	fc.Features = append(fc.Features, Events(evts)...)
	if a.HasDate() {
		for _, f := range fc.Features {
			f.Properties["article_date"] = a.DateString()
		}
	}
	if fc.Features == nil {
		fc.Features = []*geojson.Feature{}
	}
	return fc, res, evts
}
