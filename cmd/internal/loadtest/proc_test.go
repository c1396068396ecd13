package loadtest

import (
	"errors"
	"os"
	"testing"
)

func TestStatusField(t *testing.T) {
	status := []byte("Name:\tconflictmap\nVmPeak:\t 1200000 kB\nVmHWM:\t  250000 kB\nVmRSS:\t  234656 kB\nThreads:\t9\nBad:\t12 MB\n")
	tests := []struct {
		name    string
		field   string
		want    int64
		wantErr error
	}{
		{"rss in bytes", "VmRSS", 234656 << 10, nil},
		{"peak", "VmHWM", 250000 << 10, nil},
		{"missing field", "VmSwap", 0, ErrNoField},
		{"prefix of a field is not the field", "Vm", 0, ErrNoField},
		{"not in kB", "Bad", 0, nil},
		{"count without unit", "Threads", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := StatusField(status, tc.field)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("StatusField(%s) error = %v, want %v", tc.field, err, tc.wantErr)
				}
			case tc.want == 0:
				if err == nil {
					t.Fatalf("StatusField(%s) = %d, want an error", tc.field, got)
				}
			case err != nil || got != tc.want:
				t.Fatalf("StatusField(%s) = %d, %v; want %d", tc.field, got, err, tc.want)
			}
		})
	}
}

func TestRSSOfThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc on this system: RSS is read from /proc/PID/status")
	}
	rss, err := RSS(os.Getpid())
	if err != nil || rss <= 0 {
		t.Fatalf("RSS = %d, %v", rss, err)
	}
}

func TestCPUModel(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"x86", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t: fpu\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n", "Intel(R) Xeon(R) Processor"},
		{"no model name", "processor\t: 0\nBogoMIPS\t: 50.00\n", "unknown"},
		{"empty", "", "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CPUModel([]byte(tc.in)); got != tc.want {
				t.Fatalf("CPUModel = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMiB(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"not measured", -1, "n/a"},
		{"zero", 0, "0 MiB"},
		{"rounded", 235 << 20, "235 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MiB(tc.in); got != tc.want {
				t.Fatalf("MiB(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
