// Command hotro checks, tests and applies rule sets for Nghị quyết
// 179/2019/NQ-HĐND of Hà Tĩnh: who is eligible, the monthly top-up, and
// (see its other commands) sponsorship quotas.
//
// Usage:
//
//	hotro check [DIR]
//	hotro test [DIR]
//	hotro eval --date YYYY-MM-DD [--rules DIR] [--explain] [--out FILE] FILE
//	hotro schedule --from YYYY-MM --to YYYY-MM [--rules DIR] [--out FILE] FILE
//	hotro quota --date YYYY-MM-DD --units FILE --persons FILE [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]
//	hotro allocate --date YYYY-MM-DD --units FILE --persons FILE [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]
//	hotro monitor --from YYYY-MM --to YYYY-MM --commitments FILE --persons FILE [--units FILE] [--rules DIR] [--format csv|json] [--report NAME] [--out PATH]
//	hotro schema [--ruleset | --rules] [--out FILE]
//	hotro serve [--rules DIR] [--addr 127.0.0.1:8080] [flags]
//	hotro diff --new DIR [--base DIR] (--date YYYY-MM-DD | --from YYYY-MM --to YYYY-MM) [--units FILE] [--format text|csv|json] [--report NAME] [--per-person] [--out PATH] FILE
//
// Without DIR or --rules, the rule sets embedded in the program are used.
// Exit status: 0 when all went well, 1 when the rules or some record had
// errors (rows in error still appear in the output), 2 on wrong usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/hotro-vn/hotro/rulesets"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand. run returns the exit status.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by each file's init, so a file adds its commands
// without touching this one.
var commands = map[string]command{}

// policy is the --policy flag of every command.
var policy string

// stdin is what a command reads for the file "-"; tests replace it.
var stdin io.Reader = os.Stdin

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hotro: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: hotro <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `hotro <command> -h` for a command's flags.")
}

// flags returns a flag set that reports to stderr and does not exit.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hotro "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&policy, "policy", "", "the policy whose rule sets to load, when the rules hold several (default: "+rulesets.DefaultPolicy+" for the embedded rules)")
	return fs
}

// parse parses flags placed before or after the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, -1
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// output opens --out or returns stdout.
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// job is one output: where it goes (a file, or "" for stdout) and what writes it.
type job struct {
	path string
	fn   func(io.Writer) error
}

// writeAll writes every job, stopping at the first error, which it prints.
func writeAll(jobs []job, stdout, stderr io.Writer) bool {
	for _, j := range jobs {
		w, closeOut, err := output(j.path, stdout)
		if err == nil {
			err = j.fn(w)
			if cerr := closeOut(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "hotro: %v\n", err)
			return false
		}
	}
	return true
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }
