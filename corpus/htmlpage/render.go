package htmlpage

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blocks are the elements that start a paragraph of their own.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Main: true, atom.Aside: true,
	atom.Address: true, atom.Details: true, atom.Summary: true,
}

// words are what the text's words are compared by: runs of letters,
// digits and underscores.
var words = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// withParagraphs is the extracted text with its paragraphs: trafilatura's
// plain text runs them together, so its content tree is rendered with a
// blank line between blocks, and used when it holds the same words in the
// same order (the tree and the text occasionally differ; the text is what
// the quality figure measures).
func withParagraphs(text string, content *html.Node) string {
	if content == nil {
		return text
	}
	rendered := plainText(content)
	if !slices.Equal(words.FindAllString(rendered, -1), words.FindAllString(text, -1)) {
		return text
	}
	return rendered
}

// plainText renders content as plain text: one paragraph per block
// element, separated by blank lines, spaces collapsed inside a paragraph,
// a line break for <br>.
func plainText(n *html.Node) string {
	var paras []string
	var cur strings.Builder
	flush := func() {
		if p := strings.TrimSpace(cur.String()); p != "" {
			paras = append(paras, p)
		}
		cur.Reset()
	}
	space := func() {
		if s := cur.String(); s != "" && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\n") {
			cur.WriteByte(' ')
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text := strings.Join(strings.Fields(n.Data), " ")
			if text == "" {
				if n.Data != "" {
					space()
				}
				return
			}
			if isSpace(n.Data[0]) {
				space()
			}
			cur.WriteString(text)
			if isSpace(n.Data[len(n.Data)-1]) {
				cur.WriteByte(' ')
			}
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br:
				cur.WriteByte('\n')
				return
			case atom.Td, atom.Th:
				space()
			}
		}
		block := n.Type == html.ElementNode && blocks[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		for j := range lines {
			lines[j] = strings.TrimSpace(lines[j])
		}
		paras[i] = strings.Join(slices.DeleteFunc(lines, func(l string) bool { return l == "" }), "\n")
	}
	return strings.Join(paras, "\n\n")
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }
