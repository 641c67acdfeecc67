package ui

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// TestBuiltFollowsDist: Built reports whether `make ui` has put an
// index.html into dist (a fresh clone has only dist/.keep), and the
// embedded tree is served without the dist/ prefix.
func TestBuiltFollowsDist(t *testing.T) {
	_, err := os.Stat("dist/index.html")
	onDisk := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if Built() != onDisk {
		t.Errorf("Built() = %v, dist/index.html on disk: %v", Built(), onDisk)
	}
	if _, err := fs.Stat(DistFS, ".keep"); err != nil {
		t.Errorf("dist/.keep not embedded at the root of DistFS: %v", err)
	}
}
