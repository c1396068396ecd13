package gazetteer

import (
	"fmt"
	"strings"
)

// Kind says what sort of place an entry is. It drives ranking and tells maps
// how precise a location is.
type Kind string

// The kinds of place the gazetteer knows.
const (
	KindCity     Kind = "city"
	KindDistrict Kind = "district"
	KindRegion   Kind = "region"
	KindCountry  Kind = "country"
	KindFacility Kind = "facility"
	KindWater    Kind = "water"
)

// ID identifies a gazetteer entry. Entries taken from GeoNames use their
// geonameid; countries and other entries with no geonameid get a negative
// synthetic ID that is stable across imports.
type ID int64

// countryIDBase offsets the synthetic IDs of countries.
const countryIDBase = 1_000_000

// CountryID returns the synthetic ID of the country with ISO 3166-1 alpha-2
// code cc.
func CountryID(cc string) ID {
	cc = strings.ToUpper(cc)
	if len(cc) != 2 {
		return 0
	}
	return -ID(countryIDBase + int(cc[0]-'A')*26 + int(cc[1]-'A'))
}

// GeonameID returns the GeoNames id of the entry, or 0 when the entry does not
// come from GeoNames.
func (id ID) GeonameID() int64 {
	if id > 0 {
		return int64(id)
	}
	return 0
}

// BBox is an extent as [minLon, minLat, maxLon, maxLat].
type BBox [4]float64

// IsZero reports whether the box is unset.
func (b BBox) IsZero() bool { return b == BBox{} }

// Place is one gazetteer entry.
type Place struct {
	ID           ID
	Name         string
	Lat, Lon     float64
	FeatureClass string // GeoNames feature class: P populated place, A admin area...
	FeatureCode  string // GeoNames feature code: PPLC, PPLA, PPL, PCLI...
	Country      string // ISO 3166-1 alpha-2, "" for places in no country
	Admin1       string // GeoNames admin-1 code within Country
	Admin2       string // GeoNames admin-2 code within Admin1, "" when unknown
	Population   int64
	Kind         Kind
	Extent       BBox
	// TownPopulation is, for a country or an admin-1 region, the sum of
	// the populations of the gazetteer's towns in it: a measure of how
	// much it is talked about when GeoNames gives it no population.
	// It is computed when the index loads, not stored.
	TownPopulation int64
}

// String names the place for humans and logs.
func (p Place) String() string {
	return fmt.Sprintf("%s (%s %s, %d)", p.Name, p.Country, p.FeatureCode, p.ID)
}

// Country is a country entry with the names news uses for it.
type Country struct {
	Code      string // ISO 3166-1 alpha-2
	Name      string // common English name
	Official  string
	Capital   string
	CapitalID ID // gazetteer ID of the capital city, 0 when unknown
	Lat, Lon  float64
	AltNames  []string // alternate spellings and abbreviations (UAE, UK, USA)
	Demonyms  []string // Libyan, Italian
}

// featureRank orders GeoNames feature codes for populated places: a capital
// outranks an admin seat, which outranks a plain populated place.
func featureRank(code string) float64 {
	switch code {
	case "PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR":
		return 1.0
	case "PPLC":
		return 0.9
	case "PPLA":
		return 0.7
	case "ADM1":
		return 0.65
	case "PPLG":
		return 0.6
	case "PPLA2":
		return 0.5
	case "PPLA3":
		return 0.35
	case "PPLA4", "PPLA5":
		return 0.3
	case "PPLX":
		return 0.15
	case "PPLH", "PPLQ", "PPLW":
		return 0.05
	}
	return 0.25
}

// FeatureRank exposes featureRank for rankers outside the package.
func FeatureRank(code string) float64 { return featureRank(code) }

// kindForFeature maps a GeoNames feature class and code to a Kind.
func kindForFeature(class, code string) Kind {
	switch {
	case code == "PPLX":
		return KindDistrict
	case class == "P":
		return KindCity
	case class == "A" && strings.HasPrefix(code, "PCL"):
		return KindCountry
	case class == "A" || class == "L" || class == "T":
		return KindRegion
	case class == "H":
		return KindWater
	case class == "S":
		return KindFacility
	}
	return KindCity
}
