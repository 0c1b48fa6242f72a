package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hotro-vn/hotro/service"
	"github.com/hotro-vn/hotro/workbench"
)

func init() {
	commands["serve"] = command{"serve the rules over HTTP/JSON (docs/api.md); reload on SIGHUP or a change in --rules", cmdServe}
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := flags("serve", stderr)
	var o service.Options
	var candidates, cors, mask listFlag
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default; 127.0.0.1:0 picks a free port)")
	fs.StringVar(&o.Rules, "rules", "", "rule set directory (default: the embedded rules)")
	fs.Var(&candidates, "candidate", "a rule set directory POST /v1/impact may compare against (repeatable)")
	fs.Int64Var(&o.MaxBodyBytes, "max-body", 32<<20, "largest request body, bytes")
	fs.IntVar(&o.MaxBatch, "max-batch", 10000, "most records in one request")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "longest time spent on one request")
	adminEnv := fs.String("admin-token-env", "HOTRO_ADMIN_TOKEN", "environment variable holding the admin token (empty value: admin endpoints off)")
	fs.Var(&cors, "cors-origin", "an origin allowed to call from a browser, or * (repeatable; default: no CORS)")
	fs.StringVar(&o.DecisionLog, "decision-log", "", "append every decision as a JSON line to this file")
	fs.Int64Var(&o.DecisionLogMaxBytes, "decision-log-max", 100<<20, "rotate the decision log at this size, bytes")
	fs.Var(&mask, "mask", "a record key the decision log masks (repeatable; default: full_name and national id keys)")
	watch := fs.Duration("watch", 2*time.Second, "look for changes in --rules this often (0: never)")
	workspace := fs.String("workspace", "hotro-workspace", "directory the workbench at / keeps its drafts in (created with the first draft)")
	addrFile := fs.String("addr-file", "", "write the address listened on to this file once ready (for scripts using port 0)")
	pos, code := parse(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 0 {
		fmt.Fprintln(stderr, "usage: hotro serve [--rules DIR] [--addr 127.0.0.1:8080] [flags]")
		return 2
	}
	o.Candidates, o.CORSOrigins, o.Policy = candidates, cors, policy
	if len(mask) > 0 {
		o.Mask = mask
	}
	if *adminEnv != "" {
		o.AdminToken = os.Getenv(*adminEnv)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	o.Logger = log
	s, err := service.New(o)
	if err != nil {
		printRuleErrors(err, stderr)
		return 1
	}
	defer s.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "hotro serve: %v\n", err)
		return 1
	}
	if host, _, _ := net.SplitHostPort(*addr); !isLoopback(host) {
		log.Warn("listening beyond loopback: put the service behind a proxy with TLS and access control", "addr", ln.Addr().String())
	}
	wb, err := workbench.New(workbench.Options{InForce: s.InForce, Workspace: *workspace, Today: time.Now, Logger: log, Populations: examplePopulations()})
	if err != nil {
		fmt.Fprintf(stderr, "hotro serve: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: wb.Mount(s), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: o.Timeout + 10*time.Second,
		WriteTimeout: o.Timeout + 10*time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				_ = s.Reload("SIGHUP")
			}
		}
	}()
	go s.Watch(ctx, *watch)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "rules", o.Rules, "admin", o.AdminToken != "")
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			fmt.Fprintf(stderr, "hotro serve: %v\n", err)
		}
	}
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "hotro serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), o.Timeout+5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "hotro serve: shutdown: %v\n", err)
		return 1
	}
	return 0
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
