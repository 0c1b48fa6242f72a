package admin

import "strings"

// table is a list of rows of text fields, sorted by their first field (a
// code), held as one string and the offsets into it: it holds no pointer
// but the string's, so the garbage collector has nothing to scan, and the
// Communes read from it share its bytes. The tables of tables.go come
// with their offsets, so that a program reads only the lines it looks up:
// the 1.1 MB of text are not even brought into memory.
//
// Fields are separated by tableSep and rows end with "\n", as in the
// tables of tables.go, unless a field holds one of those characters (a
// registry that Load built from unusual names); then ends says where each
// field ends.
type table struct {
	text string
	n    int      // fields a row
	rows []uint32 // where each row starts, then len(text)
	ends []uint32 // nil, or where each field ends, n a row
	// spans[p] are the rows whose key starts with the three digits of p
	// (codes are digits): a lookup searches them only.
	spans *[1000]span
}

// span is a range of rows, from included, to excluded.
type span struct{ from, to uint32 }

// indexSpans fills spans from the rows.
func (t *table) indexSpans() {
	t.spans = new([1000]span)
	for i := range t.len() {
		if p, ok := prefix(t.key(i)); ok {
			if t.spans[p].to == 0 {
				t.spans[p].from = uint32(i)
			}
			t.spans[p].to = uint32(i + 1)
		}
	}
}

// prefix is the number the first three characters of key write, if they
// are digits.
func prefix(key string) (int, bool) {
	if len(key) < 3 || key[0]-'0' > 9 || key[1]-'0' > 9 || key[2]-'0' > 9 {
		return 0, false
	}
	return int(key[0]-'0')*100 + int(key[1]-'0')*10 + int(key[2]-'0'), true
}

// tableOf makes a table of rows of n fields each, in their order.
func tableOf(rows [][]string, n int) table {
	var b strings.Builder
	t := table{n: n, rows: make([]uint32, 0, len(rows)+1)}
	plain := true
	for _, row := range rows {
		for _, f := range row {
			plain = plain && !strings.ContainsAny(f, tableSep+"\n")
		}
	}
	if !plain {
		t.ends = make([]uint32, 0, len(rows)*n)
	}
	for _, row := range rows {
		t.rows = append(t.rows, uint32(b.Len()))
		for i, f := range row {
			b.WriteString(f)
			if t.ends != nil {
				t.ends = append(t.ends, uint32(b.Len()))
			}
			if i < len(row)-1 {
				b.WriteString(tableSep)
			}
		}
		b.WriteString("\n")
	}
	t.text = b.String()
	t.rows = append(t.rows, uint32(len(t.text)))
	t.indexSpans()
	return t
}

// len is the number of rows.
func (t *table) len() int { return len(t.rows) - 1 }

// row puts the fields of row i in f, which has room for t.n.
func (t *table) row(i int, f []string) {
	if t.ends != nil {
		from := t.rows[i]
		for k := range t.n {
			end := t.ends[i*t.n+k]
			f[k], from = t.text[from:end], end+uint32(len(tableSep))
		}
		return
	}
	line := t.text[t.rows[i] : t.rows[i+1]-1]
	for k := range t.n - 1 {
		j := strings.IndexByte(line, tableSep[0])
		if j < 0 {
			j = len(line)
		}
		f[k], line = line[:j], line[min(j+1, len(line)):]
	}
	f[t.n-1] = line
}

// key is the first field of row i.
func (t *table) key(i int) string {
	if t.ends != nil {
		return t.text[t.rows[i]:t.ends[i*t.n]]
	}
	// A code is a few digits: a loop finds its end faster than IndexByte.
	line := t.text[t.rows[i] : t.rows[i+1]-1]
	for j := 0; j < len(line); j++ {
		if line[j] == tableSep[0] {
			return line[:j]
		}
	}
	return line
}

// equal returns the rows whose key is key.
func (t *table) equal(key string) (from, to int) {
	lo, hi := 0, t.len()
	if p, ok := prefix(key); ok {
		lo, hi = int(t.spans[p].from), int(t.spans[p].to)
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.key(m) < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for hi = lo; hi < t.len() && t.key(hi) == key; hi++ {
	}
	return lo, hi
}

// find returns the row whose key is key.
func (t *table) find(key string) (int, bool) {
	from, to := t.equal(key)
	return from, from < to
}
