package ner

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// One entity, one name: news writes the same entity as an acronym, a short
// form or a spelling variant ("UKIP", "Lib Dems", "U.S."), and a facet
// that lists each form apart splits the entity's articles. The built-in
// alias list (lists/aliases.tsv) names the common ones by type, so that
// "Labour" the party and a place of that name stay apart; a broadcaster's
// channels and services ("BBC News", "BBC Radio 4") are the broadcaster.

//go:embed lists/aliases.tsv
var aliasList string

// builtinAliases maps type, then folded name, to the canonical name: a
// look-up by type need not join the two, nor fold most names (keyGet).
var builtinAliases = sync.OnceValue(func() map[string]map[string]string {
	m, err := parseAliases(aliasList)
	if err != nil {
		panic(err) // the embedded list is checked by its test
	}
	byType := map[string]map[string]string{}
	for k, canon := range m {
		typ, name, _ := strings.Cut(k, "\x00")
		if byType[typ] == nil {
			byType[typ] = map[string]string{}
		}
		byType[typ][name] = canon
	}
	return byType
})

// parseAliases reads lines of "TYPE<tab>Canonical | Alias | …".
func parseAliases(text string) (map[string]string, error) {
	m := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		typ, names, ok := strings.Cut(line, "\t")
		if !ok || typeIndex(typ) < 0 {
			return nil, fmt.Errorf("aliases line %d: want TYPE<tab>names, got %q", i+1, line)
		}
		var canon string
		for j, n := range strings.Split(names, "|") {
			n = cleanSpaces(strings.TrimSpace(n))
			if n == "" {
				return nil, fmt.Errorf("aliases line %d: an empty name", i+1)
			}
			if j == 0 {
				canon = n
			}
			k := typ + "\x00" + nameKey(n)
			if prev, dup := m[k]; dup && prev != canon {
				return nil, fmt.Errorf("aliases line %d: %q is already an alias of %q", i+1, n, prev)
			}
			m[k] = canon
		}
	}
	return m, nil
}

// builtinAlias is the canonical name the built-in list gives a name of
// type typ, if any.
func builtinAlias(typ, name string) (string, bool) {
	return keyGet(builtinAliases()[typ], name)
}

// unitWords are the words that name a broadcaster's or an agency's channel,
// service or desk after its initials: "BBC News", "BBC Radio 4", "CBS
// Sports", "BBC World Service".
var unitWords = toSet(`news radio sport sports one two three four five live online world service
	television tv website web site channel worldwide newsnight breakfast today interactive
	1 2 3 4 5 6 7`)

// parentOfUnit is the initials an organisation's name opens with when the
// rest only names a channel or a service of it ("BBC Radio 4" → "BBC"),
// or "".
func parentOfUnit(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 || len(words[0]) < 2 || !isAllCaps(words[0]) || strings.Contains(words[0], ".") {
		return ""
	}
	for _, w := range words[1:] {
		if !unitWords[strings.ToLower(w)] {
			return ""
		}
	}
	return words[0]
}

// isPluralInitials reports a word of capitals with a plural s ("PCs",
// "MPs", "DVDs"): a common noun, not a name.
func isPluralInitials(name string) bool {
	if len(name) < 3 || name[len(name)-1] != 's' || strings.Contains(name, " ") {
		return false
	}
	stem := name[:len(name)-1]
	return len(stem) >= 2 && isAllCaps(stem) && !strings.Contains(stem, ".")
}

// commonInitials are initials news writes as common nouns, not names.
var commonInitials = toSet(`id tv pc cd dvd mp3 pda sms gdp vat ceo cfo dna hiv it ip isp atm suv`)

// listedNames is the names of some list files as written, with their
// spaces and hyphens taken out ("Game Cube" is GameCube).
func listedNames(files ...string) map[string]bool {
	set := map[string]bool{}
	for _, f := range listTypes {
		for _, want := range files {
			if f.file != want {
				continue
			}
			b, err := listFiles.ReadFile("lists/" + f.file)
			if err != nil {
				panic(err)
			}
			for _, line := range strings.Split(string(b), "\n") {
				if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
					set[squeeze(line)] = true
				}
			}
		}
	}
	return set
}

func squeeze(name string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, name)
}

var (
	worksAndDays   = sync.OnceValue(func() map[string]bool { return listedNames("misc-names.txt", "wordnet-misc.txt") })
	newsPlaces     = sync.OnceValue(func() map[string]bool { return listedNames("world-places.txt") })
	namedPeople    = sync.OnceValue(func() map[string]bool { return listedNames("wordnet-people.txt") })
	listedOrgs     = sync.OnceValue(func() map[string]bool { return listedNames("orgs.txt", "organisations.txt") })
	listedAnywhere = sync.OnceValue(func() map[string]bool {
		var files []string
		for _, f := range listTypes {
			files = append(files, f.file)
		}
		return listedNames(files...)
	})
)

// retypeByLists corrects the types the lists contradict. People and
// places whose whole name (a place's plural too) the events-and-works list holds
// and the news lists of places and people do not are MISC: awards,
// holidays, games and consoles ("Oscar", "Christmases", "Game Cube"). A
// person of two words or more that only the organisation lists hold is
// an organisation ("Hewlett Packard"). The tagger reads the lists as
// evidence among others and may still call a lone "Oscar" a person.
func retypeByLists(ms []*mention) {
	for _, m := range ms {
		if m.typ != "PER" && m.typ != "LOC" {
			continue
		}
		key := squeeze(m.name)
		switch {
		case m.typ == "LOC" && newsPlaces()[key], m.typ == "PER" && namedPeople()[key]:
		case worksAndDays()[key], m.typ == "LOC" && worksAndDays()[strings.TrimSuffix(key, "es")]:
			m.typ = "MISC"
		case m.typ == "PER" && m.to-m.from > 1 && listedOrgs()[key]:
			m.typ = "ORG"
		}
	}
}

// dropCommonNouns drops the mentions that are common nouns written in
// capitals: plural initials ("PCs", "MPs") and initials such as "ID".
func dropCommonNouns(ms []*mention) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if isPluralInitials(m.name) || commonInitials[strings.ToLower(m.name)] {
			continue
		}
		out = append(out, m)
	}
	return out
}

//go:embed lists/nicknames.tsv
var nicknameList string

// clubNicknames maps a folded nickname to the clubs it may stand for.
var clubNicknames = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(nicknameList, "\n") {
		nick, clubs, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok || strings.HasPrefix(nick, "#") {
			continue
		}
		for _, c := range strings.Split(clubs, "|") {
			m[nameKey(nick)] = append(m[nameKey(nick)], cleanSpaces(strings.TrimSpace(c)))
		}
	}
	return m
})

// linkNicknames gives a club's nickname the club's name: the one of its
// clubs the article names, or its only club ("the Gunners" is Arsenal).
func linkNicknames(ms []*mention) {
	for _, m := range ms {
		if m.typ != "ORG" {
			continue
		}
		clubs := clubNicknames()[nameKey(m.canon)]
		if len(clubs) == 0 {
			continue
		}
		named := ""
		n := 0
		for _, c := range clubs {
			for _, o := range ms {
				if o.typ == "ORG" && strings.EqualFold(o.canon, c) {
					named = o.canon
					n++
					break
				}
			}
		}
		switch {
		case n == 1:
			m.canon = named
		case n == 0 && oneClub(clubs):
			m.canon = clubs[0]
		}
	}
}

// oneClub reports clubs that are one club by its names ("West Ham | West
// Ham United").
func oneClub(clubs []string) bool {
	for _, c := range clubs[1:] {
		if !strings.HasPrefix(c, clubs[0]+" ") {
			return false
		}
	}
	return true
}
