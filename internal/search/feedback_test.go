package search

import "testing"

// Two copies of a story share a key however their white space runs;
// stories that differ in a word, in where words break, or in where the
// title ends do not.
func TestCopyKey(t *testing.T) {
	same := [][2][2]string{
		{{"Oil rises", "Crude rose 2 pct."}, {"  Oil\trises ", "Crude\n\nrose  2 pct.\n"}},
		{{"", ""}, {" ", "\n\t"}},
	}
	for _, c := range same {
		if CopyKey(c[0][0], c[0][1]) != CopyKey(c[1][0], c[1][1]) {
			t.Errorf("%q and %q have different keys", c[0], c[1])
		}
	}
	differ := [][2][2]string{
		{{"Oil rises", "Crude rose 2 pct."}, {"Oil rises", "Crude rose 3 pct."}},
		{{"Oil rises", "ab c"}, {"Oil rises", "a bc"}},
		{{"a", "b c"}, {"a b", "c"}},
		{{"", "a"}, {"a", ""}},
	}
	for _, c := range differ {
		if CopyKey(c[0][0], c[0][1]) == CopyKey(c[1][0], c[1][1]) {
			t.Errorf("%q and %q share a key", c[0], c[1])
		}
	}
}
