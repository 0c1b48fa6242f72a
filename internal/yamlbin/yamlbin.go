package yamlbin

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"gopkg.in/yaml.v3"
)

// magic begins a blob of parsed files (the version of the format).
const magic = "yamlbin1"

// Parse parses data as the rule loader does: one YAML document, the
// document node. ok is false when data is not exactly one document that
// parses (the loader then reports why, from its own parse).
func Parse(data []byte) (doc *yaml.Node, ok bool) {
	d := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := d.Decode(&n); err != nil {
		return nil, false
	}
	var next yaml.Node
	if err := d.Decode(&next); err != io.EOF {
		return nil, false
	}
	return &n, true
}

// Blob is parsed files on their way to a blob (see Register).
type Blob struct {
	buf   bytes.Buffer
	count int
}

// Add adds the tree of one file's bytes.
func (b *Blob) Add(data []byte, doc *yaml.Node) {
	sum := sha256.Sum256(data)
	enc := Encode(doc)
	b.buf.Write(sum[:])
	b.buf.Write(binary.AppendUvarint(nil, uint64(len(enc))))
	b.buf.Write(enc)
	b.count++
}

// Bytes returns the blob: the magic, the number of files, then for each
// its source's SHA-256, the length of its tree and the tree.
func (b *Blob) Bytes() []byte {
	out := append([]byte(magic), binary.AppendUvarint(nil, uint64(b.count))...)
	return append(out, b.buf.Bytes()...)
}

// Encode writes a tree: the number of nodes, then the strings (each
// once), then the nodes in preorder, each as its kind, style, tag, value,
// anchor, alias (0, or 1 + the preorder index of the node it names),
// comments, line, column and number of children.
func Encode(doc *yaml.Node) []byte {
	var nodes []*yaml.Node
	index := map[*yaml.Node]int{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		index[n] = len(nodes)
		nodes = append(nodes, n)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	strs := map[string]int{}
	var table []string
	str := func(s string) uint64 {
		i, ok := strs[s]
		if !ok {
			i = len(table)
			strs[s] = i
			table = append(table, s)
		}
		return uint64(i)
	}
	var body []byte
	u := func(v uint64) { body = binary.AppendUvarint(body, v) }
	children := 0
	for _, n := range nodes {
		alias := uint64(0)
		if n.Alias != nil {
			i, ok := index[n.Alias]
			if !ok { // an alias to a node outside the tree: not kept
				i = -1
			}
			alias = uint64(i + 1)
		}
		u(uint64(n.Kind))
		u(uint64(n.Style))
		u(str(n.Tag))
		u(str(n.Value))
		u(str(n.Anchor))
		u(alias)
		u(str(n.HeadComment))
		u(str(n.LineComment))
		u(str(n.FootComment))
		u(uint64(n.Line))
		u(uint64(n.Column))
		u(uint64(len(n.Content)))
		children += len(n.Content)
	}
	out := binary.AppendUvarint(nil, uint64(len(nodes)))
	out = binary.AppendUvarint(out, uint64(children))
	out = binary.AppendUvarint(out, uint64(len(table)))
	for _, s := range table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, body...)
}

var errCorrupt = errors.New("yamlbin: corrupt tree")

// decoder reads what Encode wrote.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) u() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errCorrupt, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// small reads a count or an index below max.
func (d *decoder) small(max int) int {
	v := d.u()
	if v >= uint64(max) {
		d.err, d.b = errCorrupt, nil
		return 0
	}
	return int(v)
}

// Decode reads a tree that Encode wrote. Its nodes and their lists of
// children are two allocations, its strings one.
func Decode(enc []byte) (*yaml.Node, error) {
	d := &decoder{b: enc}
	// No count can exceed what the bytes that follow can hold: a node
	// takes 11 numbers of at least a byte each, a string at least its
	// length's byte, and every child is another node. So what Decode
	// allocates is bounded by a multiple of len(enc), whatever it holds.
	limit := len(enc) + 1
	nn, nc, ns := d.small(limit/11+1), d.small(limit), d.small(limit)
	if d.err != nil || nn == 0 || ns == 0 || nc >= nn {
		return nil, errCorrupt
	}
	// The strings: one string holding them all, sliced.
	lens := make([]int, ns)
	start := d.b
	total := 0
	for i := range ns {
		l := d.small(len(d.b) + 1)
		if d.err != nil || l > len(d.b) {
			return nil, errCorrupt
		}
		lens[i] = l
		total += l
		d.b = d.b[l:]
	}
	var all []byte
	all = make([]byte, 0, total)
	p := start
	for _, l := range lens {
		_, n := binary.Uvarint(p)
		all = append(all, p[n:n+l]...)
		p = p[n+l:]
	}
	text := string(all)
	table := make([]string, ns)
	off := 0
	for i, l := range lens {
		table[i] = text[off : off+l]
		off += l
	}
	nodes := make([]yaml.Node, nn)
	kids := make([]*yaml.Node, nc)
	counts := make([]int, nn)
	aliases := make([]int, nn)
	for i := range nodes {
		n := &nodes[i]
		n.Kind = yaml.Kind(d.u())
		n.Style = yaml.Style(d.u())
		n.Tag = table[d.small(ns)]
		n.Value = table[d.small(ns)]
		n.Anchor = table[d.small(ns)]
		aliases[i] = d.small(nn + 1)
		n.HeadComment = table[d.small(ns)]
		n.LineComment = table[d.small(ns)]
		n.FootComment = table[d.small(ns)]
		n.Line = d.small(1 << 31)
		n.Column = d.small(1 << 31)
		counts[i] = d.small(nc + 1)
		if d.err != nil {
			return nil, d.err
		}
	}
	if len(d.b) != 0 {
		return nil, errCorrupt
	}
	for i, a := range aliases {
		if a > 0 {
			nodes[i].Alias = &nodes[a-1]
		}
	}
	// Children: preorder, so a node's children follow it, each with its
	// own subtree; next is the node to place, taken as the walk goes.
	next := 1
	var place func(i int) error
	place = func(i int) error {
		c := counts[i]
		if c == 0 {
			return nil
		}
		if len(kids) < c {
			return errCorrupt
		}
		list := kids[:c:c]
		kids = kids[c:]
		for k := range list {
			if next >= nn {
				return errCorrupt
			}
			j := next
			next++
			list[k] = &nodes[j]
			if err := place(j); err != nil {
				return err
			}
		}
		nodes[i].Content = list
		return nil
	}
	if err := place(0); err != nil {
		return nil, err
	}
	if next != nn || len(kids) != 0 {
		return nil, errCorrupt
	}
	return &nodes[0], nil
}

// The blobs registered, and their files by the hash of their source once
// someone looks one up.
var registry struct {
	sync.Mutex
	blobs [][]byte
	index map[[sha256.Size]byte][]byte
}

// Register adds a blob of parsed files (Blob.Bytes), as a package that
// embeds them does in its init: nothing is read until a Lookup.
func Register(blob []byte) {
	registry.Lock()
	defer registry.Unlock()
	registry.blobs = append(registry.blobs, blob)
	registry.index = nil
}

// Lookup returns the tree of data when a blob registered holds it,
// decoded anew (the caller may keep and change it).
func Lookup(data []byte) (*yaml.Node, bool) {
	registry.Lock()
	if registry.index == nil && len(registry.blobs) > 0 {
		registry.index = map[[sha256.Size]byte][]byte{}
		for _, b := range registry.blobs {
			if err := indexBlob(b, registry.index); err != nil {
				panic(fmt.Sprintf("yamlbin: a registered blob: %v", err))
			}
		}
	}
	index := registry.index
	registry.Unlock()
	if index == nil {
		return nil, false
	}
	enc, ok := index[sha256.Sum256(data)]
	if !ok {
		return nil, false
	}
	doc, err := Decode(enc)
	if err != nil {
		return nil, false
	}
	return doc, true
}

func indexBlob(b []byte, index map[[sha256.Size]byte][]byte) error {
	if !bytes.HasPrefix(b, []byte(magic)) {
		return errors.New("not a blob of parsed files")
	}
	d := &decoder{b: b[len(magic):]}
	n := d.small(len(b))
	for range n {
		if len(d.b) < sha256.Size {
			return errCorrupt
		}
		var sum [sha256.Size]byte
		copy(sum[:], d.b)
		d.b = d.b[sha256.Size:]
		l := d.small(len(d.b) + 1)
		if d.err != nil || l > len(d.b) {
			return errCorrupt
		}
		index[sum] = d.b[:l:l]
		d.b = d.b[l:]
	}
	if d.err != nil || len(d.b) != 0 {
		return errCorrupt
	}
	return nil
}
