package main

import (
	"testing"

	"github.com/spf13/pflag"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
)

// TestIngestEnrichQuotes checks what ingest runs on every article: with
// quotes on, the entities and then the quotes, whose speaker is the
// entity's canonical name; with --quotes=false, entities only; with
// entities off, quotes whose speakers are names as written.
func TestIngestEnrichQuotes(t *testing.T) {
	const body = "Prime Minister Tony Blair spoke in London on Friday. " +
		`"We will not give up on the reform of the health service," Mr Blair said.`
	for _, c := range []struct {
		args         []string
		quotes       int
		speaker      string
		withEntities bool
	}{
		{nil, 1, "Tony Blair", true},
		{[]string{"--quotes=false"}, 0, "", true},
		{[]string{"--ner=false"}, 1, "Blair", false},
	} {
		fs := pflag.NewFlagSet("ingest", pflag.ContinueOnError)
		fs.Bool("ner", true, "")
		fs.Bool("quotes", true, "")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load("", fs)
		if err != nil {
			t.Fatal(err)
		}
		opts, err := ingestOptions(cfg)
		if err != nil {
			t.Fatal(err)
		}
		a := &corpus.Article{ID: "a1", Title: "Blair on health", Body: body}
		if opts.Enrich != nil {
			opts.Enrich(a)
		}
		if (len(a.Entities) > 0) != c.withEntities || len(a.Quotes) != c.quotes {
			t.Fatalf("%v: %d entities, quotes %+v", c.args, len(a.Entities), a.Quotes)
		}
		if c.quotes > 0 && a.Quotes[0].Speaker != c.speaker {
			t.Errorf("%v: speaker %q, want %q", c.args, a.Quotes[0].Speaker, c.speaker)
		}
	}
}
