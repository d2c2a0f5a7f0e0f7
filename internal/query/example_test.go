package query_test

import (
	"errors"
	"fmt"

	"github.com/folio-search/folio/internal/query"
)

func ExampleParse() {
	n, err := query.Parse(`person:“Ilham Aliyev” bribery OR corruption -"no comment" date:>=2024-06`)
	if err != nil {
		panic(err)
	}
	for _, c := range n.(query.And).Nodes {
		fmt.Printf("%T: %s\n", c, query.Format(c))
	}

	_, err = query.Parse(`aliyev "not a poor man`)
	var qe *query.Error
	if errors.As(err, &qe) {
		fmt.Printf("error at %d: %s\n", qe.Pos, qe.Msg)
	}
	// Output:
	// query.Filter: person:"Ilham Aliyev"
	// query.Or: bribery OR corruption
	// query.Not: -"no comment"
	// query.DateRange: date:2024-06..
	// error at 7: unterminated phrase: missing closing quote for the quote at position 7
}

func ExampleFormat() {
	n, _ := query.Parse(`  “Shot down the PLANE”~3  |  date:2024-01-01..2024-12-31  Title:Crash*`)
	fmt.Println(query.Format(n))
	// Output:
	// "shot down the plane"~3 OR date:2024 title:crash*
}
