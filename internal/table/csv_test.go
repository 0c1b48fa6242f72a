package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// csvRead is every record of data as one reader gives it, reading on past
// parse errors as ReadCSV does: fields, first line, error.
func csvRead(data string, ours bool) []string {
	var out []string
	var read func() ([]string, int, error)
	if ours {
		r := newCSVReader(bufio.NewReader(strings.NewReader(data)))
		read = func() ([]string, int, error) {
			f, err := r.Read()
			if err != nil {
				return f, 0, err
			}
			return f, r.FieldPos(), err
		}
	} else {
		r := csv.NewReader(strings.NewReader(data))
		r.FieldsPerRecord, r.ReuseRecord = -1, true
		read = func() ([]string, int, error) {
			f, err := r.Read()
			line := 0
			if err == nil {
				line, _ = r.FieldPos(0)
			}
			return f, line, err
		}
	}
	for {
		f, line, err := read()
		if err == io.EOF {
			return out
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, fmt.Sprintf("error %d:%d:%d %v", pe.StartLine, pe.Line, pe.Column, pe.Err))
			continue
		}
		if err != nil {
			return append(out, "error "+err.Error())
		}
		out = append(out, fmt.Sprintf("%d %q", line, f))
	}
}

// The reader gives what encoding/csv gives, record by record and error by
// error, on what offices' files hold and on what breaks them.
func TestCSVReaderAsEncodingCSV(t *testing.T) {
	cases := []string{
		"", "\n", "a", "a\n", "a,b\nc,d\n", "a,b\r\nc,d\r\n", "a,b\r", "a\rb,c\n",
		"\n\n a , b \n\n", ",,\n,\n", `"a","b"` + "\n", `"a,b",c` + "\n", `"a""b",c`, `"multi` + "\nline\",x\ny\n",
		`a"b,c` + "\n", `"a"b,c` + "\n", `"open` + "\n", `"open`, "x,\"y\n\nz\"\n", `""` + "\n", `"",""`,
		"a,b,c\n1,2\n3,4,5,6\n", "\uFEFFa,b\n", "é,ư\n", `"a"` + "\r\n" + `"b"`, "\"a\r\nb\"\n", "a,\"b\"\"\"\n",
		strings.Repeat("x", 5000) + ",y\n" + `"` + strings.Repeat("z", 5000) + `"` + "\n",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "é", "1"}
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		want, got := csvRead(c, false), csvRead(c, true)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("%q:\nencoding/csv %q\nours         %q", c, want, got)
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{"a,b\nc,d\n", `"a""b",c` + "\n", `"multi` + "\nline\",x\n", `a"b`, "\"x\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, got := csvRead(s, false), csvRead(s, true)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("%q:\nencoding/csv %q\nours         %q", s, want, got)
		}
	})
}
