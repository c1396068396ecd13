package gazetteer

import (
	"bytes"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSnapshotFormat pins the layout of the snapshot of tinyIndexData and
// the key hash: a program that changed either without a new
// snapshotVersion would misread the snapshots stored by the one before.
// With -update it rewrites the golden file, but only under a new version.
func TestSnapshotFormat(t *testing.T) {
	got := describeSnapshot(t, TinySnapshot())
	path := filepath.Join("testdata", "snapshot_format.golden")
	want, err := os.ReadFile(path)
	if err != nil && !*update {
		t.Fatal(err)
	}
	if string(want) == got {
		return
	}
	version := fmt.Sprintf("version %d\n", snapshotVersion)
	if !*update {
		t.Fatalf("snapshot format changed: bump snapshotVersion, then run go test -run TestSnapshotFormat -update\ngot:\n%s\nwant:\n%s", got, want)
	}
	if bytes.HasPrefix(want, []byte(version)) {
		t.Fatalf("snapshot format changed under %s: bump snapshotVersion first", strings.TrimSpace(version))
	}
	if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
}

// describeSnapshot lists the version, each section with its size and
// checksum, and the key hashes.
func describeSnapshot(t *testing.T, b []byte) string {
	secs, err := splitSnapshot(string(b), true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range secs {
		names = append(names, n)
	}
	sort.Strings(names)
	var s strings.Builder
	fmt.Fprintf(&s, "version %d\n", snapshotVersion)
	for _, n := range names {
		fmt.Fprintf(&s, "section %-20s %5d bytes crc %08x\n", n, len(secs[n]), crc32.Checksum([]byte(secs[n]), castagnoli))
	}
	for _, k := range keyHashSamples {
		fmt.Fprintf(&s, "keyHash(%q) = %016x\n", k, keyHash(k))
	}
	return s.String()
}
