package search

import "unicode/utf8"

// TypoDistance is the edit distance every engine allows a misspelt word
// when it retries a query that matched nothing: none for short words,
// where one edit makes another common word, one from five letters, two
// from nine.
func TypoDistance(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}
