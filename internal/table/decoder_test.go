package table

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The decoder reads a document byte by byte as it reads it whole: values
// split across refills of its buffer are read the same.
func TestReadJSONOneByteAtATime(t *testing.T) {
	in := `[{"id": "a\u00e9\ud83d\ude00", "amount": -1.5e+3, "name": " Ann ", "tags": [1, {"x": "]"}]}, 7, {"id": "b", "ID": "c"}, {}, ` +
		"{\"id\": \"Đặng 😀\", \"name\": \"x\xffy\xe1\x80\"}]"
	whole, w1, err := readJSON(t, in)
	require.NoError(t, err)
	bytewise, w2, err := collect(t, func(each func(Row)) ([]string, error) {
		return testSchema.ReadJSON(iotest.OneByteReader(strings.NewReader(in)), each)
	})
	require.NoError(t, err)
	assert.Equal(t, whole, bytewise)
	assert.Equal(t, w1, w2)
	assert.Equal(t, Value{Text: "aé😀"}, whole[0].Values["id"])
	assert.Equal(t, Value{Text: "-1.5e+3", Kind: Number}, whole[0].Values["amount"])
	assert.Equal(t, Value{Text: "Ann"}, whole[0].Values["name"])
	assert.Equal(t, Value{Text: `[1, {"x": "]"}]`, Kind: Array}, whole[0].Values["tags"])
	assert.Equal(t, []Problem{{Issue: NotObject, Msg: "element is a number, want an object with the record's fields"}}, whole[1].Problems)
	assert.Equal(t, []Problem{{Issue: KeyTwice, Field: "id", Msg: `given twice (as "ID" and "id")`}}, whole[2].Problems)
	assert.Equal(t, Value{Text: "Đặng 😀"}, whole[4].Values["id"])
	assert.Equal(t, Value{Text: "x\uFFFDy\uFFFD\uFFFD"}, whole[4].Values["name"], "invalid UTF-8 as encoding/json reads it")
}

// DecodeArray inside a larger document: Raw, the limit, the count.
func TestDecodeArrayInObject(t *testing.T) {
	in := `{"first": "x\ty", "records": [ {"id": "a", "amount": 1} , "s", {"id": "b"}, {"id": "c"} ], "flag": true, "none": null}`
	d := NewDecoder(strings.NewReader(in))
	defer d.Release()
	var keys []string
	var raws []string
	var ids []string
	var n int
	var first, flag, none string
	isObj, err := d.Object(func(key string) error {
		keys = append(keys, key)
		var err error
		switch key {
		case "first":
			first, _, err = d.String()
		case "records":
			n, _, err = testSchema.DecodeArray(d, 2, func(r Row) {
				raws = append(raws, r.Raw)
				if r.Values != nil {
					ids = append(ids, r.Values[0].Text)
				}
			})
		case "flag":
			flag, _, err = d.Literal()
		case "none":
			none, _, err = d.Literal()
		}
		return err
	})
	require.NoError(t, err)
	require.True(t, isObj)
	require.NoError(t, d.End())
	assert.Equal(t, []string{"first", "records", "flag", "none"}, keys)
	assert.Equal(t, "x\ty", first)
	assert.Equal(t, 4, n, "every element counted")
	assert.Equal(t, []string{`{"id": "a", "amount": 1}`, `"s"`}, raws, "only the first two read")
	assert.Equal(t, []string{"a"}, ids)
	assert.Equal(t, "true", flag)
	assert.Equal(t, "null", none)
}

func TestDecodeArrayErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{}`, "the top level must be a JSON array of records"},
		{`[{"id": "a"}, {"id": "b" "amount": 1}]`, `record 2: not valid JSON: invalid character '"' after object key:value pair`},
		{`[{"id": "a"} {"id": "b"}]`, `record 1: not valid JSON: invalid character '{' after array element`},
		{"[{\"id\": \"a\x01\"}]", `record 1: not valid JSON: invalid character '\x01' in string literal`},
		{`[{"id": "a\q"}]`, `record 1: not valid JSON: invalid character 'q' in string escape code`},
		{`[{"id": 01}]`, `record 1: not valid JSON: invalid character '1' after object key:value pair`},
		{`[{"id": -}]`, `record 1: not valid JSON: invalid character '}' in numeric literal`},
		{`[{"id": tru}]`, `record 1: not valid JSON: invalid character '}' in literal true (expecting 'e')`},
		{`[{"id": "a"},`, `not valid JSON: array not closed: unexpected EOF`},
		{`[{"id": "a"`, `record 1: not valid JSON: unexpected end of JSON input`},
	} {
		d := NewDecoder(strings.NewReader(tt.in))
		_, _, err := testSchema.DecodeArray(d, -1, func(Row) {})
		d.Release()
		assert.EqualError(t, err, tt.want, tt.in)
	}
}

// A failing reader's error is returned as it is, wrapped.
func TestDecodeArrayReadError(t *testing.T) {
	boom := errors.New("boom")
	d := NewDecoder(io.MultiReader(strings.NewReader(`[{"id": "a"}, {"id": "b`), iotest.ErrReader(boom)))
	defer d.Release()
	n, _, err := testSchema.DecodeArray(d, -1, func(Row) {})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 1, n)
}

// FuzzDecoder checks the decoder against encoding/json: the same texts are
// valid JSON, and a string reads as encoding/json reads it.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{`{"a": [1, -2.5e3, true, null, "x\u00e9"]}`, `"\ud800\udc00 \ud800 \xff"`, `[01]`, `1.`, `-`, `"\u12"`, `{"a" 1}`, `[1,]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(iotest.HalfReader(strings.NewReader(string(data))))
		defer d.Release()
		err := d.Skip()
		if err == nil {
			err = d.End()
		}
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("%q: encoding/json says valid = %v, the decoder %v", data, valid, err)
		}
		var want string
		if json.Unmarshal(data, &want) == nil {
			for _, r := range []io.Reader{strings.NewReader(string(data)), iotest.OneByteReader(strings.NewReader(string(data)))} {
				d := NewDecoder(r)
				got, isString, err := d.String()
				d.Release()
				if err != nil || !isString || got != want {
					t.Fatalf("%q: %q, %v, %v; encoding/json reads %q", data, got, isString, err, want)
				}
			}
		}
	})
}
