package rulesets

import (
	_ "embed"

	"github.com/hotro-vn/hotro/internal/yamlbin"
)

// parsed holds the rule files of FS already parsed, so that loading them
// skips the YAML parser (internal/yamlbin); a file whose bytes are not
// those parsed is parsed as usual. TestParsedUpToDate checks it.
//
//go:generate go run gen_parsed.go
//go:embed parsed.bin
var parsed []byte

func init() { yamlbin.Register(parsed) }
