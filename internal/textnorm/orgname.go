package textnorm

import "strings"

// legalForms are the abbreviated legal forms a company's name may end in.
// Full words are not among them: "British Broadcasting Corporation" is no
// "British Broadcasting".
var legalForms = map[string]bool{
	"corp": true, "inc": true, "co": true, "ltd": true, "plc": true, "llc": true,
	"ag": true, "sa": true, "nv": true, "gmbh": true, "bhd": true, "pty": true,
}

// IsLegalForm reports whether w is an abbreviated legal form ("Corp",
// "Inc.", "PLC", "N.V.").
func IsLegalForm(w string) bool {
	return legalForms[strings.ToLower(strings.ReplaceAll(strings.TrimRight(w, ","), ".", ""))]
}

// WithoutLegalForm is an organisation's name without the legal forms it
// ends in, with "and Co" or "& Co": "General Motors Corp" and "Merrill
// Lynch and Co Inc" are General Motors and Merrill Lynch. Entity names
// are kept this way, so that every way news writes a firm is one name,
// and filters read a name the same way. A name of legal forms alone is
// returned as it is.
func WithoutLegalForm(name string) string {
	words := strings.Fields(name)
	n := len(words)
	for n > 1 && IsLegalForm(words[n-1]) {
		co := strings.EqualFold(strings.TrimRight(words[n-1], ".,"), "co")
		n--
		if co && n > 1 && (words[n-1] == "and" || words[n-1] == "&") {
			n--
		}
	}
	if n == len(words) {
		return name
	}
	if n == 0 || IsLegalForm(words[0]) && n == 1 {
		return name
	}
	return strings.TrimRight(strings.Join(words[:n], " "), ",")
}
