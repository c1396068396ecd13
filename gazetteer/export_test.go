package gazetteer

import (
	"context"
	"encoding/binary"
	"hash/crc32"
)

// This file lends internals to the tests of package gazetteer_test, which
// need gazettest (and gazettest imports this package).

// FixChecksum recomputes the checksum of a snapshot whose bytes were
// changed, so that its structure is what gets tested.
func FixChecksum(b []byte) {
	if len(b) >= headerSize {
		binary.LittleEndian.PutUint32(b[12:], crc32.Checksum(b[16:], castagnoli))
	}
}

// LoadStoredSnapshot returns the index of the stored snapshot, nil when
// there is none LoadIndex would use.
func LoadStoredSnapshot(ctx context.Context, s *Store) (*Index, error) { return s.loadSnapshot(ctx) }

// RebuildIndex builds the index from the tables, as LoadIndex does when
// there is no snapshot.
func RebuildIndex(ctx context.Context, s *Store) (*Index, error) { return s.rebuildSnapshot(ctx) }

// NameKeys returns every key of the name table.
func (ix *Index) NameKeys() []string {
	var keys []string
	ix.names.each(func(k string, _, _ uint32) { keys = append(keys, k) })
	return keys
}

// CommonWords returns the common-word table.
func (ix *Index) CommonWords() map[string]int {
	m := map[string]int{}
	ix.ranks[rankCommonWords].each(func(w string, r, _ uint32) { m[w] = int(r) })
	return m
}

// CountryCodes returns the codes of the countries.
func (ix *Index) CountryCodes() []string {
	var cc []string
	for c := range ix.countries {
		cc = append(cc, c)
	}
	return cc
}

// TinySnapshot is the snapshot of tinyIndexData.
func TinySnapshot() []byte {
	w, err := tinyIndexData().snapshot()
	if err != nil {
		panic(err)
	}
	return w.bytes()
}

// tinyIndexData is an index of three places, two names and a common word.
func tinyIndexData() *indexData {
	d := &indexData{
		places: []Place{
			{ID: -1000291, Name: "Libya", Lat: 27, Lon: 17, FeatureClass: "A", FeatureCode: "PCLI", Country: "LY", Kind: KindCountry},
			{ID: 2210247, Name: "Tripoli", Lat: 32.88743, Lon: 13.18733, FeatureClass: "P", FeatureCode: "PPLC", Country: "LY", Admin1: "77", Population: 1150989, Kind: KindCity},
			{ID: 2210248, Name: "Tarabulus", Lat: 32.8, Lon: 13.1, FeatureClass: "A", FeatureCode: "ADM1", Country: "LY", Admin1: "77", Kind: KindRegion, Extent: BBox{12.9, 32.5, 13.5, 33}},
		},
		countries: []Country{{Code: "LY", Name: "Libya", Capital: "Tripoli", CapitalID: 2210247, Lat: 27, Lon: 17}},
		names:     []keyEntry{{key: "libya", v0: 0, v1: 1}, {key: "tripoli", v0: 1, v1: 2}},
		refs:      []nameRefData{{0, FlagPreferred}, {1, FlagPreferred}, {2, 0}},
		maxWords:  1,
	}
	d.ranks[rankCommonWords] = []keyEntry{{key: "the", v0: 1}}
	return d
}
