// Package repocheck holds checks over the repository's own files.
package repocheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// machinePrefixes are directory roots that only exist on the machine a file was written on.
// They are built from pieces so that this file does not name them itself.
var machinePrefixes = []string{"/" + "work/", "/" + "root/", "/" + "home/"}

// TestNoMachinePaths: no tracked file names an absolute path of the machine it was written
// on; the upstream documents are referred to as ../shared/… relative to the repository.
func TestNoMachinePaths(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range trackedFiles(t, root) {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the work tree but still in the index
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			for _, p := range machinePrefixes {
				if bytes.Contains(line, []byte(p)) {
					t.Errorf("%s:%d names a machine path (%s…): %s", name, i+1, p, strings.TrimSpace(string(line)))
				}
			}
		}
	}
}

// trackedFiles lists the repository's tracked files, or walks the tree when git is missing.
func trackedFiles(t *testing.T, root string) []string {
	if out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		var names []string
		for _, n := range bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0}) {
			names = append(names, string(n))
		}
		return names
	}
	var names []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
