package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/features"
)

// Outputs is what the extraction produced for a folder of articles.
type Outputs struct {
	// Features holds each article's features by file name (x.txt), as
	// `conflictmap extract --out` writes them to x.geojson.
	Features map[string][]*geojson.Feature
	// Texts holds each article's text after its date header.
	Texts map[string]string
}

// Run reads every dir/*.txt article, in name order, and extracts it with
// features.Extract, the path of `conflictmap extract`. A non-zero date
// overrides the articles' date headers, as extract's --date does; the
// events extractor may be nil. It stops at the first article that cannot
// be read.
func Run(ctx context.Context, parser *geoparse.Parser, extractor *events.Extractor, dir string, date time.Time) (Outputs, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return Outputs{}, fmt.Errorf("list articles: %w", err)
	}
	if len(names) == 0 {
		return Outputs{}, fmt.Errorf("list articles: no *.txt in %s", dir)
	}
	out := Outputs{Features: map[string][]*geojson.Feature{}, Texts: map[string]string{}}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return Outputs{}, err
		}
		a, err := readArticle(name, date)
		if err != nil {
			return Outputs{}, err
		}
		fc, _, _ := features.Extract(parser, extractor, a)
		base := filepath.Base(name)
		out.Features[base] = fc.Features
		out.Texts[base] = a.Text[a.Body:]
	}
	return out, nil
}

func readArticle(path string, date time.Time) (article.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return article.Article{}, fmt.Errorf("read article: %w", err)
	}
	defer f.Close()
	a, err := article.Read(f, path, date)
	if err != nil {
		return article.Article{}, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
