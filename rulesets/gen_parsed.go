//go:build ignore

// gen_parsed writes parsed.bin: the rule files of this directory, parsed
// (see internal/yamlbin). Run it with go generate after editing one; a
// test says when parsed.bin is out of date, and until then the file
// edited is parsed at each load, as any other.
package main

import (
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/hotro-vn/hotro/internal/yamlbin"
)

func main() {
	var b yamlbin.Blob
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if doc, ok := yamlbin.Parse(data); ok {
			b.Add(data, doc)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("parsed.bin", b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
