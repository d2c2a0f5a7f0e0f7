package htmlpage

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// metaCharset finds a charset declared in a <meta> tag, as <meta
// charset=…> or in an http-equiv Content-Type.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// decode returns the page as UTF-8. A charset declared by the server, a
// byte-order mark or a <meta> tag in the first 4 KB is honoured. A page
// that declares none is UTF-8, as nearly all are today, unless it is not
// valid UTF-8, when it is taken as windows-1252 (what browsers assume).
// Sniffing only the first kilobyte, as the HTML spec's prescan does, would
// turn a page whose head is ASCII into windows-1252 and garble the rest.
func decode(body []byte, contentType string) []byte {
	enc, name, certain := charset.DetermineEncoding(body, contentType) // certain: a BOM or the Content-Type
	if !certain {
		enc, name = nil, ""
		if m := metaCharset.FindSubmatch(body[:min(len(body), 4<<10)]); m != nil {
			enc, name = charset.Lookup(string(m[1]))
		}
	}
	switch {
	case name == "utf-8":
		// Declared UTF-8 may still hold stray bytes; they become U+FFFD.
		return bytes.ToValidUTF8(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), []byte("\ufffd"))
	case enc != nil:
		if out, err := decodeWith(enc, body); err == nil {
			return out
		}
	case utf8.Valid(body):
		return body
	}
	if out, err := decodeWith(charmap.Windows1252, body); err == nil {
		return out
	}
	return bytes.ToValidUTF8(body, []byte("\ufffd"))
}

func decodeWith(enc encoding.Encoding, body []byte) ([]byte, error) {
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	return out, err
}
