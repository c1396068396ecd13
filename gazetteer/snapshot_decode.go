package gazetteer

import "fmt"

// decodeIndex checks a snapshot and builds the Index over it. verify also
// checks its checksum. It never panics, whatever data holds.
func decodeIndex(data string, verify bool) (*Index, error) {
	secs, err := splitSnapshot(data, verify)
	if err != nil {
		return nil, err
	}
	strs, err := secs.section("strings")
	if err != nil {
		return nil, err
	}
	kh, err := secs.section("key_hash")
	if err != nil {
		return nil, err
	}
	if kh != string(keyHashSection()) {
		return nil, fmt.Errorf("%w: written with another key hash", errSnapshot)
	}
	ix := &Index{data: data}
	if ix.places, err = readColumns(secs, "place", placeFields, strs); err != nil {
		return nil, err
	}
	for i := 1; i < len(ix.places); i++ {
		if ix.places[i].ID <= ix.places[i-1].ID {
			return nil, fmt.Errorf("%w: places not in ID order", errSnapshot)
		}
	}
	if err := ix.decodeNames(secs, strs); err != nil {
		return nil, err
	}
	for i, t := range rankTables {
		sec, err := secs.section(t.section)
		if err != nil {
			return nil, err
		}
		if ix.ranks[i], err = decodeKeyTable(t.section, sec, strs, nil); err != nil {
			return nil, err
		}
	}
	countries, err := readColumns(secs, "country", countryFields, strs)
	if err != nil {
		return nil, err
	}
	ix.countries = make(map[string]*Country, len(countries))
	for i := range countries {
		ix.countries[countries[i].Code] = &countries[i]
	}
	mw, err := secs.section("max_words")
	if err != nil {
		return nil, err
	}
	if len(mw) != 4 {
		return nil, fmt.Errorf("%w: max_words: %d bytes", errSnapshot, len(mw))
	}
	ix.maxWords = int(u32(mw, 0))
	ix.buildGrid()
	ix.admin1 = map[string]int32{}
	for i := range ix.places {
		if p := &ix.places[i]; p.FeatureCode == "ADM1" {
			ix.admin1[p.Country+"."+p.Admin1] = int32(i)
		}
	}
	ix.sumTownPopulations()
	return ix, nil
}

// decodeNames checks the name table and its refs to places.
func (ix *Index) decodeNames(secs snapshotSections, strs string) error {
	refs, err := secs.section("names.refs")
	if err != nil {
		return err
	}
	if len(refs)%8 != 0 {
		return fmt.Errorf("%w: names.refs: %d bytes", errSnapshot, len(refs))
	}
	for off := 0; off < len(refs); off += 8 {
		if int64(u32(refs, off)) >= int64(len(ix.places)) {
			return fmt.Errorf("%w: names.refs: place %d of %d", errSnapshot, u32(refs, off), len(ix.places))
		}
	}
	ix.refs = refs
	sec, err := secs.section("names")
	if err != nil {
		return err
	}
	n := uint64(len(refs) / 8)
	ix.names, err = decodeKeyTable("names", sec, strs, func(first, count uint32) error {
		if uint64(first)+uint64(count) > n {
			return fmt.Errorf("%w: refs %d+%d of %d", errSnapshot, first, count, n)
		}
		return nil
	})
	return err
}
