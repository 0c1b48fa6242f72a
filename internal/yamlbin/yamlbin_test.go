package yamlbin

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/internal/guard"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// tricky holds what a rule file may hold: comments in every place, block
// and quoted scalars, flow collections, anchors and aliases, tags, empty
// values, Vietnamese text.
const tricky = `# head comment of the document
id: hatinh-test # line comment
title: "Hỗ trợ hộ nghèo \"BTXH\""
note: 'it''s quoted'
expr: |
  income < poverty_line
    && age >= 0
folded: >-
  one
  two

  three
list: [1, 2.5, "x", null, ~, true]
map: {a: 1, b: {c: [d]}}
base: &base
  zone: rural
  amount: 1_500_000
copy: *base
merged:
  <<: *base
  zone: urban
tagged: !!str 123
custom: !thing value
empty:
blank: ""
# foot comment of the list
seq:
  - a
  # between
  - b: 1
    c: 2
`

func roundTrip(t *testing.T, src string) {
	t.Helper()
	want, ok := Parse([]byte(src))
	require.True(t, ok)
	got, err := Decode(Encode(want))
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestRoundTrip(t *testing.T) {
	roundTrip(t, tricky)
	roundTrip(t, "a: 1\n")
	roundTrip(t, "- x\n- [y, z]\n")
	roundTrip(t, "plain scalar\n")
	// The alias of the decoded tree names a node of that tree.
	doc, err := Decode(Encode(must(Parse([]byte(tricky)))))
	require.NoError(t, err)
	var copyNode *yaml.Node
	m := doc.Content[0]
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == "copy" {
			copyNode = m.Content[i+1]
		}
	}
	require.NotNil(t, copyNode)
	require.Equal(t, yaml.AliasNode, copyNode.Kind)
	require.Equal(t, "base", copyNode.Alias.Anchor)
	require.Equal(t, 15, copyNode.Alias.Line, "the anchored mapping, on the line of its anchor")
}

func must(n *yaml.Node, ok bool) *yaml.Node {
	if !ok {
		panic("does not parse")
	}
	return n
}

// What is not exactly one document that parses gets no tree: the loader
// reports it from its own parse.
func TestParseRefuses(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "a: 1\n---\nb: 2\n", "a: [1\n", "\tbad: tab\n"} {
		_, ok := Parse([]byte(src))
		require.False(t, ok, "%q", src)
	}
}

// Lookup finds the tree of the very bytes registered, and of nothing else.
func TestRegisterLookup(t *testing.T) {
	var b Blob
	data := []byte(tricky)
	b.Add(data, must(Parse(data)))
	other := []byte("x: 1\n")
	b.Add(other, must(Parse(other)))
	Register(b.Bytes())
	got, ok := Lookup(data)
	require.True(t, ok)
	require.Equal(t, must(Parse(data)), got)
	got.Content[0].Content[0].Value = "changed" // a tree of the caller's own
	again, ok := Lookup(data)
	require.True(t, ok)
	require.Equal(t, "id", again.Content[0].Content[0].Value)
	_, ok = Lookup(append([]byte(tricky), '\n')) // one byte more: parsed as usual
	require.False(t, ok)
	got, ok = Lookup(other)
	require.True(t, ok)
	require.Equal(t, "x", got.Content[0].Content[0].Value)
}

// A damaged tree is an error, never a panic nor a tree with nodes missing.
func TestDecodeDamaged(t *testing.T) {
	enc := Encode(must(Parse([]byte(tricky))))
	for n := range len(enc) {
		_, err := Decode(enc[:n])
		require.Error(t, err, "cut at %d", n)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		b := append([]byte(nil), enc...)
		for range 1 + r.IntN(3) {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		doc, err := Decode(b)
		if err == nil {
			require.NotNil(t, doc)
		}
	}
	_, err := Decode(nil)
	require.Error(t, err)
	require.Panics(t, func() { indexOrPanic([]byte("not a blob")) })
}

func indexOrPanic(b []byte) {
	if err := indexBlob(b, map[[32]byte][]byte{}); err != nil {
		panic(err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(must(Parse([]byte(tricky)))))
	f.Add(Encode(must(Parse([]byte("a: [1, 2]\n")))))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Under the cost oracle (internal/guard: 1 s, 256 MB an input).
		var doc *yaml.Node
		var err error
		guard.Run(t, "decode", time.Second, func() { doc, err = Decode(b) })
		if err == nil && doc == nil {
			t.Fatal("no error and no tree")
		}
	})
}
