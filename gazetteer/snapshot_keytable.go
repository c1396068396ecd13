package gazetteer

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// A key table section maps strings to two uint32 values with an
// open-addressing hash table (linear probing) that is searched in place:
//
//	u32 key count n, u32 slot count m (a power of two above n)
//	m slots: u32 tag, u32 key offset, u32 key length (in "strings"), u32 v0, u32 v1
//
// The tag is the high half of keyHash with its lowest bit set; 0 marks an
// empty slot. Keeping the key's place and values in the slot makes a hit
// cost one read of the table and one of the key, and the tag makes most
// misses, the usual outcome of a lookup, cost the first alone.
const (
	keyTableHeader = 8
	slotSize       = 20
)

// keyHash is the hash of key tables. It is part of the snapshot format:
// changing it needs a new snapshotVersion.
func keyHash(s string) uint64 {
	const m = 0x9e3779b97f4a7c15
	h := uint64(len(s)) ^ 0x2545f4914f6cdd1d
	for ; len(s) >= 8; s = s[8:] {
		h = (h ^ u64(s, 0)) * m
		h ^= h >> 32
	}
	var t uint64
	switch n := len(s); {
	case n >= 4: // two reads that may overlap
		t = uint64(u32(s, 0)) | uint64(u32(s, n-4))<<32
	case n > 0:
		t = uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16
	}
	h = (h ^ t) * m
	// the murmur3 finaliser spreads every input bit over the slot bits
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// keyHashSamples are hashed into the key_hash section when a snapshot is
// written and again when it is read: a program whose keyHash differs, and
// so would look for keys in the wrong slots, rejects the snapshot.
var keyHashSamples = [...]string{"", "a", "al", "sah", "sana", "aden x", "tripoli", "misratah", "benghazi city", "zawiya al gharbiya"}

// keyHashSection lays out the hashes of keyHashSamples.
func keyHashSection() []byte {
	var b []byte
	for _, s := range keyHashSamples {
		b = putU64(b, keyHash(s))
	}
	return b
}

// keyEntry is one key of a table being built, with its values.
type keyEntry struct {
	key    string
	v0, v1 uint32
}

// buildKeyTable lays out entries, whose keys must be distinct, as a key
// table section; the keys go to strs.
func buildKeyTable(entries []keyEntry, strs *stringArea) []byte {
	n := len(entries)
	m := 1 << bits.Len(uint(n+n/2)) // load factor at most 2/3
	out := make([]byte, keyTableHeader+m*slotSize)
	binary.LittleEndian.PutUint32(out, uint32(n))
	binary.LittleEndian.PutUint32(out[4:], uint32(m))
	slots := out[keyTableHeader:]
	for _, e := range entries {
		h := keyHash(e.key)
		j := h & uint64(m-1)
		for binary.LittleEndian.Uint32(slots[j*slotSize:]) != 0 {
			j = (j + 1) & uint64(m-1)
		}
		off, l := strs.addDistinct(e.key)
		slot := slots[j*slotSize:]
		for k, v := range [...]uint32{uint32(h>>32) | 1, off, l, e.v0, e.v1} {
			binary.LittleEndian.PutUint32(slot[4*k:], v)
		}
	}
	return out
}

// keyTable is a key table section in place.
type keyTable struct {
	slots string
	strs  string
	mask  uint64
}

// decodeKeyTable checks sec and returns the table it holds. check, when
// not nil, vets the values of every key.
func decodeKeyTable(name, sec, strs string, check func(v0, v1 uint32) error) (keyTable, error) {
	if len(sec) < keyTableHeader {
		return keyTable{}, fmt.Errorf("%w: %s: short", errSnapshot, name)
	}
	n, m := uint64(u32(sec, 0)), uint64(u32(sec, 4))
	if m == 0 || m&(m-1) != 0 || n >= m || uint64(len(sec)) != keyTableHeader+m*slotSize {
		return keyTable{}, fmt.Errorf("%w: %s: %d keys in %d slots, %d bytes", errSnapshot, name, n, m, len(sec))
	}
	t := keyTable{slots: sec[keyTableHeader:], strs: strs, mask: m - 1}
	used := uint64(0)
	for off := 0; off < len(t.slots); off += slotSize {
		if u32(t.slots, off) == 0 {
			continue
		}
		used++
		if _, err := stringRef(t.slots, off+4, strs); err != nil {
			return keyTable{}, fmt.Errorf("%s: %w", name, err)
		}
		if check != nil {
			if err := check(u32(t.slots, off+12), u32(t.slots, off+16)); err != nil {
				return keyTable{}, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if used != n {
		return keyTable{}, fmt.Errorf("%w: %s: %d keys in the slots, %d in the header", errSnapshot, name, used, n)
	}
	return t, nil
}

// find returns the values of key. It probes at most every slot once, so a
// table that decodeKeyTable accepted cannot make it loop or read out of
// range.
func (t keyTable) find(key string) (v0, v1 uint32, ok bool) {
	if t.mask == 0 {
		return 0, 0, false
	}
	h := keyHash(key)
	tag := uint32(h>>32) | 1
	for i, j := uint64(0), h&t.mask; i <= t.mask; i, j = i+1, (j+1)&t.mask {
		off := int(j) * slotSize
		switch u32(t.slots, off) {
		case 0:
			return 0, 0, false
		case tag:
			ko, kl := u32(t.slots, off+4), u32(t.slots, off+8)
			if t.strs[ko:ko+kl] == key {
				return u32(t.slots, off+12), u32(t.slots, off+16), true
			}
		}
	}
	return 0, 0, false
}

// each calls fn with every key and its values, in slot order.
func (t keyTable) each(fn func(key string, v0, v1 uint32)) {
	for off := 0; off < len(t.slots); off += slotSize {
		if u32(t.slots, off) != 0 {
			ko, kl := u32(t.slots, off+4), u32(t.slots, off+8)
			fn(t.strs[ko:ko+kl], u32(t.slots, off+12), u32(t.slots, off+16))
		}
	}
}

// stringArea collects the snapshot's strings, each kept once.
type stringArea struct {
	buf  []byte
	seen map[string]uint32
	full bool // past the 4 GiB that offsets can reach
}

func newStringArea() *stringArea { return &stringArea{seen: map[string]uint32{}} }

// add returns the (offset, length) of s in the area, where it is kept
// once however often it is added: codes repeat a lot.
func (a *stringArea) add(s string) (off, n uint32) {
	if o, ok := a.seen[s]; ok {
		return o, uint32(len(s))
	}
	o, n := a.addDistinct(s)
	a.seen[s] = o
	return o, n
}

// addDistinct adds a string that is added only once, such as the key of a
// table, without remembering it.
func (a *stringArea) addDistinct(s string) (off, n uint32) {
	if uint64(len(a.buf))+uint64(len(s)) > math.MaxUint32 {
		a.full = true
		return 0, 0
	}
	o := uint32(len(a.buf))
	a.buf = append(a.buf, s...)
	return o, uint32(len(s))
}
