package table

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Decoder reads JSON from a stream in one pass: it checks the syntax as
// encoding/json does (the same values are valid), and gives the values it
// is asked for without building anything else. ReadJSON reads a file of
// records with it; a caller that takes records inside a larger document (a
// request of the HTTP service) walks the document with Object and reads the
// array with DecodeArray, so that the text is read once.
//
// A read error of the underlying reader (other than io.EOF) is returned as
// it is, wrapped, so that errors.As finds it (e.g. *http.MaxBytesError).
type Decoder struct {
	r   io.Reader
	buf []byte
	pos int // next byte of buf to read
	// mark, when >= 0, is the start of the bytes a refill keeps (the
	// element or token being read); positions relative to it stay valid.
	mark int
	rerr error // the reader's error once seen (io.EOF at the end)
}

const (
	decoderBuf = 16 << 10
	maxDepth   = 10000 // as encoding/json
)

var decoderPool = sync.Pool{New: func() any { return &Decoder{buf: make([]byte, 0, decoderBuf)} }}

// NewDecoder returns a decoder reading r. Release returns it for reuse.
func NewDecoder(r io.Reader) *Decoder {
	d := decoderPool.Get().(*Decoder)
	d.r, d.buf, d.pos, d.mark, d.rerr = r, d.buf[:0], 0, -1, nil
	return d
}

// Release gives the decoder back for reuse; it must not be used after.
func (d *Decoder) Release() {
	d.r = nil
	if cap(d.buf) > 1<<20 { // a very long element: do not keep its buffer
		d.buf = make([]byte, 0, decoderBuf)
	}
	decoderPool.Put(d)
}

// syntaxError is invalid JSON, with encoding/json's wording.
type syntaxError struct {
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

var errEnd = &syntaxError{"unexpected end of JSON input"}

func invalid(c byte, context string) error {
	return &syntaxError{"invalid character " + quoteChar(c) + " " + context}
}

// quoteChar formats c as encoding/json does in its messages.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// fill reads more input, keeping the bytes from the mark (or from pos).
// It returns false when there is no more.
func (d *Decoder) fill() bool {
	if d.rerr != nil {
		return false
	}
	keep := d.pos
	if d.mark >= 0 && d.mark < keep {
		keep = d.mark
	}
	if keep > 0 {
		n := copy(d.buf, d.buf[keep:])
		d.buf = d.buf[:n]
		d.pos -= keep
		if d.mark >= 0 {
			d.mark -= keep
		}
	}
	if len(d.buf) == cap(d.buf) {
		nb := make([]byte, len(d.buf), max(2*cap(d.buf), decoderBuf))
		copy(nb, d.buf)
		d.buf = nb
	}
	for range 100 {
		n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+n]
		if err != nil {
			d.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	d.rerr = io.ErrNoProgress
	return false
}

// end is the error for input that stops: the reader's error, or an
// unexpected end of the JSON text.
func (d *Decoder) end() error {
	if d.rerr != nil && d.rerr != io.EOF {
		return d.rerr
	}
	return errEnd
}

// space skips white space and returns the next byte, without reading it;
// ok = false at the end of the input.
func (d *Decoder) space() (c byte, ok bool) {
	if d.pos < len(d.buf) && d.buf[d.pos] > ' ' {
		return d.buf[d.pos], true
	}
	for {
		for d.pos < len(d.buf) {
			c = d.buf[d.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			d.pos++
		}
		if !d.fill() {
			return 0, false
		}
	}
}

// Peek returns the next byte that is not white space, without reading it;
// ok = false at the end of the input.
func (d *Decoder) Peek() (c byte, ok bool) { return d.space() }

// ReadError is the error of the underlying reader, if it failed (io.EOF
// is not an error).
func (d *Decoder) ReadError() error {
	if d.rerr == io.EOF {
		return nil
	}
	return d.rerr
}

// End checks that only white space is left.
func (d *Decoder) End() error {
	c, ok := d.space()
	if ok {
		return invalid(c, "after top-level value")
	}
	if err := d.ReadError(); err != nil {
		return err
	}
	return nil
}

// at returns the byte at pos, reading more if needed.
func (d *Decoder) at() (byte, bool) {
	if d.pos < len(d.buf) {
		return d.buf[d.pos], true
	}
	if !d.fill() {
		return 0, false
	}
	return d.buf[d.pos], true
}

// str reads the JSON string at pos (its opening quote). It returns the
// start and end of its body relative to the mark, and whether the body
// needs decoding (an escape, or invalid UTF-8).
func (d *Decoder) str() (start, end int, decode bool, err error) {
	d.pos++ // the quote
	start = d.pos - d.mark
	for {
		buf, p := d.buf, d.pos
		for p < len(buf) && plain[buf[p]] {
			p++
		}
		d.pos = p
		if p == len(buf) {
			if !d.fill() {
				return 0, 0, false, d.end()
			}
			continue
		}
		switch c := buf[p]; {
		case c == '"':
			end = p - d.mark
			d.pos++
			return start, end, decode, nil
		case c == '\\':
			decode = true
			if err := d.escape(); err != nil {
				return 0, 0, false, err
			}
		case c < 0x20:
			return 0, 0, false, invalid(c, "in string literal")
		default: // beyond ASCII: a whole UTF-8 sequence, or decoded when read
			if len(buf)-p < utf8.UTFMax && d.fill() {
				continue
			}
			r, size := utf8.DecodeRune(d.buf[d.pos:])
			if r == utf8.RuneError && size == 1 {
				decode = true
			}
			d.pos += size
		}
	}
}

// plain says which bytes a string holds as they are: ASCII that is not a
// control character, a quote or a backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escape checks the escape at pos (its backslash) and reads it.
func (d *Decoder) escape() error {
	d.pos++
	c, ok := d.at()
	if !ok {
		return d.end()
	}
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		d.pos++
		return nil
	case 'u':
		d.pos++
		for range 4 {
			h, ok := d.at()
			if !ok {
				return d.end()
			}
			if !isHex(h) {
				return invalid(h, "in \\u hexadecimal character escape")
			}
			d.pos++
		}
		return nil
	}
	return invalid(c, "in string escape code")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number reads the JSON number at pos.
func (d *Decoder) number() error {
	digits := func() (int, error) {
		n := 0
		for {
			c, ok := d.at()
			if !ok || c < '0' || c > '9' {
				return n, nil
			}
			d.pos++
			n++
		}
	}
	need := func(context string) error { // at least one digit
		c, ok := d.at()
		if !ok {
			return d.end()
		}
		if c < '0' || c > '9' {
			return invalid(c, context)
		}
		return nil
	}
	if c, _ := d.at(); c == '-' {
		d.pos++
		if err := need("in numeric literal"); err != nil {
			return err
		}
	}
	if c, _ := d.at(); c == '0' {
		d.pos++
	} else {
		_, _ = digits()
	}
	c, ok := d.at()
	if !ok {
		return nil
	}
	if c == '.' {
		d.pos++
		if err := need("after decimal point in numeric literal"); err != nil {
			return err
		}
		_, _ = digits()
		if c, ok = d.at(); !ok {
			return nil
		}
	}
	if c == 'e' || c == 'E' {
		d.pos++
		if s, _ := d.at(); s == '+' || s == '-' {
			d.pos++
		}
		if err := need("in exponent of numeric literal"); err != nil {
			return err
		}
		_, _ = digits()
	}
	return nil
}

// literal reads true, false or null at pos.
func (d *Decoder) literal(lit string) error {
	for i := 0; i < len(lit); i++ {
		c, ok := d.at()
		if !ok {
			return d.end()
		}
		if c != lit[i] {
			return invalid(c, "in literal "+lit+" (expecting "+quoteChar(lit[i])+")")
		}
		d.pos++
	}
	return nil
}

// value reads (checks and skips) any JSON value at the next byte that is
// not white space.
func (d *Decoder) value(depth int) error {
	c, ok := d.space()
	if !ok {
		return d.end()
	}
	switch c {
	case '{', '[':
		if depth >= maxDepth {
			return &syntaxError{"exceeded max depth"}
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		d.pos++
		c, ok = d.space()
		if !ok {
			return d.end()
		}
		if c == closing {
			d.pos++
			return nil
		}
		for {
			if closing == '}' {
				if c != '"' {
					return invalid(c, "looking for beginning of object key string")
				}
				if err := d.skipString(); err != nil {
					return err
				}
				if c, ok = d.space(); !ok {
					return d.end()
				}
				if c != ':' {
					return invalid(c, "after object key")
				}
				d.pos++
			}
			if err := d.value(depth + 1); err != nil {
				return err
			}
			if c, ok = d.space(); !ok {
				return d.end()
			}
			d.pos++
			switch {
			case c == closing:
				return nil
			case c != ',':
				if closing == '}' {
					return invalid(c, "after object key:value pair")
				}
				return invalid(c, "after array element")
			}
			if c, ok = d.space(); !ok {
				return d.end()
			}
		}
	case '"':
		return d.skipString()
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	if c == '-' || '0' <= c && c <= '9' {
		return d.number()
	}
	return invalid(c, "looking for beginning of value")
}

// skipString reads the string at pos, keeping what the caller keeps.
func (d *Decoder) skipString() error {
	saved := d.mark
	if saved < 0 {
		d.mark = d.pos
	}
	_, _, _, err := d.str()
	d.mark = saved
	return err
}

// Skip reads (checks and discards) the next value.
func (d *Decoder) Skip() error { return d.value(0) }

// String reads the next value, a JSON string; isString = false (and
// nothing read) when the next value is not one.
func (d *Decoder) String() (s string, isString bool, err error) {
	c, ok := d.space()
	if !ok {
		return "", false, d.end()
	}
	if c != '"' {
		return "", false, nil
	}
	d.mark = d.pos
	start, end, decode, err := d.str()
	if err == nil {
		if decode {
			s = unescape(d.buf[d.mark+start : d.mark+end])
		} else {
			s = string(d.buf[d.mark+start : d.mark+end])
		}
	}
	d.mark = -1
	return s, true, err
}

// Literal reads the next value when it is true, false or null, and returns
// it; ok = false (and nothing read) for any other value.
func (d *Decoder) Literal() (lit string, ok bool, err error) {
	c, more := d.space()
	if !more {
		return "", false, d.end()
	}
	switch c {
	case 't':
		lit = "true"
	case 'f':
		lit = "false"
	case 'n':
		lit = "null"
	default:
		return "", false, nil
	}
	return lit, true, d.literal(lit)
}

// Object reads the next value, a JSON object, calling member for each key
// in order; member must read the key's value (with String, Literal, Skip,
// DecodeArray …). isObject = false (and nothing read) when the next value is
// not an object.
func (d *Decoder) Object(member func(key string) error) (isObject bool, err error) {
	c, ok := d.space()
	if !ok {
		return false, d.end()
	}
	if c != '{' {
		return false, nil
	}
	d.pos++
	if c, ok = d.space(); !ok {
		return true, d.end()
	}
	if c == '}' {
		d.pos++
		return true, nil
	}
	for {
		if c != '"' {
			return true, invalid(c, "looking for beginning of object key string")
		}
		key, _, err := d.String()
		if err != nil {
			return true, err
		}
		if c, ok = d.space(); !ok {
			return true, d.end()
		}
		if c != ':' {
			return true, invalid(c, "after object key")
		}
		d.pos++
		if err := member(key); err != nil {
			return true, err
		}
		if c, ok = d.space(); !ok {
			return true, d.end()
		}
		d.pos++
		switch c {
		case '}':
			return true, nil
		case ',':
		default:
			return true, invalid(c, "after object key:value pair")
		}
		if c, ok = d.space(); !ok {
			return true, d.end()
		}
	}
}

// unescape is the text of a JSON string body as encoding/json reads it:
// escapes decoded, invalid UTF-8 and lone surrogates as U+FFFD.
func unescape(b []byte) string {
	var out strings.Builder
	out.Grow(len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c == '\\' {
			i++
			switch b[i] {
			case 'b':
				out.WriteByte('\b')
			case 'f':
				out.WriteByte('\f')
			case 'n':
				out.WriteByte('\n')
			case 'r':
				out.WriteByte('\r')
			case 't':
				out.WriteByte('\t')
			case 'u':
				r := hex4(b[i+1 : i+5])
				i += 5
				if utf16.IsSurrogate(r) {
					if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(b[i+2:i+6])); dec != utf8.RuneError {
							out.WriteRune(dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				out.WriteRune(r)
				continue
			default: // " \ /
				out.WriteByte(b[i])
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			out.WriteRune(utf8.RuneError)
		} else {
			out.Write(b[i : i+size])
		}
		i += size
	}
	return out.String()
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unquoted is the text of a string body between start and end of text
// (slices of one copy of an element): a slice when decode is false, else
// decoded.
func unquoted(text string, start, end int, decode bool) string {
	if !decode {
		return text[start:end]
	}
	return unescape([]byte(text[start:end]))
}

// errNotArray is the error for records that are not a JSON array.
var errNotArray = errors.New("the top level must be a JSON array of records")

// span is where one member of an object is, relative to the element's
// start.
type span struct {
	ks, ke, vs, ve int32
	kdec, vdec     bool // the key, the value need decoding (strings)
	kind           Kind
	null           bool
}

// value is the Value of member m of the element text.
func (m *span) value(text string) Value {
	v := Value{Kind: m.kind}
	switch {
	case m.null:
	case m.kind == Text:
		v.Text = trim(unquoted(text, int(m.vs), int(m.ve), m.vdec))
	default:
		v.Text = text[m.vs:m.ve] // a number, boolean, object or array as written
	}
	return v
}

// trim is strings.TrimSpace, without its work when the ends are plain.
func trim(s string) string {
	if s == "" || (s[0] > ' ' && s[0] < utf8.RuneSelf && s[len(s)-1] > ' ' && s[len(s)-1] < utf8.RuneSelf) {
		return s
	}
	return strings.TrimSpace(s)
}

// plainRow makes the row of an element whose keys are plain (no escape)
// and each name a field of its own or a key already warned of, as jsonRow
// would; ok = false for any other element. Keys are matched first against
// the keys of the previous element at the same place, which spares hashing
// them when elements are written alike.
func (s *Schema) plainRow(i int, text string, sp []span, js *jsonScratch) (Row, bool) {
	if len(js.keyAt) < len(sp) {
		js.keyAt = append(js.keyAt, make([]keyField, len(sp)-len(js.keyAt))...)
	}
	clear(js.given)
	for j := range sp {
		m := &sp[j]
		if m.kdec {
			return Row{}, false
		}
		key := text[m.ks:m.ke]
		kf := &js.keyAt[j]
		if !kf.set || kf.key != key {
			// Elements that leave out keys put the others at other places.
			if k := slices.IndexFunc(js.keys, func(kf keyField) bool { return kf.key == key }); k >= 0 {
				*kf = js.keys[k]
				goto found
			}
			field, known := s.field(key)
			if !known {
				if !js.unknown[key] {
					return Row{}, false
				}
				field = -1
			}
			*kf = keyField{key: key, field: field, set: true}
			if len(js.keys) < 4*len(s.fields) {
				js.keys = append(js.keys, *kf)
			}
		}
	found:
		if f := kf.field; f >= 0 {
			if js.given[f] > 0 {
				return Row{}, false
			}
			js.given[f] = j + 1
		}
	}
	for f := range js.values {
		if j := js.given[f]; j > 0 {
			js.values[f] = sp[j-1].value(text)
		} else {
			js.values[f] = Value{}
		}
	}
	return Row{Format: JSON, Line: i, Values: js.values}, true
}

// DecodeArray reads the next value, a JSON array of records, and calls each
// for every element, in order, as ReadJSON does: an element that is not an
// object is a Row with a NotObject problem; an unknown key gives one warning
// per key; Row.Raw is the element as written. Elements past the first max
// (max < 0: no limit) are checked and counted, not read. n is the number of
// elements. Invalid JSON is an error ("record N: not valid JSON: …" inside
// an element); rows given to each before it are to be discarded. A value
// that is not an array is errNotArray's error, with nothing read.
func (s *Schema) DecodeArray(d *Decoder, max int, each func(Row)) (n int, warnings []string, err error) {
	c, ok := d.space()
	if !ok {
		return 0, nil, fmt.Errorf("not valid JSON: %w", d.end())
	}
	if c != '[' {
		return 0, nil, errNotArray
	}
	d.pos++
	js := jsonScratch{unknown: map[string]bool{}, values: make([]Value, len(s.fields)), given: make([]int, len(s.fields))}
	if c, ok = d.space(); ok && c == ']' {
		d.pos++
		return 0, []string{"no records in the file"}, nil
	}
	for i := 1; ; i++ {
		if !ok {
			return n, warnings, fmt.Errorf("not valid JSON: array not closed: %w", notClosed(d))
		}
		if max >= 0 && n >= max {
			err = d.value(1)
		} else {
			var row Row
			row, err = s.element(d, i, &js, &warnings)
			if err == nil {
				each(row)
			}
		}
		if err != nil {
			return n, warnings, fmt.Errorf("record %d: not valid JSON: %w", i, err)
		}
		n++
		if c, ok = d.space(); !ok {
			return n, warnings, fmt.Errorf("not valid JSON: array not closed: %w", notClosed(d))
		}
		d.pos++
		switch c {
		case ']':
			return n, warnings, nil
		case ',':
		default:
			return n, warnings, fmt.Errorf("record %d: not valid JSON: %w", i, invalid(c, "after array element"))
		}
		c, ok = d.space()
	}
}

func notClosed(d *Decoder) error {
	if err := d.ReadError(); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF
}

// element reads the i-th element of an array of records, at the next byte
// that is not white space, in one pass: the element is copied once into a
// string, of which keys and values are slices.
func (s *Schema) element(d *Decoder, i int, js *jsonScratch, warnings *[]string) (Row, error) {
	defer func() { d.mark = -1 }()
	d.mark = d.pos
	c, _ := d.at()
	if c != '{' {
		if err := d.value(1); err != nil {
			return Row{}, err
		}
		raw := string(d.buf[d.mark:d.pos])
		return Row{Format: JSON, Line: i, Raw: raw, Problems: []Problem{{Issue: NotObject,
			Msg: "element is " + jsonKind([]byte(raw)) + ", want an object with the record's fields"}}}, nil
	}
	d.pos++
	sp := js.spans[:0]
	c, ok := d.space()
	if !ok {
		return Row{}, d.end()
	}
	if c == '}' {
		d.pos++
	} else {
		for {
			if c != '"' {
				return Row{}, invalid(c, "looking for beginning of object key string")
			}
			var m span
			ks, ke, kdec, err := d.str()
			if err != nil {
				return Row{}, err
			}
			m.ks, m.ke, m.kdec = int32(ks), int32(ke), kdec
			if c, ok = d.space(); !ok {
				return Row{}, d.end()
			}
			if c != ':' {
				return Row{}, invalid(c, "after object key")
			}
			d.pos++
			if c, ok = d.space(); !ok {
				return Row{}, d.end()
			}
			m.vs = int32(d.pos - d.mark)
			switch {
			case c == '"':
				vs, ve, vdec, err := d.str()
				if err != nil {
					return Row{}, err
				}
				m.vs, m.ve, m.vdec = int32(vs), int32(ve), vdec
			case c == '{' || c == '[':
				if err := d.value(2); err != nil {
					return Row{}, err
				}
				m.kind = Object
				if c == '[' {
					m.kind = Array
				}
			case c == 't':
				err = d.literal("true")
				m.kind = Bool
			case c == 'f':
				err = d.literal("false")
				m.kind = Bool
			case c == 'n':
				err = d.literal("null")
				m.null = true
			case c == '-' || '0' <= c && c <= '9':
				err = d.number()
				m.kind = Number
			default:
				err = invalid(c, "looking for beginning of value")
			}
			if err != nil {
				return Row{}, err
			}
			if c != '"' {
				m.ve = int32(d.pos - d.mark)
			}
			sp = append(sp, m)
			if c, ok = d.space(); !ok {
				return Row{}, d.end()
			}
			d.pos++
			if c == '}' {
				break
			}
			if c != ',' {
				return Row{}, invalid(c, "after object key:value pair")
			}
			if c, ok = d.space(); !ok {
				return Row{}, d.end()
			}
		}
	}
	js.spans = sp
	text := string(d.buf[d.mark:d.pos])
	if row, ok := s.plainRow(i, text, sp, js); ok {
		row.Raw = text
		return row, nil
	}
	ms := js.members[:0]
	for at, m := range sp {
		ms = append(ms, member{key: unquoted(text, int(m.ks), int(m.ke), m.kdec), val: m.value(text), at: at})
	}
	js.members = ms
	row := s.jsonRow(i, ms, js, warnings)
	row.Raw = text
	return row, nil
}
