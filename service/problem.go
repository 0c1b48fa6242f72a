package service

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/hotro-vn/hotro/rules"
)

// Problem is an error answer, RFC 9457 problem details
// (application/problem+json). Type is a stable machine key of the form
// urn:hotro:problem:KEY; Title is English, DetailVI Vietnamese for staff.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	DetailVI string `json:"detail_vi,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Errors are positioned problems in rule files (a rejected what-if).
	Errors []RuleError `json:"errors,omitempty"`
}

// RuleError is one problem in a rule file, as rules.Error.
type RuleError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The problem keys, stable for clients.
const (
	probBadRequest   = "bad-request"
	probBodyTooLarge = "body-too-large"
	probBatchTooBig  = "batch-too-large"
	probUnsupported  = "unsupported-media-type"
	probNotFound     = "not-found"
	probMethod       = "method-not-allowed"
	probNoRuleSet    = "no-rule-set"
	probBadRules     = "invalid-rules"
	probTimeout      = "timeout"
	probInternal     = "internal"
	probUnauthorized = "unauthorized"
	probAdminOff     = "admin-disabled"
	probReload       = "reload-failed"
	probNotReady     = "not-ready"
)

var problemTitles = map[string]string{
	probBadRequest:   "Bad request",
	probBodyTooLarge: "Request body too large",
	probBatchTooBig:  "Too many records in one request",
	probUnsupported:  "Unsupported media type",
	probNotFound:     "Not found",
	probMethod:       "Method not allowed",
	probNoRuleSet:    "No rule set for the request",
	probBadRules:     "The rules of the request do not load",
	probTimeout:      "The request took too long",
	probInternal:     "Internal error",
	probUnauthorized: "Admin token missing or wrong",
	probAdminOff:     "Admin endpoints are disabled",
	probReload:       "Reload failed; the rules in force are unchanged",
	probNotReady:     "No rule set loaded",
}

func problem(status int, key, detail, detailVI string) *Problem {
	return &Problem{Type: "urn:hotro:problem:" + key, Title: problemTitles[key], Status: status, Detail: detail, DetailVI: detailVI}
}

// writeProblem writes p with its status.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = requestID(r)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// ruleErrors lists the positioned problems of err, a rules.Errors, with
// their file names under prefix.
func ruleErrors(err error) []RuleError {
	var list rules.Errors
	if !errors.As(err, &list) {
		return []RuleError{{Code: "error", Message: err.Error()}}
	}
	out := make([]RuleError, len(list))
	for i, e := range list {
		out[i] = RuleError{File: e.File, Line: e.Line, Column: e.Column, Code: string(e.Code), Message: e.Message}
	}
	return out
}

type errString string

func (e errString) Error() string { return string(e) }

// trimPath removes the temporary path p (and a following ": ") from msg.
func trimPath(msg, p string) string {
	msg = strings.ReplaceAll(msg, p+": ", "")
	return strings.ReplaceAll(msg, p, "request")
}
