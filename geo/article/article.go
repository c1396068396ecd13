// Package article reads news articles: text plus publication date, source
// and URL. It validates input before anything downstream sees it.
package article

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxBytes is the largest article accepted: 10 MiB, far above any news
// report, small enough to keep a bad upload from exhausting memory.
const MaxBytes = 10 << 20

// DateLayout is the layout of article dates.
const DateLayout = "2006-01-02"

// Errors returned for input that is not an article.
var (
	ErrEmpty    = errors.New("article: empty text")
	ErrTooLarge = fmt.Errorf("article: larger than %d MiB", MaxBytes>>20)
	ErrBinary   = errors.New("article: binary data, not text")
	ErrEncoding = errors.New("article: text is not valid UTF-8")
	ErrDate     = errors.New("article: invalid date, want YYYY-MM-DD")
)

// Article is one news report.
type Article struct {
	// Name identifies the article, usually its file name.
	Name string
	// Text is the full input; offsets of mentions refer to it.
	Text string
	// Body is the byte offset in Text where the report starts, after any
	// header line such as "date 2019-04-05".
	Body   int
	Date   time.Time // zero when unknown
	Source string
	URL    string
}

// HasDate reports whether the publication date is known.
func (a Article) HasDate() bool { return !a.Date.IsZero() }

// DateString is the date as YYYY-MM-DD, or "" when unknown.
func (a Article) DateString() string {
	if a.Date.IsZero() {
		return ""
	}
	return a.Date.Format(DateLayout)
}

// dateLine is the header "date YYYY-MM-DD"; the report may follow on the
// same line.
var dateLine = regexp.MustCompile(`^[ \t]*date[ \t]+(\d\S*)(?:[ \t]+|[ \t]*\r?$)`)

// Read reads an article from r, at most MaxBytes. A non-zero date
// overrides the article's own header date (see ParseAt).
func Read(r io.Reader, name string, date time.Time) (Article, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Article{}, fmt.Errorf("read %s: %w", name, err)
	}
	return ParseAt(data, name, date)
}

// Parse validates data as article text and reads its optional header: the
// first non-blank line "date YYYY-MM-DD" sets the date.
func Parse(data []byte, name string) (Article, error) { return ParseAt(data, name, time.Time{}) }

// ParseAt is Parse with a date given by the caller: when date is not zero
// it wins over the header's, and a malformed header date is no error.
func ParseAt(data []byte, name string, date time.Time) (Article, error) {
	if len(data) > MaxBytes {
		return Article{}, ErrTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Article{}, ErrEmpty
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return Article{}, ErrBinary
	}
	if !utf8.Valid(data) {
		return Article{}, ErrEncoding
	}
	a := Article{Name: name, Text: string(data)}
	// find the first non-blank line
	off := 0
	for off < len(a.Text) {
		end := strings.IndexByte(a.Text[off:], '\n')
		lineEnd := len(a.Text)
		if end >= 0 {
			lineEnd = off + end
		}
		line := a.Text[off:lineEnd]
		if strings.TrimSpace(line) == "" {
			off = lineEnd + 1
			continue
		}
		if m := dateLine.FindStringSubmatch(line); m != nil {
			d, err := ParseDate(m[1])
			if err != nil && date.IsZero() {
				return Article{}, fmt.Errorf("%s: header: %w", name, err)
			}
			a.Date = d
			m := dateLine.FindStringIndex(line)
			a.Body = off + m[1]
			if strings.TrimSpace(line[m[1]:]) == "" {
				a.Body = lineEnd
				if a.Body < len(a.Text) {
					a.Body++
				}
			}
		}
		break
	}
	if strings.TrimSpace(a.Text[a.Body:]) == "" {
		return Article{}, ErrEmpty
	}
	if !date.IsZero() {
		a.Date = date
	}
	return a, nil
}

// ParseDate parses a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil || d.Year() < 1800 || d.Year() > 2200 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrDate, s)
	}
	return d, nil
}
