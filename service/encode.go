package service

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/rules"
)

// The answer of POST /v1/decide is written by hand, not by encoding/json:
// the bytes are those json.Encoder (HTML not escaped) writes for a
// DecideResponse, keys in the same order, a newline at the end, which a
// test checks.

// bufPool holds answer buffers.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// writeAnswer writes b as the 200 answer, and gives its buffer back.
func writeAnswer(w http.ResponseWriter, bp *[]byte, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	if cap(b) <= 16<<20 {
		*bp = b[:0]
		bufPool.Put(bp)
	}
}

// appendDecideResponse appends resp as encoding/json encodes it, and a
// newline. (handleDecide appends the same parts one result at a time.)
func appendDecideResponse(b []byte, resp *DecideResponse) []byte {
	b = appendDecideHead(b, resp.RuleSet, resp.RequestID, resp.Date)
	if resp.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range resp.Results {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendResult(b, &resp.Results[i])
		}
		b = append(b, ']')
	}
	return appendDecideTail(b, resp.Warnings)
}

// appendDecideHead appends a DecideResponse up to its results.
func appendDecideHead(b []byte, set RuleSetRef, requestID, date string) []byte {
	b = append(b, `{"ruleset":`...)
	b = appendRef(b, set)
	b = append(b, `,"request_id":`...)
	b = appendString(b, requestID)
	b = append(b, `,"date":`...)
	b = appendString(b, date)
	return append(b, `,"results":`...)
}

// appendDecideTail appends a DecideResponse from after its results.
func appendDecideTail(b []byte, warnings []string) []byte {
	b = append(b, `,"warnings":`...)
	b = appendStrings(b, warnings)
	return append(b, "}\n"...)
}

func appendRef(b []byte, r RuleSetRef) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"status":`...)
	b = appendString(b, r.Status)
	b = append(b, `,"hash":`...)
	b = appendString(b, r.Hash)
	return append(b, '}')
}

// appendResult appends one result, its omitempty fields left out when
// empty as encoding/json leaves them out.
func appendResult(b []byte, r *DecideResult) []byte {
	b = append(b, `{"decision_id":`...)
	b = appendString(b, r.DecisionID)
	b = append(b, `,"person_id":`...)
	b = appendString(b, r.PersonID)
	if r.Eligible != nil {
		b = append(b, `,"eligible":`...)
		b = strconv.AppendBool(b, *r.Eligible)
	}
	if r.MonthlyTopup != nil {
		b = append(b, `,"monthly_topup":`...)
		b = appendString(b, *r.MonthlyTopup)
	}
	b = append(b, `,"failed_rules":`...)
	b = appendStrings(b, r.FailedRules)
	if r.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, r.Error)
	}
	if len(r.Problems) > 0 {
		b = append(b, `,"problems":[`...)
		for i, p := range r.Problems {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if p.Field != "" {
				b = append(b, `"field":`...)
				b = appendString(b, p.Field)
				b = append(b, ',')
			}
			if p.Value != "" {
				b = append(b, `"value":`...)
				b = appendString(b, p.Value)
				b = append(b, ',')
			}
			b = append(b, `"message":`...)
			b = appendString(b, p.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(r.Reasons) > 0 {
		b = append(b, `,"reasons":[`...)
		for i := range r.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendReason(b, &r.Reasons[i])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendReason(b []byte, r *ReasonJSON) []byte {
	b = append(b, `{"rule":`...)
	b = appendString(b, r.Rule)
	b = append(b, `,"pass":`...)
	b = strconv.AppendBool(b, r.Pass)
	b = append(b, `,"cites":`...)
	b = appendString(b, r.Cites)
	b = append(b, `,"status":`...)
	b = appendString(b, r.Status)
	b = append(b, `,"message":`...)
	b = appendText(b, r.Message)
	b = append(b, `,"values":`...)
	if r.Values == nil {
		return append(b, "null}"...)
	}
	b = append(b, '{')
	keys := make([]string, 0, len(r.Values))
	for k := range r.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys) // as encoding/json orders a map's keys
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, r.Values[k])
	}
	return append(b, "}}"...)
}

// appendText appends a rules.Text: {"vi","en"}, each left out when empty.
func appendText(b []byte, t rules.Text) []byte {
	b = append(b, '{')
	if t.VI != "" {
		b = append(b, `"vi":`...)
		b = appendString(b, t.VI)
	}
	if t.EN != "" {
		if t.VI != "" {
			b = append(b, ',')
		}
		b = append(b, `"en":`...)
		b = appendString(b, t.EN)
	}
	return append(b, '}')
}

// appendStrings appends a list of strings; nil is null.
func appendStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string as encoding/json writes it with
// HTML escaping off: quote, backslash and control characters escaped
// (\b \f \n \r \t by name), invalid UTF-8 as \ufffd, U+2028 and U+2029
// escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
