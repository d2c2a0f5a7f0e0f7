package textnorm

import "testing"

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"“not a poor man”", `"not a poor man"`},
		{"Aliyev’s", "Aliyev's"},
		{"1990–2000 — then", "1990-2000 - then"},
		{"Rifts\u00a0\u00a0Between", "Rifts  Between"},
		{"Cafe\u0301", "Café"}, // NFC composes the accent
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKeyIgnoresCaseAndQuotes(t *testing.T) {
	if Key("ALIYEV’S") != Key("aliyev's") {
		t.Fatalf("Key differs: %q vs %q", Key("ALIYEV’S"), Key("aliyev's"))
	}
}

func TestWithoutLegalForm(t *testing.T) {
	for in, want := range map[string]string{
		"General Motors Corp": "General Motors", "Merrill Lynch and Co Inc": "Merrill Lynch",
		"James Capel & Co": "James Capel", "Boeing Co.": "Boeing", "Deutsche Bank AG": "Deutsche Bank", "Algemene Bank Nederland N.V.": "Algemene Bank Nederland",
		"Smith Barney, Harris Upham and Co": "Smith Barney, Harris Upham",
		// Negative: full words, a lone legal form, and names without one.
		"British Broadcasting Corporation": "British Broadcasting Corporation",
		"Ford Motor Company":               "Ford Motor Company", "Co Inc": "Co Inc", "Corp": "Corp", "Pasha Bank": "Pasha Bank",
	} {
		if got := WithoutLegalForm(in); got != want {
			t.Errorf("WithoutLegalForm(%q) = %q, want %q", in, got, want)
		}
	}
}
