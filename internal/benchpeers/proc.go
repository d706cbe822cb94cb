package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat.
const clockTick = 10 * time.Millisecond

// tree lists pid and its descendants.
func tree(pid int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		f := statFields(path)
		if len(f) > 1 {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
			parent, _ := strconv.Atoi(f[1])
			children[parent] = append(children[parent], child)
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// statFields are /proc/PID/stat's fields after the command name (field 3 onwards).
func statFields(path string) []string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(raw)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	return strings.Fields(s)
}

// treeCPU is the user and system time the process tree has used.
func treeCPU(pid int) time.Duration {
	var ticks int64
	for _, p := range tree(pid) {
		f := statFields("/proc/" + strconv.Itoa(p) + "/stat")
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * clockTick
}

// treeRSS is the resident memory of the process tree, in bytes.
func treeRSS(pid int) int64 {
	var kb int64
	for _, p := range tree(pid) {
		raw, _ := os.ReadFile("/proc/" + strconv.Itoa(p) + "/status")
		for _, line := range strings.Split(string(raw), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				kb += v
			}
		}
	}
	return kb << 10
}
