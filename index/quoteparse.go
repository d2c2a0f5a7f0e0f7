package index

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// parseRecord reads the JSON of a stored quote record as encoding/json
// writes it (quoteRecord's keys, in any order, no other), or reports false
// for anything else, which is then left to encoding/json. Every copy of a
// quote reads its record again to extend it, so a record of many
// appearances is read many times: reflection took most of that time.
// Strings with escapes are unquoted by encoding/json, so both read the
// same values.
func parseRecord(js []byte) (*quoteRecord, bool) {
	p := recordParser{b: js}
	rec := &quoteRecord{}
	if !p.byte('{') {
		return nil, false
	}
	if p.peek('}') {
		p.i++
		return rec, p.end()
	}
	if k, ok := p.key(); !ok || k != "o" {
		return nil, false
	}
	if p.literal("null") {
		return rec, p.byte('}') && p.end()
	}
	if !p.byte('[') {
		return nil, false
	}
	rec.Seen = []quoteSeen{} // as encoding/json makes of []
	if !p.peek(']') {
		for {
			var s quoteSeen
			if !p.seen(&s) {
				return nil, false
			}
			rec.Seen = append(rec.Seen, s)
			if p.peek(',') {
				p.i++
				continue
			}
			break
		}
	}
	if !p.byte(']') || !p.byte('}') {
		return nil, false
	}
	return rec, p.end()
}

type recordParser struct {
	b []byte
	i int
}

func (p *recordParser) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\n' || p.b[p.i] == '\t' || p.b[p.i] == '\r') {
		p.i++
	}
}

// peek reports whether the next byte after white space is c.
func (p *recordParser) peek(c byte) bool {
	p.space()
	return p.i < len(p.b) && p.b[p.i] == c
}

// byte consumes c, after white space.
func (p *recordParser) byte(c byte) bool {
	if !p.peek(c) {
		return false
	}
	p.i++
	return true
}

// end reports whether only white space is left.
func (p *recordParser) end() bool {
	p.space()
	return p.i == len(p.b)
}

// literal consumes the word lit (null, true, false) if it comes next.
func (p *recordParser) literal(lit string) bool {
	p.space()
	if bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
		p.i += len(lit)
		return true
	}
	return false
}

// rawString returns the next JSON string, quotes included, and whether it
// holds an escape.
func (p *recordParser) rawString() (raw []byte, escaped, ok bool) {
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false, false
	}
	for j := p.i + 1; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case c == '"':
			raw = p.b[p.i : j+1]
			p.i = j + 1
			return raw, escaped, true
		case c < 0x20:
			return nil, false, false
		}
	}
	return nil, false, false
}

// string reads a JSON string.
func (p *recordParser) string() (string, bool) {
	raw, escaped, ok := p.rawString()
	if !ok {
		return "", false
	}
	if !escaped {
		body := raw[1 : len(raw)-1]
		if !utf8.Valid(body) { // encoding/json would replace the bad bytes
			return "", false
		}
		return string(body), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// key reads an object key and its colon.
func (p *recordParser) key() (string, bool) {
	raw, escaped, ok := p.rawString()
	if !ok || escaped || !p.byte(':') {
		return "", false
	}
	return string(raw[1 : len(raw)-1]), true
}

// int reads a JSON integer.
func (p *recordParser) int() (int, bool) {
	p.space()
	j := p.i
	if j < len(p.b) && p.b[j] == '-' {
		j++
	}
	digits := j
	for j < len(p.b) && '0' <= p.b[j] && p.b[j] <= '9' {
		j++
	}
	if j-digits > 1 && p.b[digits] == '0' {
		return 0, false // not JSON
	}
	n, err := strconv.Atoi(string(p.b[p.i:j]))
	if err != nil {
		return 0, false
	}
	p.i = j
	return n, true
}

// strings reads an array of strings (or null).
func (p *recordParser) strings() ([]string, bool) {
	if p.literal("null") {
		return nil, true
	}
	if !p.byte('[') {
		return nil, false
	}
	out := []string{}
	if p.byte(']') {
		return out, true
	}
	for {
		s, ok := p.string()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if p.byte(',') {
			continue
		}
		return out, p.byte(']')
	}
}

// seen reads one appearance.
func (p *recordParser) seen(s *quoteSeen) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		k, ok := p.key()
		if !ok {
			return false
		}
		switch k {
		case "a":
			s.Article, ok = p.string()
		case "t":
			s.Title, ok = p.string()
		case "u":
			s.URL, ok = p.string()
		case "x":
			s.Text, ok = p.string()
		case "s":
			s.Speaker, ok = p.string()
		case "k":
			s.Kind, ok = p.string()
		case "c":
			s.Cue, ok = p.string()
		case "g":
			s.Tags, ok = p.strings()
		case "b":
			s.Start, ok = p.int()
		case "e":
			s.End, ok = p.int()
		case "h":
			switch {
			case p.literal("true"):
				s.InTitle = true
			case p.literal("false"):
				s.InTitle = false
			default:
				ok = false
			}
		case "d":
			if p.literal("null") {
				s.Date = nil
				break
			}
			var raw []byte
			if raw, _, ok = p.rawString(); ok {
				t := new(time.Time)
				ok = t.UnmarshalJSON(raw) == nil
				s.Date = t
			}
		default:
			return false // a key of another Folio: encoding/json decides
		}
		if !ok {
			return false
		}
		if p.byte(',') {
			continue
		}
		return p.byte('}')
	}
}
