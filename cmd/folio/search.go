package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/server"
)

var searchCmd = &cobra.Command{
	Use:   "search QUERY",
	Short: "Search the index and print the top hits",
	Long: `Search runs QUERY (the query language of the API's q parameter) against
the index under data_dir and prints the top hits as text, or with --json
exactly what GET /api/search answers.`,
	Args: cobra.ExactArgs(1),
	RunE: runSearch,
}

func init() {
	searchCmd.Flags().Bool("json", false, "print the API's JSON")
	searchCmd.Flags().Int("size", 10, "number of hits")
	searchCmd.Flags().StringArray("tag", nil, "filter by tag (repeatable)")
	searchCmd.Flags().String("sort", "", "relevance, date or -date")
	rootCmd.AddCommand(searchCmd)
}

func runSearch(cmd *cobra.Command, args []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	// Searching must not leave an empty index behind in a mistyped data dir.
	if !index.Exists(indexDir(cfg)) {
		return fmt.Errorf("no index in %s: build one with folio ingest PATH… (or folio serve)", cfg.DataDir)
	}
	ix, err := index.Open(indexDir(cfg))
	if err != nil {
		return err
	}
	defer ix.Close()
	srv, err := server.New(ix, cfg, nil)
	if err != nil {
		return err
	}
	// The command answers through the API handler itself, so its JSON is
	// the API's to the byte and its errors are the API's errors.
	v := url.Values{"q": {args[0]}}
	size, _ := cmd.Flags().GetInt("size")
	v.Set("size", fmt.Sprint(size))
	tags, _ := cmd.Flags().GetStringArray("tag")
	v["tag"] = tags
	if s, _ := cmd.Flags().GetString("sort"); s != "" {
		v.Set("sort", s)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?"+v.Encode(), nil))
	if rec.Code != http.StatusOK {
		var e struct{ Error server.APIError }
		json.Unmarshal(rec.Body.Bytes(), &e)
		return fmt.Errorf("%s", e.Error.Message)
	}
	if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
		_, err := io.Copy(os.Stdout, rec.Body)
		return err
	}
	var res struct {
		Total  uint64
		TookMS float64 `json:"took_ms"`
		Hits   []index.Hit
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		return err
	}
	fmt.Printf("%d articles (%.1f ms)\n", res.Total, res.TookMS)
	for i, h := range res.Hits {
		date := "no date"
		if h.Date != nil {
			date = h.Date.Format("2006-01-02")
		}
		fmt.Printf("\n%d. %s\n   %s · %s · %s · score %.2f\n", i+1, h.Title, h.ID, date, strings.Join(h.Tags, ", "), h.Score)
		for _, s := range h.Snippets {
			fmt.Printf("   %s\n", terminalSnippet(s))
		}
	}
	return nil
}

// terminalSnippet turns a snippet's HTML into text with the matches in
// bold (on a terminal) or in [brackets] (elsewhere).
func terminalSnippet(s string) string {
	open, close := "[", "]"
	if info, err := os.Stdout.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
		open, close = "\033[1m", "\033[0m"
	}
	r := strings.NewReplacer("<mark>", open, "</mark>", close, "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(s)
}
