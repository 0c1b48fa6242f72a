package main

import (
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

func init() {
	commands["version"] = command{"print the program's version and the embedded rule sets", cmdVersion}
}

// cmdVersion prints the module version (or the VCS revision of a build
// from a checkout) and the id, status and short hash of every embedded
// rule set, of every policy.
func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fset := flags("version", stderr)
	pos, code := parse(fset, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "version", noPath(pos), "hotro version")
	}
	version, rev, modified := "(unknown)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	fmt.Fprintf(stdout, "hotro %s", version)
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		fmt.Fprintf(stdout, " (%s%s)", rev, map[bool]string{true: tr(", modified", ", có sửa đổi")}[modified])
	}
	fmt.Fprintln(stdout)
	dirs, err := fs.ReadDir(rulesets.FS, ".")
	if err != nil {
		fmt.Fprintf(stderr, "hotro: %v\n", err)
		return 1
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		lib, err := rules.Load(rulesets.FS, d.Name())
		if err != nil {
			printRuleErrors(err, stderr)
			return 1
		}
		for _, s := range lib.Sets() {
			fmt.Fprintf(stdout, "  %-28s %-8s %s  %s %s – %s\n", s.Meta.ID, s.Meta.Status, s.ShortHash(), s.Meta.Policy,
				s.Meta.From.Format("2006-01-02"), s.Meta.To.Format("2006-01-02"))
		}
	}
	return 0
}
