package curate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
)

const file = `# Folio's entity curation
- merge: Blair
  into: Tony Blair
  type: PER
- alias: [Lib Dem, Lib Dems]
  name: Liberal Democrats
- retype: Oscar
  to: MISC
- hide: Vote Blair
- split: Amazon
  type: LOC
  when:
    - word: shop
      type: ORG
    - word: rainforest
      name: Amazon rainforest
`

func article() *corpus.Article {
	body := "Mr Blair said Tony Blair and the Lib Dems and Oscar and Vote Blair at the Amazon shop."
	at := func(s string) []corpus.Mention {
		i := strings.Index(body, s)
		return []corpus.Mention{{Start: i, End: i + len(s)}}
	}
	return &corpus.Article{ID: "a1", Title: "t", Body: body,
		Entities: []corpus.Entity{
			{Type: "PER", Name: "Blair", Mentions: at("Blair said")[:1]},
			{Type: "PER", Name: "Tony Blair", Mentions: at("Tony Blair")},
			{Type: "ORG", Name: "Lib Dems", Mentions: at("Lib Dems")},
			{Type: "PER", Name: "Oscar", Mentions: at("Oscar")},
			{Type: "PER", Name: "Vote Blair", Mentions: at("Vote Blair")},
			{Type: "LOC", Name: "Amazon", Mentions: at("Amazon")},
		},
		Quotes: []corpus.Quote{
			{Text: "x", Speaker: "Blair", SpeakerKind: corpus.SpeakerPerson},
			{Text: "y", Speaker: "Oscar", SpeakerKind: corpus.SpeakerPerson},
			{Text: "z", Speaker: "Lib Dem", SpeakerKind: corpus.SpeakerOrg},
		},
	}
}

func TestApplyEveryKind(t *testing.T) {
	s, err := Parse("entities.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	a := article()
	counts := s.Apply(a)
	var got []string
	for _, e := range a.Entities {
		got = append(got, e.Type+":"+e.Name)
	}
	want := "PER:Tony Blair ORG:Liberal Democrats MISC:Oscar ORG:Amazon"
	if strings.Join(got, " ") != want {
		t.Fatalf("entities = %q, want %q", strings.Join(got, " "), want)
	}
	// Blair's mention joins Tony Blair's, in order.
	if m := a.Entities[0].Mentions; len(m) != 2 || m[0].Start > m[1].Start {
		t.Errorf("merged mentions = %v", m)
	}
	q := a.Quotes
	if q[0].Speaker != "Tony Blair" || q[1].Speaker != "" || q[1].SpeakerKind != corpus.SpeakerUnknown || q[2].Speaker != "Liberal Democrats" {
		t.Errorf("speakers = %+v", q)
	}
	wantCounts := []Counts{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 0}, {1, 1, 0}}
	for i, c := range wantCounts {
		if counts[i] != c {
			t.Errorf("rule %d (%s) counts = %+v, want %+v", i, s.Rules[i].String(), counts[i], c)
		}
	}
	// Applying again changes nothing: rules are idempotent.
	if again := s.Apply(a); again != nil {
		t.Errorf("second apply changed %+v", again)
	}
}

func TestSplitByContext(t *testing.T) {
	s, err := Parse("e.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	a := &corpus.Article{Body: "Fires in the Amazon rainforest.", Entities: []corpus.Entity{{Type: "LOC", Name: "Amazon"}}}
	s.Apply(a)
	if a.Entities[0].Name != "Amazon rainforest" || a.Entities[0].Type != "LOC" {
		t.Errorf("rainforest split = %+v", a.Entities[0])
	}
	a = &corpus.Article{Body: "The Amazon flows.", Entities: []corpus.Entity{{Type: "LOC", Name: "Amazon"}}}
	if c := s.Apply(a); c != nil || a.Entities[0].Name != "Amazon" {
		t.Errorf("no context word, yet %+v, %v", a.Entities[0], c)
	}
	// A merge is type-aware: Blair the place stays.
	a = &corpus.Article{Body: "Blair", Entities: []corpus.Entity{{Type: "LOC", Name: "Blair"}}}
	if c := s.Apply(a); c != nil {
		t.Errorf("merge touched a LOC: %v", c)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"- merge: Blair\n  into: Tony Blair\n", "e.yaml:1: merge: type is required"},
		{"- hide: x\n- retype: Oscar\n  to: AWARD\n", `e.yaml:2: to "AWARD" is not an entity type`},
		{"- hide: x\n\n- hide: y\n  into: z\n", "e.yaml:3: hide: into does not go with hide"},
		{"- merge: a\n  hide: b\n  type: PER\n", "e.yaml:1: a rule needs exactly one of"},
		{"- hide: x\n  colour: red\n", "e.yaml:1:"},
		{"rules: {}\n", "e.yaml:1: an entities file is a list of rules"},
		{"- split: Amazon\n  when:\n    - word: shop\n", `e.yaml:1: split: when "shop" needs a name or a type`},
		{"- hide: [\n", "e.yaml:"},
	} {
		_, err := Parse("e.yaml", []byte(tc.src))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q…", tc.src, err, tc.want)
		}
	}
	if s, err := Parse("e.yaml", []byte("# nothing yet\n")); err != nil || len(s.Rules) != 0 {
		t.Errorf("empty file = %v, %v", s, err)
	}
}

func TestAppendKeepsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "entities.yaml")
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Append(path, Rule{Retype: "Halo", To: "MISC", Type: "PER"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != 6 || s.Rules[5].Retype != "Halo" || s.Rules[5].Line != 17 {
		t.Fatalf("rules after append = %+v", s.Rules)
	}
	src, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(src), file) {
		t.Errorf("the file as written was not kept:\n%s", src)
	}
	if _, err := Append(path, Rule{Merge: "x", Into: "y"}); err == nil {
		t.Error("a bad rule was appended")
	}
	// A new file is made.
	if s, err := Append(filepath.Join(t.TempDir(), "d", "entities.yaml"), Rule{Hide: "MPs"}); err != nil || len(s.Rules) != 1 {
		t.Errorf("append to a new file = %v, %v", s, err)
	}
	if s, err := Load(filepath.Join(t.TempDir(), "absent.yaml")); err != nil || len(s.Rules) != 0 {
		t.Errorf("absent file = %v, %v", s, err)
	}
}

// TestREADMEExample parses the example file of README's "Curating
// entities", so that it stays a valid file.
func TestREADMEExample(t *testing.T) {
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(src), "## Curating entities")
	if !ok {
		t.Fatal("README has no section Curating entities")
	}
	_, block, ok := strings.Cut(section, "```yaml\n")
	if !ok {
		t.Fatal("the section has no YAML example")
	}
	block, _, _ = strings.Cut(block, "```")
	s, err := Parse("README.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != 5 {
		t.Errorf("the example has %d rules, want one of each kind", len(s.Rules))
	}
}
