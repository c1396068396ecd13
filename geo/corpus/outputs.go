package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// ReadOutputs reads what `conflictmap extract --out dir` wrote for each
// article file: dir/<stem>.geojson for <stem>.txt, or dir/<file>.geojson.
// Articles without output are left out of the map; the scorers count them
// as empty and list them.
func ReadOutputs(dir string, files []string) (map[string][]*geojson.Feature, error) {
	out := map[string][]*geojson.Feature{}
	for _, name := range files {
		for _, cand := range []string{strings.TrimSuffix(name, ".txt") + ".geojson", name + ".geojson"} {
			data, err := os.ReadFile(filepath.Join(dir, cand))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("read output: %w", err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(data)
			if err != nil {
				return nil, fmt.Errorf("read output %s: %w", cand, err)
			}
			out[name] = fc.Features
			break
		}
	}
	return out, nil
}
