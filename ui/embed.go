// Package ui embeds the built web app (Vite output in ui/dist).
//
// A fresh clone has only dist/.keep: the Go build still works and the
// server answers "UI not built" until `make ui` has run.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// DistFS is the built app without the "dist" prefix.
var DistFS, _ = fs.Sub(dist, "dist")

// Built reports whether the app has been built into dist.
func Built() bool {
	_, err := fs.Stat(DistFS, "index.html")
	return err == nil
}
