package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is one top-level quoted passage of a text: the words between
// the marks, and where the marks are.
type span struct {
	start, end int // the words, without the marks
	open       int // where the opening mark starts
	after      int // just past the closing mark (end when unclosed)
	para       int // paragraph index
	paraStart  int // where its paragraph starts
	closed     bool
	// split is set on a part that follows an unclosed part of the same
	// quote: a quote over several paragraphs that the text merged into one.
	split bool
}

// maxDepth bounds the nesting the scanner follows; deeper marks are
// left alone, so hostile input cannot grow the stack.
const maxDepth = 8

type open struct {
	mark  rune
	pos   int // of the mark
	start int // of the words
}

// scan finds the top-level quotes of text, paragraph by paragraph. It
// reads every byte once, with a stack of at most maxDepth open marks,
// so its time is linear.
func scan(text string) []span {
	var out []span
	para := 0
	for ps := 0; ps < len(text); para++ {
		pe, next := paragraphEnd(text, ps)
		out = scanParagraph(text, ps, pe, para, out)
		ps = next
	}
	return out
}

// paragraphEnd finds where the paragraph running at p ends and the next
// begins: at a blank line, or at a line that starts indented, as wire
// copy marks paragraphs.
func paragraphEnd(text string, p int) (end, next int) {
	for i := p; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(text) && (text[i+1] == '\n' || text[i+1] == ' ' || text[i+1] == '\t') {
			k := i + 1
			for k < len(text) && (text[k] == '\n' || text[k] == ' ' || text[k] == '\t' || text[k] == '\r') {
				k++
			}
			return i, k
		}
		i++
	}
	return len(text), len(text)
}

// isDouble reports whether a mark opens or closes a double quote.
func isDouble(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '„' || r == '«' || r == '»'
}

func scanParagraph(text string, ps, pe, para int, out []span) []span {
	var stack []open
	emit := func(o open, end, after int, closed bool) {
		if len(stack) != 0 { // only top-level quotes are records
			return
		}
		s := span{start: o.start, end: end, open: o.pos, after: after, para: para, paraStart: ps, closed: closed}
		if !closed {
			s.end = trimRightSpace(text, o.start, end)
			s.after = s.end
		}
		if s.end > s.start {
			out = append(out, s)
		}
	}
	// popTo closes the open mark at stack index k and everything above it.
	popTo := func(k, end, after int) {
		o := stack[k]
		stack = stack[:k]
		emit(o, end, after, true)
	}
	find := func(marks string) int {
		for k := len(stack) - 1; k >= 0; k-- {
			if strings.ContainsRune(marks, stack[k].mark) {
				return k
			}
		}
		return -1
	}
	push := func(r rune, i, w int) {
		if len(stack) < maxDepth {
			stack = append(stack, open{mark: r, pos: i, start: i + w})
		}
	}
	for i := ps; i < pe; {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r < 0x80 && r != '"' && r != '\'' {
			i += w
			continue
		}
		before, after := prevRune(text, ps, i), nextRune(text, i+w, pe)
		opener := isOpenContext(before) && after != 0 && !unicode.IsSpace(after)
		closer := before != 0 && !unicode.IsSpace(before)
		switch r {
		case '"', '“':
			k := find(`"“„`)
			switch {
			case k < 0:
				if opener || !closer {
					push(r, i, w)
				}
			case r == '“' && stack[k].mark == '„':
				popTo(k, i, i+w) // German „…“
			case k == 0 && opener && !closer && sentenceEndBefore(text, ps, i):
				// A new opening mark after a finished sentence: the quote
				// ran over paragraphs that the text merged into one.
				o := stack[0]
				stack = stack[:0]
				emit(o, i, i, false)
				push(r, i, w)
			case r == '“' || opener && !closer && isLetterOrDigit(after):
				push(r, i, w) // a quote inside the quote
			default:
				popTo(k, i, i+w)
			}
		case '”':
			if k := find(`“„”"`); k >= 0 {
				popTo(k, i, i+w)
			} else if opener {
				push(r, i, w)
			}
		case '„':
			push(r, i, w)
		case '«', '‹':
			if k := find(string(mirror(r))); k >= 0 {
				popTo(k, i, i+w)
			} else {
				push(r, i, w)
			}
		case '»', '›':
			if k := find(string(mirror(r))); k >= 0 {
				popTo(k, i, i+w)
			} else if opener {
				push(r, i, w)
			}
		case '‘', '’', '\'':
			if isLetterOrDigit(before) && isLetterOrDigit(after) {
				break // an apostrophe: don't, Aliyev’s
			}
			if opener && r != '’' && !elision(text, i+w, pe) {
				push(r, i, w)
				break
			}
			if closer {
				if k := find("‘'’"); k >= 0 {
					popTo(k, i, i+w)
				}
			}
		}
		i += w
	}
	// Marks left open stop at the paragraph's end; a single mark left
	// open is more likely an apostrophe than a quote, so only doubles.
	if len(stack) > 0 && isDouble(stack[0].mark) {
		o := stack[0]
		stack = stack[:0]
		emit(o, pe, pe, false)
	}
	return markSplits(out, text)
}

// markSplits flags the parts of quotes that a repeated opening mark
// continued: a part whose predecessor in the paragraph was left open
// just before it.
func markSplits(out []span, text string) []span {
	for k := 1; k < len(out); k++ {
		p, q := out[k-1], out[k]
		if !p.closed && p.para == q.para && strings.TrimSpace(text[p.end:q.open]) == "" {
			out[k].split = true
		}
	}
	return out
}

// mirror is the other guillemet of a pair: « and », ‹ and ›.
func mirror(r rune) rune {
	switch r {
	case '«':
		return '»'
	case '»':
		return '«'
	case '‹':
		return '›'
	}
	return '‹'
}

// elision reports whether an apostrophe before a number or a
// contraction is not a quote: ’80s, 'em.
func elision(text string, i, pe int) bool {
	j := i
	for j < pe && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j > i {
		return true
	}
	for _, w := range []string{"em ", "n ", "cause ", "til "} {
		if strings.HasPrefix(text[i:min(pe, i+len(w))], w) {
			return true
		}
	}
	return false
}

// sentenceEndBefore reports whether the text before i, skipping white
// space, ends a sentence (so a mark at i opens a new one).
func sentenceEndBefore(text string, ps, i int) bool {
	j := i
	for j > ps && (text[j-1] == ' ' || text[j-1] == '\t' || text[j-1] == '\n') {
		j--
	}
	if j == i || j == ps {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[ps:j])
	return r == '.' || r == '?' || r == '!' || r == '…'
}

func isOpenContext(r rune) bool {
	return r == 0 || unicode.IsSpace(r) || strings.ContainsRune("([{—–-/:;", r) || isQuoteMark(r)
}

func isQuoteMark(r rune) bool { return strings.ContainsRune("\"'“”‘’«»„‹›", r) }

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func prevRune(text string, ps, i int) rune {
	if i <= ps {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text[ps:i])
	return r
}

func nextRune(text string, i, pe int) rune {
	if i >= pe {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[i:pe])
	return r
}

func trimRightSpace(text string, from, to int) int {
	for to > from && (text[to-1] == ' ' || text[to-1] == '\n' || text[to-1] == '\t' || text[to-1] == '\r') {
		to--
	}
	return to
}
