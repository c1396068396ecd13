package gazetteer

import (
	"fmt"
	"io"
	"time"
)

// Progress reports how far a long job has got. On a terminal it redraws one
// line; elsewhere (logs, CI) it prints a line every tenth of the way.
// A nil *Progress reports nothing.
type Progress struct {
	w        io.Writer
	label    string
	terminal bool
	start    time.Time
	lastPct  int
	lastDraw time.Time
}

// NewProgress returns a Progress writing to w. terminal says whether w is an
// interactive terminal.
func NewProgress(w io.Writer, label string, terminal bool) *Progress {
	return &Progress{w: w, label: label, terminal: terminal, start: time.Now(), lastPct: -1}
}

// Update reports done of total units (bytes, say) and count items.
func (p *Progress) Update(done, total int64, count int) {
	if p == nil || p.w == nil {
		return
	}
	pct := 100
	if total > 0 && done < total {
		pct = int(done * 100 / total)
	}
	now := time.Now()
	if p.terminal {
		if pct == p.lastPct && now.Sub(p.lastDraw) < 200*time.Millisecond {
			return
		}
		fmt.Fprintf(p.w, "\r%s: %3d%% %s %d rows, %.1fs", p.label, pct, bar(pct), count, now.Sub(p.start).Seconds())
		if pct == 100 {
			fmt.Fprintln(p.w)
		}
	} else if pct/10 != p.lastPct/10 || p.lastPct < 0 {
		fmt.Fprintf(p.w, "%s: %3d%% %d rows, %.1fs\n", p.label, pct, count, now.Sub(p.start).Seconds())
	}
	p.lastPct, p.lastDraw = pct, now
}

func bar(pct int) string {
	const width = 30
	b := make([]byte, width+2)
	b[0], b[width+1] = '[', ']'
	for i := 0; i < width; i++ {
		b[i+1] = ' '
		if i < pct*width/100 {
			b[i+1] = '='
		}
	}
	return string(b)
}
