// Package corpus measures the geoparser and the events extractor on real
// annotated news: it reads the gold files of the toponym corpora
// (GeoWebNews, LGL) and of the UCDP headlines, runs every article through
// the same path as `conflictmap extract` (features.Extract), and scores
// the output.
//
// It sits above geo/features and geo/events because it scores what they
// produce (place and event features); under gazetteer/ it would make the
// gazetteer tree import the layers built on it.
//
// The toponym scorer reproduces shared/tools/score_toponyms.py: the same
// predictions, the same one-to-one matching and the same distances, so its
// figures equal the script's.
package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// ErrGold is returned for a gold file that cannot be scored against.
var ErrGold = errors.New("corpus: invalid gold")

// ToponymArticle is one article of a toponym gold file (gold.json).
type ToponymArticle struct {
	File     string    `json:"file"` // the article's file name, e.g. 40450848.txt
	ID       string    `json:"id"`
	Date     string    `json:"date"` // YYYY-MM-DD, or "" (GeoWebNews gives none)
	URL      string    `json:"url"`
	Toponyms []Toponym `json:"toponyms"`
}

// Toponym is one gold annotation. Start and End are UTF-8 byte offsets into
// the article file as written, like the offsets of conflictmap's mentions.
type Toponym struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Lat and Lon are nil when the corpus gives no coordinates.
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	GeonameID *int64   `json:"geonameid"`
	Name      *string  `json:"name"`
	// Type is GeoWebNews' type (Literal, Metonymic, Demonym...), with
	// Modifier (Noun or Adjective) where it gives one; LGL's are all
	// "Toponym".
	Type         string `json:"type"`
	Modifier     string `json:"modifier"`
	FeatureClass string `json:"feature_class"`
	FeatureCode  string `json:"feature_code"`
	// Country is the ISO-2 code when the toponym is itself a country.
	Country string `json:"country"`
	// Counts says whether the scorer counts it as a place mention; the
	// others stay so that predicting them costs precision.
	Counts bool `json:"counts"`
}

// HasPoint reports whether the gold gives coordinates.
func (t Toponym) HasPoint() bool { return t.Lat != nil && t.Lon != nil }

// ReadToponymGold decodes a gold.json array and checks what the scorer
// relies on: a file name per article, 0 ≤ start ≤ end, and coordinates
// that are both given or both null, and on the globe.
func ReadToponymGold(r io.Reader) ([]ToponymArticle, error) {
	var arts []ToponymArticle
	if err := json.NewDecoder(r).Decode(&arts); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGold, err)
	}
	for i, a := range arts {
		if a.File == "" {
			return nil, fmt.Errorf("%w: article %d has no file name", ErrGold, i)
		}
		for j, t := range a.Toponyms {
			if err := t.check(); err != nil {
				return nil, fmt.Errorf("%w: %s toponym %d: %s", ErrGold, a.File, j, err)
			}
		}
	}
	return arts, nil
}

func (t Toponym) check() error {
	switch {
	case t.Start < 0 || t.End < t.Start:
		return fmt.Errorf("span %d-%d", t.Start, t.End)
	case (t.Lat == nil) != (t.Lon == nil):
		return errors.New("latitude without longitude or the reverse")
	case t.HasPoint() && !onGlobe(*t.Lat, *t.Lon):
		return fmt.Errorf("point %v,%v off the globe", *t.Lat, *t.Lon)
	}
	return nil
}

func onGlobe(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// LoadToponymGold reads the gold.json file at path.
func LoadToponymGold(path string) ([]ToponymArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open toponym gold: %w", err)
	}
	defer f.Close()
	arts, err := ReadToponymGold(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return arts, nil
}
