package searchtest

import (
	"fmt"
	"time"

	"github.com/folio-search/folio/corpus"
)

// ShortList is the corpus of the tests of feedback filling a short list,
// shared by the engines so that they answer the same: three stories match
// "tea auction"; four more are about tea in the same words (estates,
// leaf, Mombasa) without an auction, "tea 1" and "tea 3" dated 1988; one
// is about a car auction; twenty are weather.
func ShortList() []corpus.Article {
	day := func(y int) *time.Time { d := time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC); return &d }
	var out []corpus.Article
	for i := range 3 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("auction %d", i), Title: "Tea auction in Mombasa", Date: day(1987),
			Body: "Tea estates sent leaf to the auction in Mombasa; tea leaf prices rose as estates sold."})
	}
	for i := range 4 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("tea %d", i), Title: "Kenya tea estates", Date: day(1987 + i%2),
			Body: fmt.Sprintf("Tea estates near Mombasa picked more leaf; estates expect leaf output to grow (%d).", i)})
	}
	out = append(out, corpus.Article{ID: "cars", Title: "Car auction", Date: day(1987), Body: "Old cars were sold at auction."})
	for i := range 20 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("weather %d", i), Title: "Weather", Date: day(1987), Body: "Rain is expected on the coast."})
	}
	return out
}
