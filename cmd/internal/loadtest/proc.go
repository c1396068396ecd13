package loadtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// ErrNoField is returned when /proc/PID/status lacks the field asked for.
var ErrNoField = errors.New("loadtest: field not in /proc status")

// RSS returns the resident set size of process pid in bytes (VmRSS).
func RSS(pid int) (int64, error) { return procStatus(pid, "VmRSS") }

// PeakRSS returns the largest resident set size process pid has had in
// bytes (VmHWM).
func PeakRSS(pid int) (int64, error) { return procStatus(pid, "VmHWM") }

func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read status of process %d: %w", pid, err)
	}
	return StatusField(b, field)
}

// StatusField reads a "Name:   1234 kB" line of /proc/PID/status, in
// bytes.
func StatusField(status []byte, field string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("loadtest: %s is %q, want a size in kB", field, strings.TrimSpace(rest))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 {
			return 0, fmt.Errorf("loadtest: %s is %q, want a size in kB", field, strings.TrimSpace(rest))
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("%w: %s", ErrNoField, field)
}

// MiB formats a byte count in mebibytes, "n/a" for a negative count
// (not measured).
func MiB(b int64) string {
	if b < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// Machine describes where figures were measured.
type Machine struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	GoVersion string `json:"go_version"`
	Kernel    string `json:"kernel"`
	MemTotal  int64  `json:"mem_total_bytes"`
	LoadAvg   string `json:"loadavg_at_start"`
	Date      string `json:"date"`
	// Revision is the VCS revision this tool was built from, when the
	// build recorded one.
	Revision string `json:"revision,omitempty"`
}

// ReadMachine reads /proc for the CPU, kernel, memory and load.
func ReadMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC().Format(time.RFC3339), MemTotal: -1}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = CPUModel(b)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if v, err := StatusField(b, "MemTotal"); err == nil {
			m.MemTotal = v
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				m.Revision = s.Value
			}
		}
	}
	return m
}

// CPUModel reads the first "model name" of /proc/cpuinfo ("unknown" when
// there is none, as on some ARM kernels).
func CPUModel(cpuinfo []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(cpuinfo))
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return "unknown"
}
