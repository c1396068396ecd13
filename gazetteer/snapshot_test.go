package gazetteer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"
)

// sectionEntry returns where the directory entry of section name starts.
func sectionEntry(t testing.TB, b []byte, name string) int {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(b[16:]))
	for i := 0; i < n; i++ {
		e := headerSize + dirEntrySize*i
		if string(bytes.TrimRight(b[e:e+sectionNameSize], "\x00")) == name {
			return e
		}
	}
	t.Fatalf("no section %q", name)
	return 0
}

// sectionData returns the bytes of section name.
func sectionData(t testing.TB, b []byte, name string) []byte {
	e := sectionEntry(t, b, name)
	off := binary.LittleEndian.Uint64(b[e+sectionNameSize:])
	n := binary.LittleEndian.Uint64(b[e+sectionNameSize+8:])
	return b[off : off+n]
}

func TestDecodeSnapshotTiny(t *testing.T) {
	ix, err := decodeIndex(string(TinySnapshot()), true)
	if err != nil {
		t.Fatal(err)
	}
	if c := ix.Lookup("tripoli"); len(c) != 2 || c[0].Place.Name != "Tripoli" || c[0].Flags != FlagPreferred || c[1].Place.Name != "Tarabulus" {
		t.Errorf("Lookup(tripoli) = %v", c)
	}
	if ix.Has("tarabulus") || ix.CommonWordRank("the") != 1 || ix.RegionOf("LY", "77").Name != "Tarabulus" || ix.Country("LY").CapitalID != 2210247 {
		t.Error("tiny index answers wrong")
	}
}

func TestDecodeSnapshotRejectsDamage(t *testing.T) {
	tests := []struct {
		name   string
		data   func(*indexData)                    // changes the data before it is laid out
		damage func(t *testing.T, b []byte) []byte // changes the bytes
	}{
		{name: "empty", damage: func(t *testing.T, b []byte) []byte { return nil }},
		{name: "other magic", damage: func(t *testing.T, b []byte) []byte { b[0] = 'C'; return b }},
		{name: "newer version", damage: func(t *testing.T, b []byte) []byte { b[8]++; return b }},
		{name: "more sections than fit", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint32(b[16:], math.MaxUint32)
			return b
		}},
		{name: "section past the end", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint64(b[sectionEntry(t, b, "names.refs")+sectionNameSize+8:], uint64(len(b)))
			return b
		}},
		{name: "section offset wraps around", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint64(b[sectionEntry(t, b, "names.refs")+sectionNameSize:], math.MaxUint64-7)
			return b
		}},
		{name: "section twice", damage: func(t *testing.T, b []byte) []byte {
			copy(b[sectionEntry(t, b, "place.lat"):], "place.lon\x00")
			return b
		}},
		{name: "missing section", damage: func(t *testing.T, b []byte) []byte {
			copy(b[sectionEntry(t, b, "max_words"):], "max_wordz")
			return b
		}},
		{name: "short column", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint64(b[sectionEntry(t, b, "place.population")+sectionNameSize+8:], 16)
			return b
		}},
		{name: "string past the area", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint32(sectionData(t, b, "place.name")[8:], math.MaxUint32)
			return b
		}},
		{name: "key past the strings", damage: func(t *testing.T, b []byte) []byte {
			s := sectionData(t, b, "names")[keyTableHeader:]
			for off := 0; ; off += slotSize {
				if binary.LittleEndian.Uint32(s[off:]) != 0 {
					binary.LittleEndian.PutUint32(s[off+8:], math.MaxUint32)
					return b
				}
			}
		}},
		{name: "more keys than the header says", damage: func(t *testing.T, b []byte) []byte {
			s := sectionData(t, b, "names")[keyTableHeader:]
			for off := 0; ; off += slotSize {
				if binary.LittleEndian.Uint32(s[off:]) == 0 {
					binary.LittleEndian.PutUint32(s[off:], 7)
					return b
				}
			}
		}},
		{name: "no empty slot", damage: func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint32(sectionData(t, b, "words.common")[4:], 1)
			return b
		}},
		{name: "another key hash", damage: func(t *testing.T, b []byte) []byte {
			sectionData(t, b, "key_hash")[9]++
			return b
		}},
		{name: "ref to no place", data: func(d *indexData) { d.refs[2].place = 3 }},
		{name: "refs past the end", data: func(d *indexData) { d.names[1].v1 = 3 }},
		{name: "places out of ID order", data: func(d *indexData) { d.places[1].ID, d.places[2].ID = d.places[2].ID, d.places[1].ID }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tinyIndexData()
			if tt.data != nil {
				tt.data(d)
			}
			w, err := d.snapshot()
			if err != nil {
				t.Fatal(err)
			}
			b := w.bytes()
			if tt.damage != nil {
				b = tt.damage(t, b)
			}
			FixChecksum(b)
			if _, err := decodeIndex(string(b), true); !errors.Is(err, errSnapshot) {
				t.Errorf("err = %v, want errSnapshot", err)
			}
		})
	}
}

func TestDecodeSnapshotChecksum(t *testing.T) {
	good := TinySnapshot()
	t.Run("every truncation", func(t *testing.T) {
		for n := 0; n < len(good); n++ {
			b := bytes.Clone(good[:n])
			FixChecksum(b)
			if _, err := decodeIndex(string(b), true); !errors.Is(err, errSnapshot) {
				t.Fatalf("%d of %d bytes: err = %v", n, len(good), err)
			}
		}
	})
	t.Run("every changed byte", func(t *testing.T) {
		for i := range good {
			b := bytes.Clone(good)
			b[i] ^= 0x40
			if _, err := decodeIndex(string(b), true); !errors.Is(err, errSnapshot) {
				t.Fatalf("byte %d changed: err = %v", i, err)
			}
		}
	})
}

// FuzzDecodeSnapshot feeds the decoder arbitrary bytes, as they are and
// with their checksum made right so that the structure checks are reached:
// it must return errSnapshot or an index whose every answer stays within
// the snapshot.
func FuzzDecodeSnapshot(f *testing.F) {
	good := TinySnapshot()
	f.Add(good)
	f.Add(good[:len(good)/2])
	empty, err := (&indexData{}).snapshot()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(empty.bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fix := range []bool{false, true} {
			b := bytes.Clone(data)
			if fix {
				FixChecksum(b)
			}
			ix, err := decodeIndex(string(b), true)
			if err != nil {
				if !errors.Is(err, errSnapshot) {
					t.Fatalf("err = %v, want errSnapshot", err)
				}
				continue
			}
			askEverything(ix)
		}
	})
}

// askEverything calls every method of ix on everything it holds.
func askEverything(ix *Index) {
	ix.names.each(func(k string, _, _ uint32) {
		ix.Lookup(k)
		ix.Has(k + " x")
	})
	for _, t := range ix.ranks {
		t.each(func(w string, _, _ uint32) { ix.CommonWordRank(w) })
	}
	ix.Places(func(p *Place) bool {
		ix.Place(p.ID)
		ix.RegionOf(p.Country, p.Admin1)
		ix.Country(p.Country)
		// Near's loops assume coordinates on the globe, which the import
		// makes sure of
		if p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 {
			ix.Near(p.Lat, p.Lon, 100, func(*Place, float64) bool { return true })
		}
		return true
	})
	ix.MaxWords()
	ix.Len()
}

func TestSnapshotWriterParts(t *testing.T) {
	w, err := tinyIndexData().snapshot()
	if err != nil {
		t.Fatal(err)
	}
	whole := w.bytes()
	for _, n := range []int{1, 7, 8, 100, len(whole) - 1, len(whole), len(whole) + 1} {
		t.Run(fmt.Sprintf("parts of %d bytes", n), func(t *testing.T) {
			var joined []byte
			err := w.each(n, func(size int, part []byte) error {
				if size != len(whole) || len(part) > n || len(part) == 0 {
					t.Errorf("part of %d bytes, size %d", len(part), size)
				}
				joined = append(joined, part...)
				return nil
			})
			if err != nil || !bytes.Equal(joined, whole) {
				t.Errorf("parts do not make the snapshot (%v)", err)
			}
		})
	}
}
