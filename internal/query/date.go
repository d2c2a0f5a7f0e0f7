package query

import (
	"fmt"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/textnorm"
)

const dateHelp = "use YYYY, YYYY-MM or YYYY-MM-DD, a range such as 2024-03..2024-06-15, or >=, >, <=, < before a date"

// span is a date at the precision it was written: [start, end).
type span struct{ start, end time.Time }

// parseDate reads the value of date:. Every date is inclusive at its
// precision; To is exclusive, so date:2024-03..2024-06-15 is
// [2024-03-01, 2024-06-16).
func parseDate(raw string, pos, nodePos int) (Node, error) {
	// Quoted values may carry outer spaces; keep positions exact.
	trimmed := strings.TrimLeftFunc(raw, isSpace)
	pos += len(raw) - len(trimmed)
	raw = strings.TrimRightFunc(trimmed, isSpace)
	if raw == "" {
		return nil, errAt(pos, "date: needs a value: "+dateHelp)
	}
	dr := DateRange{Pos: nodePos}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if !strings.HasPrefix(raw, op) {
			continue
		}
		d, err := parseDay(raw[len(op):], pos+len(op))
		if err != nil {
			return nil, err
		}
		switch op {
		case ">=":
			dr.From = d.start
		case ">":
			if d.end.Year() > 9999 {
				return nil, errAt(pos, "no date can be after 9999-12-31")
			}
			dr.From = d.end
		case "<=":
			dr.To = d.end
		case "<":
			dr.To = d.start
		}
		return dr, nil
	}
	if i := strings.Index(raw, ".."); i >= 0 {
		left, right := raw[:i], raw[i+2:]
		if left == "" && right == "" {
			return nil, errAt(pos, `a date range needs a start or an end, e.g. date:2024.. or date:..2024-06`)
		}
		if left != "" {
			d, err := parseDay(left, pos)
			if err != nil {
				return nil, err
			}
			dr.From = d.start
		}
		if right != "" {
			d, err := parseDay(right, pos+i+2)
			if err != nil {
				return nil, err
			}
			dr.To = d.end
		}
		if left != "" && right != "" && !dr.From.Before(dr.To) {
			return nil, errAt(pos, fmt.Sprintf("date range %s starts after it ends", quoteShort(raw)))
		}
		return dr, nil
	}
	d, err := parseDay(raw, pos)
	if err != nil {
		return nil, err
	}
	dr.From, dr.To = d.start, d.end
	return dr, nil
}

// parseDay reads YYYY, YYYY-MM or YYYY-MM-DD (month and day may have one
// digit; any dash form is accepted).
func parseDay(s string, pos int) (span, error) {
	parts := strings.Split(textnorm.Fold(s), "-")
	bad := func(why string) (span, error) {
		return span{}, errAt(pos, fmt.Sprintf("invalid date %s: %s", quoteShort(s), why))
	}
	if len(parts) > 3 || len(parts[0]) != 4 || !allDigits(parts[0]) {
		return bad(dateHelp)
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 2 || !allDigits(p) {
			return bad(dateHelp)
		}
	}
	num := func(p string) int {
		n := 0
		for i := 0; i < len(p); i++ {
			n = n*10 + int(p[i]-'0')
		}
		return n
	}
	year, month, day := num(parts[0]), 1, 1
	// Years from 1000 keep both ends away from the zero time, which
	// DateRange uses for "open".
	if year < 1000 {
		return bad("the year must be between 1000 and 9999")
	}
	if len(parts) > 1 {
		month = num(parts[1])
		if month < 1 || month > 12 {
			return bad("the month must be between 01 and 12")
		}
	}
	if len(parts) > 2 {
		day = num(parts[2])
		last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if day < 1 || day > last {
			return bad(fmt.Sprintf("%04d-%02d has days 01 to %02d", year, month, last))
		}
	}
	start := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	switch len(parts) {
	case 1:
		return span{start, start.AddDate(1, 0, 0)}, nil
	case 2:
		return span{start, start.AddDate(0, 1, 0)}, nil
	}
	return span{start, start.AddDate(0, 0, 1)}, nil
}

// DateSpan reads one date as YYYY, YYYY-MM or YYYY-MM-DD and returns the
// period it names, [start, end): "2024-06" is June 2024. It is how the API's
// from and to parameters read, the same as dates inside the query.
func DateSpan(s string) (start, end time.Time, err error) {
	d, err := parseDay(s, 0)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return d.start, d.end, nil
}
