package gazetteer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unsafe"
)

// The index snapshot is the Index laid out as bytes. Import writes it in
// its transaction (table index_snapshot, see snapshot_store.go) and
// LoadIndex reads it back in one piece: the name and word tables are used
// where they lie, with no decoding into maps, and only the place and
// country records are unpacked into Go structs.
//
// Layout (all integers little-endian):
//
//	0   magic "cmgazidx"
//	8   u32 format version (snapshotVersion)
//	12  u32 CRC-32C of every byte from offset 16 on
//	16  u32 number of sections
//	20  u32 zero
//	24  directory: per section a 24-byte NUL-padded name, u64 offset, u64 length
//	    then the sections, each starting on a multiple of 8
//
// Sections are found by name, so their order is free. Those of this version:
//
//	strings             every string, referred to as (u32 offset, u32 length)
//	max_words           u32, the most words in an indexed name
//	key_hash            u64 keyHash of each of keyHashSamples
//	place.<field>       one column per field of Place (placeFields)
//	country.<field>     one column per field of Country (countryFields)
//	names               key table: normalised name → (first ref, ref count)
//	names.refs          per ref: u32 place index, u32 name flags
//	words.<table>       key table: word → (rank, 0), one per rankTables entry
//
// A column holds one value per record: int64, float64 or a string reference
// (see column). A key table is an open-addressing hash table (see keyTable).
//
// Extending it:
//
//   - another word→rank table (given names and surnames with their
//     frequency ranks, say) is a constant before numRankTables, its entry
//     in rankTables (section name, and the query that reads its (word,
//     rank) rows, each word once) and an Index method calling ix.rank;
//   - another field of Place or Country is one line in placeFields or
//     countryFields, once the SQL reading places (placeColumns, scanPlace)
//     or countries (readCountries) fills it;
//   - more rows in places and place_names (admin-2 regions, say) need
//     nothing: Import writes the snapshot from the tables.
//
// The first two change the sections, so bump snapshotVersion and rewrite
// the golden layout with go test -run TestSnapshotFormat -update (which
// refuses to without a new version). LoadIndex rebuilds any snapshot of
// another version from the tables, once, and stores the new one: a
// snapshot is derived data and promises no compatibility.
const snapshotVersion = 2

const (
	snapshotMagic   = "cmgazidx"
	headerSize      = 24
	sectionNameSize = 24
	dirEntrySize    = sectionNameSize + 16
)

// errSnapshot is wrapped by every error about a malformed index snapshot.
var errSnapshot = errors.New("gazetteer: bad index snapshot")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapshotWriter lays sections out one after another. It hands the
// snapshot out whole (bytes) or in pieces (each), which spares a copy of
// it all when it only goes to the database.
type snapshotWriter struct {
	names []string
	data  [][]byte
}

func (w *snapshotWriter) add(name string, data []byte) {
	if len(name) > sectionNameSize {
		panic("gazetteer: snapshot section name too long: " + name) // a programming error
	}
	w.names = append(w.names, name)
	w.data = append(w.data, data)
}

// pieces returns the snapshot as consecutive pieces: the header with the
// directory and checksum, then each section behind its padding.
func (w *snapshotWriter) pieces() [][]byte {
	head := make([]byte, headerSize+dirEntrySize*len(w.names))
	copy(head, snapshotMagic)
	binary.LittleEndian.PutUint32(head[8:], snapshotVersion)
	binary.LittleEndian.PutUint32(head[16:], uint32(len(w.names)))
	var zeros [8]byte
	out := [][]byte{head}
	off := len(head)
	for i, d := range w.data {
		if pad := align8(off) - off; pad > 0 {
			out = append(out, zeros[:pad])
			off += pad
		}
		e := head[headerSize+dirEntrySize*i:]
		copy(e[:sectionNameSize], w.names[i])
		binary.LittleEndian.PutUint64(e[sectionNameSize:], uint64(off))
		binary.LittleEndian.PutUint64(e[sectionNameSize+8:], uint64(len(d)))
		out = append(out, d)
		off += len(d)
	}
	crc := crc32.Checksum(head[16:], castagnoli)
	for _, p := range out[1:] {
		crc = crc32.Update(crc, castagnoli, p)
	}
	binary.LittleEndian.PutUint32(head[12:], crc)
	return out
}

// bytes returns the whole snapshot.
func (w *snapshotWriter) bytes() []byte {
	pieces := w.pieces()
	out := make([]byte, 0, piecesSize(pieces))
	for _, p := range pieces {
		out = append(out, p...)
	}
	return out
}

func piecesSize(pieces [][]byte) int {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	return n
}

// each calls fn with the snapshot's size and its consecutive parts of n
// bytes (the last may be shorter), reusing one buffer.
func (w *snapshotWriter) each(n int, fn func(size int, part []byte) error) error {
	pieces := w.pieces()
	size := piecesSize(pieces)
	buf := make([]byte, 0, n)
	for _, p := range pieces {
		for len(p) > 0 {
			k := min(len(p), n-len(buf))
			buf, p = append(buf, p[:k]...), p[k:]
			if len(buf) == n {
				if err := fn(size, buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		return fn(size, buf)
	}
	return nil
}

func align8(n int) int { return (n + 7) &^ 7 }

// readOnlyBytes views s as bytes without copying tens of megabytes; the
// result must only be read.
func readOnlyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// snapshotSections is a snapshot split into its named sections. Every
// section is a substring of the snapshot, which stays immutable.
type snapshotSections map[string]string

// splitSnapshot checks the header, the checksum when verify is set, and
// that every section lies inside data.
func splitSnapshot(data string, verify bool) (snapshotSections, error) {
	if len(data) < headerSize || data[:8] != snapshotMagic {
		return nil, fmt.Errorf("%w: no header", errSnapshot)
	}
	if v := u32(data, 8); v != snapshotVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", errSnapshot, v, snapshotVersion)
	}
	if verify && crc32.Checksum(readOnlyBytes(data[16:]), castagnoli) != u32(data, 12) {
		return nil, fmt.Errorf("%w: checksum mismatch", errSnapshot)
	}
	n := int(u32(data, 16))
	if n > (len(data)-headerSize)/dirEntrySize {
		return nil, fmt.Errorf("%w: %d sections do not fit", errSnapshot, n)
	}
	secs := make(snapshotSections, n)
	for i := 0; i < n; i++ {
		e := data[headerSize+dirEntrySize*i:]
		name := e[:sectionNameSize]
		for j := 0; j < len(name); j++ {
			if name[j] == 0 {
				name = name[:j]
				break
			}
		}
		off, size := u64(e, sectionNameSize), u64(e, sectionNameSize+8)
		if off > uint64(len(data)) || size > uint64(len(data))-off {
			return nil, fmt.Errorf("%w: section %q out of bounds", errSnapshot, name)
		}
		if _, dup := secs[name]; dup {
			return nil, fmt.Errorf("%w: section %q twice", errSnapshot, name)
		}
		secs[name] = data[off : off+size]
	}
	return secs, nil
}

// section returns the section called name, which must be there.
func (s snapshotSections) section(name string) (string, error) {
	d, ok := s[name]
	if !ok {
		return "", fmt.Errorf("%w: no section %q", errSnapshot, name)
	}
	return d, nil
}

// u32 reads a little-endian uint32 at off; the caller has checked bounds.
func u32(s string, off int) uint32 {
	_ = s[off+3]
	return uint32(s[off]) | uint32(s[off+1])<<8 | uint32(s[off+2])<<16 | uint32(s[off+3])<<24
}

// u64 reads a little-endian uint64 at off; the caller has checked bounds.
func u64(s string, off int) uint64 {
	return uint64(u32(s, off)) | uint64(u32(s, off+4))<<32
}

func putU32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func putU64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

// stringRef reads the (offset, length) reference at off of sec and returns
// the string it names in strs.
func stringRef(sec string, off int, strs string) (string, error) {
	o, n := uint64(u32(sec, off)), uint64(u32(sec, off+4))
	if o+n > uint64(len(strs)) {
		return "", fmt.Errorf("%w: string out of bounds", errSnapshot)
	}
	return strs[o : o+n], nil
}
