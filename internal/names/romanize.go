package names

import "strings"

// letters are the letters with no decomposition to a Latin base that
// names are written with: the Azerbaijani schwa, the Turkish dotless i,
// ligatures and the Nordic and Slavic stroked letters.
var letters = map[rune]string{
	'ə': "a", 'ı': "i", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l",
	'đ': "d", 'ð': "d", 'þ': "th", 'ħ': "h",
}

// cyrillic romanises lower-case Cyrillic letters after BGN/PCGN, the
// system English-language news follows (Алиев → Aliyev, Ельцин →
// Yeltsin), with ё as e (Gorbachev) and the letters of Ukrainian and of
// Azerbaijani Cyrillic. е is "ye" at the start of a word and after a
// vowel or a sign (iotated); see romanize.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Ukrainian and Belarusian
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "w",
	// Azerbaijani Cyrillic
	'ә': "a", 'ғ': "gh", 'ҝ': "g", 'һ': "h", 'ө': "o", 'ү': "u", 'ҹ': "j", 'ј': "y",
	// Kazakh and others that news names come in
	'қ': "q", 'ң': "ng", 'ұ': "u",
}

// iotating are the letters after which Cyrillic е is "ye".
const iotating = "аеёиоуыэюяіїєйъьәөү"

// romanize writes the Cyrillic and special letters of lower-case s in
// Latin; everything else is left to the caller.
func romanize(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch {
		case r == 'е' && (!isLetter(prev) || strings.ContainsRune(iotating, prev)):
			b.WriteString("ye")
		default:
			if l, ok := cyrillic[r]; ok {
				b.WriteString(l)
			} else if l, ok := letters[r]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
		prev = r
	}
	return b.String()
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 0xC0
}
