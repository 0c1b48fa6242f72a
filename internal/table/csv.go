package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// csvReader reads CSV records as encoding/csv's Reader does with its
// defaults (comma ',', no comments, strict quotes, any number of fields)
// and ReuseRecord: the same fields, the same lines, the same
// *csv.ParseError for the same input (a fuzz test holds it to that). A
// line without a quote, nearly every line of a national file, is split
// where it lies, into substrings of one string per line, without the copy
// into a record buffer and the search for a quote in every field that the
// general case needs.
type csvReader struct {
	r       *bufio.Reader
	numLine int
	raw     []byte // a line longer than r's buffer
	buf     []byte // a quoted record's fields, unquoted
	ends    []int  // where each field of buf ends
	fields  []string
	line    int // the first line of the last record
}

func newCSVReader(r *bufio.Reader) *csvReader { return &csvReader{r: r} }

// Read returns the next record, or io.EOF; the slice is reused by the
// next call, the strings are not.
func (r *csvReader) Read() ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			continue // empty lines are skipped
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	r.line = r.numLine
	if bytes.IndexByte(line, '"') < 0 {
		s := string(line[:len(line)-lengthNL(line)])
		r.fields = r.fields[:0]
		for {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				r.fields = append(r.fields, s)
				break
			}
			r.fields = append(r.fields, s[:i])
			s = s[i+1:]
		}
		return r.fields, errRead
	}
	return r.quoted(line, errRead)
}

// FieldPos is the line where the last record read starts (of its first
// field; a quoted field may run over several lines).
func (r *csvReader) FieldPos() int { return r.line }

func (r *csvReader) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.raw = append(r.raw[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.r.ReadSlice('\n')
			r.raw = append(r.raw, line...)
		}
		line = r.raw
	}
	n := len(line)
	if n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' { // as encoding/csv: a trailing \r before the end is dropped
			line = line[:n-1]
		}
	}
	r.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// quoted reads a record with a quote somewhere, as encoding/csv's
// readRecord does.
func (r *csvReader) quoted(line []byte, errRead error) ([]string, error) {
	var err error
	recLine := r.numLine
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	col, posLine := 1, r.numLine
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, ',')
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: col + j, Err: csv.ErrBareQuote}
				break parseField
			}
			r.buf = append(r.buf, field...)
			r.ends = append(r.ends, len(r.buf))
			if i >= 0 {
				line = line[i+1:]
				col += i + 1
				continue parseField
			}
			break parseField
		}
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				r.buf = append(r.buf, line[:i]...)
				line = line[i+1:]
				col += i + 1
				rn, _ := utf8.DecodeRune(line)
				switch {
				case rn == '"':
					r.buf = append(r.buf, '"')
					line = line[1:]
					col++
				case rn == ',':
					line = line[1:]
					col++
					r.ends = append(r.ends, len(r.buf))
					continue parseField
				case lengthNL(line) == len(line):
					r.ends = append(r.ends, len(r.buf))
					break parseField
				default:
					err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: col - 1, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0:
				r.buf = append(r.buf, line...)
				if errRead != nil {
					break parseField
				}
				col += len(line)
				line, errRead = r.readLine()
				if len(line) > 0 {
					posLine++
					col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: posLine, Column: col, Err: csv.ErrQuote}
					break parseField
				}
				r.ends = append(r.ends, len(r.buf))
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	str := string(r.buf)
	r.fields = r.fields[:0]
	prev := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, str[prev:end])
		prev = end
	}
	return r.fields, err
}
