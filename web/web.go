// Package web holds Folio's search page: plain HTML, CSS and JavaScript with
// no build step, embedded in the binary so a fresh `folio serve` needs no
// files beside it and the page never loads anything from another origin.
// widget.js is the exception that proves it: the <folio-search> element,
// which other sites load from Folio to put its search box in their pages.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Assets returns the page's files with index.html at the root. The server
// answers GET / and GET /articles/{id} with index.html and serves the rest
// under /static/, which is how the page refers to them.
func Assets() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "static" is a constant.
		panic(err)
	}
	return sub
}
