package yamlbin_test

import (
	"fmt"

	"github.com/hotro-vn/hotro/internal/yamlbin"
)

// A package embedding rule files registers their trees once; the loader
// then finds the tree of the very bytes it was given, and nothing for
// bytes changed since.
func Example() {
	file := []byte("id: demo # a rule set\nrules:\n  - when: age >= 60\n")
	doc, ok := yamlbin.Parse(file)
	if !ok {
		panic("not one document")
	}
	var blob yamlbin.Blob
	blob.Add(file, doc)
	yamlbin.Register(blob.Bytes())

	tree, found := yamlbin.Lookup(file)
	root := tree.Content[0]
	fmt.Println(found, root.Content[1].Value, root.Content[1].LineComment)
	rule := root.Content[3].Content[0]
	fmt.Printf("%s at line %d, column %d\n", rule.Content[1].Value, rule.Content[1].Line, rule.Content[1].Column)

	_, found = yamlbin.Lookup([]byte("id: demo # edited\n"))
	fmt.Println(found)
	// Output:
	// true demo # a rule set
	// age >= 60 at line 3, column 11
	// false
}
