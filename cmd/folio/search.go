package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/server"
)

var searchCmd = &cobra.Command{
	Use:   "search QUERY",
	Short: "Search the index and print the top hits",
	Long: `Search runs QUERY (the query language of the API's q parameter) against
the index under data_dir and prints the top hits as text, or with --json
what GET /api/search answers. When a running folio serve holds the index,
search asks that server (at server.addr) instead, and says so.`,
	Args: cobra.ExactArgs(1),
	RunE: runSearch,
}

func init() {
	searchCmd.Flags().Bool("json", false, "print the API's JSON")
	searchCmd.Flags().Int("size", 10, "number of hits")
	for _, f := range facet.All {
		searchCmd.Flags().StringArray(f.Name, nil, "filter by "+strings.ToLower(f.Singular)+" (repeatable)")
	}
	searchCmd.Flags().String("sort", "", "relevance, date or -date")
	rootCmd.AddCommand(searchCmd)
}

func runSearch(cmd *cobra.Command, args []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	node, err := query.Parse(args[0])
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) && qe.Pos >= 0 {
			return fmt.Errorf("%s (position %d)", qe.Msg, qe.Pos)
		}
		return err
	}
	req := search.Request{Query: node, Filters: map[string][]string{}, Fragments: cfg.Search.Snippets, MaxExpansions: cfg.Search.MaxExpansions, NoExpand: !cfg.Search.Expand}
	req.Size, _ = cmd.Flags().GetInt("size")
	if req.Size < 1 {
		return fmt.Errorf("--size must be at least 1")
	}
	for _, f := range facet.All {
		if values, _ := cmd.Flags().GetStringArray(f.Name); len(values) > 0 {
			req.Filters[f.Name] = values
		}
	}
	req.Sort, _ = cmd.Flags().GetString("sort")
	if !slices.Contains([]string{"", search.ByRelevance, search.ByDate, search.ByDateDesc}, req.Sort) {
		return fmt.Errorf("--sort must be relevance, date or -date")
	}
	asJSON, _ := cmd.Flags().GetBool("json")
	if asJSON {
		req.Facets = nil // the API's answer carries every facet
	} else {
		req.Facets = []string{}
	}

	var engine search.Engine
	if cfg.Index.Backend == config.BackendOpenSearch {
		e, err := openCluster(cmd.Context(), cfg)
		if err != nil {
			return err
		}
		engine = e
	} else {
		// Searching must not leave an empty index behind in a mistyped data dir.
		dir := indexDir(cfg)
		if !index.Exists(dir) {
			return fmt.Errorf("no index in %s: build one with folio ingest PATH… (or folio serve)", cfg.DataDir)
		}
		ix, err := index.Open(dir)
		if errors.Is(err, index.ErrLocked) {
			// Only one process may hold the index: a running serve
			// answers the same search over HTTP.
			return searchServer(cmd.Context(), cfg, dir, args[0], req, asJSON)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "folio: searching the index in %s\n", dir)
		engine = ix
	}
	defer engine.Close()
	res, err := engine.Search(cmd.Context(), req)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		return enc.Encode(server.Answer(args[0], res))
	}
	open, close := marks(terminal())
	page := textPage{query: args[0], total: res.Total, tookMS: float64(res.Took.Microseconds()) / 1000, fuzzy: res.Fuzzy, didYouMean: res.DidYouMean,
		matched: res.Matched, didYouMeanFilters: res.DidYouMeanFilters, didYouMeanTotal: res.DidYouMeanTotal, expansion: res.Expansion}
	for _, h := range res.Hits {
		th := textHit{id: h.ID, title: h.Title.Mark(open, close), date: h.Date, tags: h.Values["tag"], score: h.Score}
		for _, f := range h.Fragments {
			th.fragments = append(th.fragments, f.Mark(open, close))
		}
		page.hits = append(page.hits, th)
	}
	page.print()
	return nil
}

// marks are what shows a match: bold on a terminal, elsewhere [brackets].
func marks(tty bool) (open, close string) {
	if tty {
		return "\033[1m", "\033[0m"
	}
	return "[", "]"
}

// textPage is a page of hits as folio search prints it, the matches
// already marked.
type textPage struct {
	query      string
	total      uint64
	tookMS     float64
	fuzzy      bool
	didYouMean string
	// matched are the canonical names the entity filters stood for;
	// didYouMeanFilters and didYouMeanTotal go with a name variant's
	// suggestion.
	matched           map[string][]string
	didYouMeanFilters map[string][]string
	didYouMeanTotal   uint64
	expansion         []string // words feedback ranked with
	hits              []textHit
}

type textHit struct {
	id, title string
	date      *time.Time
	tags      []string
	score     float64
	fragments []string
}

func (p textPage) print() {
	fmt.Printf("%d articles (%.1f ms)\n", p.total, p.tookMS)
	switch {
	case p.fuzzy && p.didYouMean != "":
		fmt.Printf("Showing results for %s: nothing matched %s as typed\n", p.didYouMean, p.query)
	case p.fuzzy:
		fmt.Printf("Nothing matched %s as typed: showing near spellings\n", p.query)
	}
	for _, name := range slices.Sorted(maps.Keys(p.matched)) {
		fmt.Printf("%s filter matched %s\n", name, strings.Join(p.matched[name], ", "))
	}
	if !p.fuzzy && p.didYouMeanTotal > 0 {
		alt := p.didYouMean
		for _, name := range slices.Sorted(maps.Keys(p.didYouMeanFilters)) {
			alt = strings.TrimSpace(alt + " " + name + "=" + strings.Join(p.didYouMeanFilters[name], ","))
		}
		fmt.Printf("Did you mean %s (%d articles)?\n", alt, p.didYouMeanTotal)
	}
	if len(p.expansion) > 0 {
		fmt.Printf("Ranked also by words of the best matches: %s\n", strings.Join(p.expansion, ", "))
	}
	for i, h := range p.hits {
		if uint64(i) == p.total {
			// Feedback follows a query that matched few with these.
			fmt.Printf("\nWith some of the words:\n")
		}
		date := "no date"
		if h.date != nil {
			date = h.date.Format("2006-01-02")
		}
		fmt.Printf("\n%d. %s\n   %s · %s · %s · score %.2f\n", i+1, h.title, h.id, date, strings.Join(h.tags, ", "), h.score)
		for _, f := range h.fragments {
			fmt.Printf("   %s\n", f)
		}
	}
}

// terminal reports whether standard output is a terminal.
func terminal() bool {
	info, err := os.Stdout.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
