package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLogBuffer: lines from many goroutines arrive whole, within the
// flush interval, and all of them by Close.
func TestLogBuffer(t *testing.T) {
	var out syncBuffer
	lb := newLogBuffer(&out, 20*time.Millisecond)
	fmt.Fprintln(lb, "first")
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(out.String(), "first\n") {
		if time.Now().After(deadline) {
			t.Fatal("a line was not flushed within 2 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				fmt.Fprintf(lb, "g%d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	lb.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 1+8*500 {
		t.Fatalf("%d lines, want %d", len(lines), 1+8*500)
	}
	for _, l := range lines[1:] {
		var g, i int
		if n, err := fmt.Sscanf(l, "g%d line %d", &g, &i); n != 2 || err != nil {
			t.Fatalf("torn line %q", l)
		}
	}
}
