// Package yamlbin keeps YAML files already parsed, so that a program
// loading the rule sets it embeds does not run the YAML parser on them at
// every start.
//
// A parsed file is its yaml.Node tree written compactly (Encode) with the
// SHA-256 of the bytes it was parsed from. A package embedding rule files
// registers the trees of its files (Register); the rule loader asks for
// the tree of the bytes it is about to parse (Lookup), by their hash, so
// that only the very bytes that were parsed get their tree: a file edited
// since is parsed as usual, and an identical copy anywhere (a directory on
// disk) gets the tree too. The tree decoded is the one yaml.v3 gives,
// node for node: kinds, styles, tags, values, anchors and aliases,
// comments, lines and columns.
package yamlbin
