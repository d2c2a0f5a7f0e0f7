package main

import (
	"github.com/folio-search/folio/corpus/htmlpage"
	"github.com/folio-search/folio/internal/crawl"
)

// pageOptions are how `folio crawl` and the source poller read HTML
// pages: with the article page reader, so that a page crawled and the
// same page ingested from a file or a web archive are one article.
func pageOptions(opt *crawl.Options) {
	opt.Extract, opt.Links, opt.Canonical, opt.ID = htmlpage.Extract, htmlpage.Links, htmlpage.CanonicalURL, htmlpage.ID
}
