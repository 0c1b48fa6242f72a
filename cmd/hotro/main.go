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
//	hotro papers commitments --date YYYY-MM-DD --commitments FILE --units FILE --persons FILE [--out FILE.html|DIR/]
//	hotro papers payments --month YYYY-MM --commitments FILE --units FILE --persons FILE [--out FILE.html|DIR/]
//	hotro papers beneficiaries --date YYYY-MM-DD --persons FILE [--out FILE.html|DIR/]
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
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hotro-vn/hotro/rulesets"
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
	defer func(l string) { lang = l }(lang)
	if l, ok := langOf(args); ok {
		if l != "vi" && l != "en" {
			fmt.Fprintf(stderr, "hotro: --lang %q: want vi or en / --lang nhận vi hoặc en\n", l)
			return 2
		}
		lang = l
		args = dropLang(args)
	}
	helpOut = stdout
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, tr("hotro: unknown command %q\n", "hotro: không có lệnh %q\n"), args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

// helpOut is where -h and --help print: standard output.
var helpOut io.Writer = os.Stdout

// dropLang removes --lang and its value from args: run has read it.
func dropLang(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		name, _, eq := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "lang" {
			if !eq {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

func usage(w io.Writer) {
	fmt.Fprintln(w, tr("usage: hotro <command> [arguments]\n\ncommands:", "cách dùng: hotro <lệnh> [tham số]\n\ncác lệnh:"))
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, tr(commands[n].summary, summariesVI[n]))
	}
	fmt.Fprintln(w, tr("\nRun `hotro <command> -h` for a command's flags. Every command takes --lang vi|en\n(default: Vietnamese when LC_ALL, LC_MESSAGES or LANG starts with vi).",
		"\nXem các tùy chọn của một lệnh: `hotro <lệnh> -h`. Mọi lệnh nhận --lang vi|en\n(mặc định: tiếng Việt khi LC_ALL, LC_MESSAGES hoặc LANG bắt đầu bằng vi)."))
}

// flags returns a flag set that reports to stderr and does not exit.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hotro "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&policy, "policy", "", tr("the policy whose rule sets to load, when the rules hold several (default: "+rulesets.DefaultPolicy+" for the embedded rules)",
		"chính sách có các bộ quy tắc cần nạp, khi thư mục có nhiều chính sách (mặc định: "+rulesets.DefaultPolicy+" với bộ quy tắc có sẵn)"))
	fs.String("lang", lang, tr("language of messages: vi or en (default from LC_ALL, LC_MESSAGES, LANG)", "ngôn ngữ của thông báo: vi hoặc en (mặc định theo LC_ALL, LC_MESSAGES, LANG)"))
	fs.Usage = func() {} // parse prints it, to stdout for -h
	return fs
}

// printUsage prints a command's flags to w.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	out := fs.Output()
	fs.SetOutput(w)
	fmt.Fprintf(w, tr("usage of %s:\n", "cách dùng %s:\n"), fs.Name())
	translateFlags(fs)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

// parse parses flags placed before or after the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(fs, helpOut)
				return nil, 0
			}
			printUsage(fs, fs.Output())
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
	if isDir(path) {
		return nil, nil, fmt.Errorf(tr("%s is a directory: this command writes one file; give a file name", "%s là một thư mục: lệnh này ghi một tệp; hãy cho tên tệp"), path)
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return nil, nil, fmt.Errorf(tr("%s names a directory: this command writes one file; give a file name", "%s là tên thư mục: lệnh này ghi một tệp; hãy cho tên tệp"), path)
	}
	if dir := filepath.Dir(path); !isDir(dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
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
