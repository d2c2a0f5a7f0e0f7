package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

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
what GET /api/search answers. A running folio serve holds the index: stop
it first, or ask it over HTTP.`,
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
	req := search.Request{Query: node, Filters: map[string][]string{}, Fragments: cfg.Search.Snippets, MaxExpansions: cfg.Search.MaxExpansions}
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
		if !index.Exists(indexDir(cfg)) {
			return fmt.Errorf("no index in %s: build one with folio ingest PATH… (or folio serve)", cfg.DataDir)
		}
		ix, err := index.Open(indexDir(cfg))
		if err != nil {
			return err
		}
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
	printHits(res, terminal())
	return nil
}

// printHits prints a result as text; on a terminal the matches are bold,
// elsewhere [in brackets].
func printHits(res *search.Result, tty bool) {
	open, close := "[", "]"
	if tty {
		open, close = "\033[1m", "\033[0m"
	}
	fmt.Printf("%d articles (%.1f ms)\n", res.Total, float64(res.Took.Microseconds())/1000)
	if res.Fuzzy && res.DidYouMean != "" {
		fmt.Printf("Nothing matched as typed; searched for %s\n", res.DidYouMean)
	}
	for _, name := range slices.Sorted(maps.Keys(res.Matched)) {
		fmt.Printf("%s filter matched %s\n", name, strings.Join(res.Matched[name], ", "))
	}
	if !res.Fuzzy && res.DidYouMeanTotal > 0 {
		alt := res.DidYouMean
		for _, name := range slices.Sorted(maps.Keys(res.DidYouMeanFilters)) {
			alt = strings.TrimSpace(alt + " " + name + "=" + strings.Join(res.DidYouMeanFilters[name], ","))
		}
		fmt.Printf("Did you mean %s (%d articles)?\n", alt, res.DidYouMeanTotal)
	}
	for i, h := range res.Hits {
		date := "no date"
		if h.Date != nil {
			date = h.Date.Format("2006-01-02")
		}
		fmt.Printf("\n%d. %s\n   %s · %s · %s · score %.2f\n", i+1, h.Title.Mark(open, close), h.ID, date, strings.Join(h.Values["tag"], ", "), h.Score)
		for _, f := range h.Fragments {
			fmt.Printf("   %s\n", f.Mark(open, close))
		}
	}
}

// terminal reports whether standard output is a terminal.
func terminal() bool {
	info, err := os.Stdout.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
