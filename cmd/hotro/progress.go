package main

import (
	"flag"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

// A long batch says how far it has gone, on stderr: on its own when stderr
// is a terminal (one line, rewritten), or with --progress (a line every few
// seconds, for a log). Nothing is said in the first seconds, so that short
// runs, and any run without a terminal or the flag, print exactly what they
// always did.

// progressFlag is the --progress flag of the batch commands.
func progressFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("progress", false, tr("report progress on stderr every few seconds (on by itself when stderr is a terminal)",
		"báo tiến độ ra stderr vài giây một lần (tự bật khi stderr là màn hình)"))
}

// progressAfter is how long a run goes before its first report;
// progressEvery the time between reports. Tests shorten them.
var (
	progressAfter = 2 * time.Second
	progressEvery = 2 * time.Second
)

// progress counts records done (and bytes read, when the input's size is
// known) and reports them until stopped. A nil *progress does nothing.
type progress struct {
	w        io.Writer
	tty      bool
	start    time.Time
	n, bytes atomic.Int64
	size     int64 // of the input; 0 = unknown
	unit     [2]string
	stop     chan struct{}
	wg       sync.WaitGroup
	said     bool
}

// startProgress starts reporting on stderr when asked or when stderr is a
// terminal; size is the input's in bytes (0 if unknown), unit what is
// counted, in English and Vietnamese ("records", "hồ sơ").
func startProgress(asked bool, stderr io.Writer, size int64, unitEN, unitVI string) *progress {
	tty := isTerminal(stderr)
	if !asked && !tty {
		return nil
	}
	p := &progress{w: stderr, tty: tty, start: time.Now(), size: size, unit: [2]string{unitEN, unitVI}, stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTimer(progressAfter)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.report()
				t.Reset(progressEvery)
			}
		}
	}()
	return p
}

// done counts n more units done.
func (p *progress) done(n int) {
	if p != nil {
		p.n.Add(int64(n))
	}
}

// reader counts the bytes read through r.
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return progressReader{r, p}
}

type progressReader struct {
	r io.Reader
	p *progress
}

func (r progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.p.bytes.Add(int64(n))
	return n, err
}

func (p *progress) report() {
	n := p.n.Load()
	secs := time.Since(p.start).Seconds()
	rate := int64(0)
	if secs > 0 {
		rate = int64(float64(n) / secs) // a rate shown to a person, not money
	}
	line := tr(fmt.Sprintf("%d %s done, %d a second", n, p.unit[0], rate),
		fmt.Sprintf("đã xét %s %s, %s %s mỗi giây", vnd.Group(decimal.NewFromInt(n)), p.unit[1], vnd.Group(decimal.NewFromInt(rate)), p.unit[1]))
	if p.size > 0 {
		pct := min(100, p.bytes.Load()*100/p.size)
		line += tr(fmt.Sprintf(", %d%% of the file read", pct), fmt.Sprintf(", đã đọc %d%% tệp", pct))
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
	p.said = true
}

// end stops the reports; a terminal's line is cleared for what follows.
func (p *progress) end() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	if p.said && p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
