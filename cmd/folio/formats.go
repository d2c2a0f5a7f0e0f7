package main

// The web's formats register themselves with corpus when imported: with
// them, ingest and serve's corpus.paths read HTML article pages (.html,
// .htm) and web archives (.warc, .warc.gz), files and directories alike.
import (
	_ "github.com/folio-search/folio/corpus/htmlpage"
	_ "github.com/folio-search/folio/corpus/warc"
)
