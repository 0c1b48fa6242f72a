package service

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// defaultMask is the record keys a decision log masks unless told otherwise:
// the name, and any key that names a national id (CCCD, CMND).
var defaultMask = []string{"full_name", "national_id", "cccd", "cmnd", "id_number", "so_cccd", "so_cmnd"}

// nationalID matches keys that hold a national id whatever they are called.
var nationalID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(national_?id|cccd|cmnd|can_cuoc|id_card)`) })

// decisionLog appends one JSON line per decision to a file, rotated by size.
type decisionLog struct {
	mu       sync.Mutex
	path     string
	maxBytes int64
	keep     int
	mask     map[string]bool
	f        *os.File
	size     int64
}

func openDecisionLog(path string, maxBytes int64, keep int, mask []string) (*decisionLog, error) {
	l := &decisionLog{path: path, maxBytes: maxBytes, keep: keep, mask: map[string]bool{}}
	for _, m := range mask {
		l.mask[m] = true
	}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *decisionLog) open() error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("decision log: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("decision log: %w", err)
	}
	l.f, l.size = f, info.Size()
	return nil
}

// rotate moves FILE to FILE.1, FILE.1 to FILE.2 … keeping l.keep old files.
func (l *decisionLog) rotate() error {
	if err := l.f.Close(); err != nil {
		return err
	}
	os.Remove(fmt.Sprintf("%s.%d", l.path, l.keep))
	for i := l.keep - 1; i >= 1; i-- {
		os.Rename(fmt.Sprintf("%s.%d", l.path, i), fmt.Sprintf("%s.%d", l.path, i+1))
	}
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return err
	}
	return l.open()
}

// Close closes the file.
func (l *decisionLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Close()
}

// logEntry is one line of the decision log: enough to decide again from
// (ruleset hash, date, input).
type logEntry struct {
	DecisionID string          `json:"decision_id"`
	Time       string          `json:"time"`
	RuleSet    RuleSetRef      `json:"ruleset"`
	Date       string          `json:"date"`
	Input      json.RawMessage `json:"input"`
	Output     DecideResult    `json:"output"`
}

// masked returns the record with the masked keys' values replaced by "***".
func (l *decisionLog) masked(raw json.RawMessage) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return raw // not an object: its error is in the output
	}
	for k := range obj {
		if l.mask[k] || nationalID().MatchString(k) {
			obj[k] = json.RawMessage(`"***"`)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return raw
	}
	return b
}

// logDecisions writes one line per result; elems are the request's
// records as written, one per result.
func (s *decisionLog) logDecisions(set RuleSetRef, date string, elems []string, results []DecideResult) {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, r := range results {
		e := logEntry{DecisionID: r.DecisionID, Time: now, RuleSet: set, Date: date, Output: r, Input: json.RawMessage("null")}
		if len(elems) == len(results) {
			e.Input = s.masked(json.RawMessage(elems[i]))
		}
		e.Output.Problems = nil
		for _, p := range r.Problems {
			if s.mask[p.Field] || nationalID().MatchString(p.Field) {
				if p.Value != "" {
					e.Output.Error = strings.ReplaceAll(e.Output.Error, p.Value, "***")
				}
				p.Value = "***"
			}
			e.Output.Problems = append(e.Output.Problems, p)
		}
		_ = enc.Encode(e)
	}
	w.Flush()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size > 0 && s.size+int64(buf.Len()) > s.maxBytes {
		if err := s.rotate(); err != nil {
			fmt.Fprintf(os.Stderr, "hotro: decision log: %v\n", err)
			return
		}
	}
	n, _ := s.f.Write(buf.Bytes())
	s.size += int64(n)
}
