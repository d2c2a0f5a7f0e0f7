package names

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestKeyMeets checks, rule by rule and script by script, that the
// spellings of one name share a key.
func TestKeyMeets(t *testing.T) {
	for _, tc := range []struct {
		rule  string
		names []string
	}{
		{"case and spaces", []string{"Ilham Aliyev", "ILHAM  ALIYEV", " ilham aliyev "}},
		{"Latin diacritics", []string{"Erdoğan", "Erdogan", "ERDOĞAN"}},
		{"Latin diacritics", []string{"José Manuel Barroso", "Jose Manuel Barroso"}},
		{"Latin diacritics", []string{"Lech Wałęsa", "Lech Walesa"}},
		{"Latin diacritics", []string{"Gerhard Schröder", "Gerhard Schroder"}},
		{"Azerbaijani schwa", []string{"Ilham Əliyev", "Ilham Aliyev", "İlham Əliyev"}},
		{"Turkish dotless and dotted i", []string{"Işık", "Isik"}},
		{"Turkish İ", []string{"İstanbul", "Istanbul"}},
		{"ş and sh", []string{"Nikol Paşinyan", "Nikol Pashinyan", "Nikol Pasinyan"}},
		{"ç and ch", []string{"Mevlüt Çavuşoğlu", "Mevlut Cavusoglu", "Mevlut Chavushoglu"}},
		{"ğ", []string{"Ağdam", "Agdam"}},
		{"Cyrillic BGN/PCGN", []string{"Ильхам Алиев", "Ilham Aliyev", "Ilham Aliev"}},
		{"Cyrillic initial ye", []string{"Борис Ельцин", "Boris Yeltsin", "Boris Eltsin"}},
		{"Cyrillic ё as e", []string{"Михаил Горбачёв", "Mikhail Gorbachev"}},
		{"Cyrillic kh and zh", []string{"Ходорковский", "Khodorkovsky"}},
		{"Cyrillic shch", []string{"Хрущёв", "Khrushchev"}},
		{"Ukrainian", []string{"Володимир Зеленський", "Volodymyr Zelenskyy", "Volodymyr Zelensky", "Volodymyr Zelenskiy"}},
		{"Azerbaijani Cyrillic", []string{"Ильһам Әлијев", "Ilham Aliyev"}},
		{"-yev/-ev/-iev", []string{"Aliyev", "Aliev", "Alijev"}},
		{"-yeva/-eva", []string{"Mehriban Aliyeva", "Mehriban Alieva"}},
		{"-yan/-ian", []string{"Pashinyan", "Pashinian"}},
		{"-yan/-ian", []string{"Serzh Sargsyan", "Serzh Sargsian"}},
		{"-ov/-off", []string{"Smirnov", "Smirnoff"}},
		{"apostrophe", []string{"O'Brien", "O’Brien", "OBrien"}},
		{"hyphen", []string{"Jean-Marie Le Pen", "Jean Marie Le Pen"}},
		{"initials", []string{"George W. Bush", "George W Bush"}},
	} {
		want := Key(tc.names[0])
		if want == "" {
			t.Fatalf("%s: Key(%q) is empty", tc.rule, tc.names[0])
		}
		for _, n := range tc.names[1:] {
			if got := Key(n); got != want {
				t.Errorf("%s: Key(%q) = %q, Key(%q) = %q; want equal", tc.rule, n, got, tc.names[0], want)
			}
		}
	}
}

// TestKeyKeepsApart checks that the fold does not merge names that are
// not spellings of one another.
func TestKeyKeepsApart(t *testing.T) {
	for _, pair := range [][2]string{
		{"Ilham Aliyev", "Heydar Aliyev"},
		{"Aliyev", "Aliyeva"},     // a man and a woman of one family
		{"Ian", "An"},             // an ending is not folded off a short word
		{"Kiev", "Kev"},           // nor off a short stem
		{"Ivanov", "Ivanova"},     // -ov is not -ova
		{"Tony Blair", "Blair"},   // a surname alone is not the full name's key
		{"Bush", "Busch"},         // sh folds, but the letters around it stay
		{"Putin", "Путина"},       // a case ending is another word
		{"Ilham Aliyev", "Ilham"}, // nor is a given name
	} {
		if a, b := Key(pair[0]), Key(pair[1]); a == b {
			t.Errorf("Key(%q) = Key(%q) = %q; want different", pair[0], pair[1], a)
		}
	}
}

func TestKeyShape(t *testing.T) {
	for in, want := range map[string]string{
		"Ilham Aliyev":   "ilham aliev",
		"Алиев":          "aliev",
		"  ":             "",
		"—":              "",
		"Ilham   Əliyev": "ilham aliev",
		"北京":             "北京", // a script with no romanisation here is kept
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTableMatch(t *testing.T) {
	tab := NewTable([]string{"Ilham Aliyev", "Heydar Aliyev", "Mehriban Aliyeva", "Tony Blair", "Blair", "Nikol Pashinyan", "Recep Tayyip Erdogan"})
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"Ilham Aliyev", []string{"Ilham Aliyev"}},
		{"Ilham Aliev", []string{"Ilham Aliyev"}},
		{"Ilham Əliyev", []string{"Ilham Aliyev"}},
		{"Ильхам Алиев", []string{"Ilham Aliyev"}},
		{"Алиев", []string{"Ilham Aliyev", "Heydar Aliyev"}}, // a surname stands for each bearer
		{"Pashinian", []string{"Nikol Pashinyan"}},
		{"Nikol Paşinyan", []string{"Nikol Pashinyan"}},
		{"Recep Tayyip Erdoğan", []string{"Recep Tayyip Erdogan"}},
		{"Blair", []string{"Blair"}}, // a name of its own stays itself
		{"Ilham Aliyeff", nil},
		{"", nil},
		{"Gordon Brown", nil},
	} {
		if got := tab.Match(tc.typed); !slices.Equal(got, tc.want) {
			t.Errorf("Match(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}

func TestTableNearest(t *testing.T) {
	tab := NewTable([]string{"Ilham Aliyev", "Heydar Aliyev", "Tony Blair"})
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"Ilham Alyev", []string{"Ilham Aliyev"}},
		{"Ilhan Aliyev", []string{"Ilham Aliyev"}},
		{"Toni Blair", []string{"Tony Blair"}},
		{"Gordon Brown", nil},
		{"Blair", nil},
	} {
		if got := tab.Nearest(tc.typed); !slices.Equal(got, tc.want) {
			t.Errorf("Nearest(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}

func BenchmarkNewTable(b *testing.B) {
	list := make([]string, 0, 20000)
	for i := range 20000 {
		list = append(list, fmt.Sprintf("Person%d Surnameyev%d", i, i%97))
	}
	list = append(list, "Ilham Əliyev", "Ильхам Алиев")
	for b.Loop() {
		NewTable(list)
	}
}

// TestKeyConcurrently folds names with marks from several goroutines at
// once, as concurrent searches do: each gets the key it gets alone.
func TestKeyConcurrently(t *testing.T) {
	typed := []string{"Recep Tayyip Erdoğan", "İlham Əliyev", "José Manuel Barroso", "Mevlüt Çavuşoğlu", "Karl Otto Pöhl"}
	want := map[string]string{}
	for _, n := range typed {
		want[n] = Key(n)
	}
	var wg sync.WaitGroup
	bad := make(chan string, len(typed))
	for _, n := range typed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				if got := Key(n); got != want[n] {
					bad <- n + ": " + got + ", alone " + want[n]
					return
				}
			}
		}()
	}
	wg.Wait()
	close(bad)
	for b := range bad {
		t.Error(b)
	}
}

func TestTableMatchLive(t *testing.T) {
	tab := NewTable([]string{"Tony Blair", "Blair", "Cherie Blair", "Gordon Brown"})
	gone := map[string]bool{"Blair": true, "Gordon Brown": true}
	live := func(names []string) ([]string, error) {
		var out []string
		for _, n := range names {
			if !gone[n] {
				out = append(out, n)
			}
		}
		return out, nil
	}
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"Blair", []string{"Tony Blair", "Cherie Blair"}}, // the name of its own is gone: the surname's bearers
		{"Tony Blair", []string{"Tony Blair"}},
		{"Gordon Brown", nil},
		{"Brown", nil},
		{"", nil},
	} {
		got, err := tab.MatchLive(tc.typed, live)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("MatchLive(%q) = %q, %v; want %q", tc.typed, got, err, tc.want)
		}
	}
	if got := tab.Match("Blair"); !slices.Equal(got, []string{"Blair"}) {
		t.Errorf("Match(Blair) = %q; a live name of its own stays itself", got)
	}
}
