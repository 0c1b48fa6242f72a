// Package service is hotro over HTTP and JSON, so that provincial systems
// in any language use the rules: POST /v1/decide, /v1/schedule, /v1/quota,
// /v1/plan and /v1/impact; GET /v1/rulesets, /v1/rulesets/{id},
// /v1/status, /openapi.json (OpenAPI 3.1, generated from the loaded rule
// sets), /healthz, /readyz and /metrics (Prometheus, names prefixed
// hotro_). docs/api.md describes every endpoint with curl examples.
//
// # Use
//
// New loads the rules (a directory, or the embedded sets), checks them and
// runs their test cases; the Server is an http.Handler an embedding Go
// program mounts, or that `hotro serve` listens with.
//
//	s, err := service.New(service.Options{Rules: "rules/"})
//	http.ListenAndServe("127.0.0.1:8080", s)
//
// # Answers
//
// Every answer names the rule set (id, status, hash) that decided it, and
// each decision has an id (the request id and the record's position).
// Money is a JSON string of whole đồng. One result per record, in order: a
// bad record gets its error and never fails the others. Errors are RFC 9457
// problem details with a stable type (urn:hotro:problem:KEY), an English
// title and a Vietnamese detail_vi.
//
// # Reload
//
// Reload (on SIGHUP, a change under the rules directory seen by Watch, or
// POST /v1/admin/reload with the admin token) loads the rules again, checks
// them and runs their cases; only rules that pass replace the old ones, in
// one atomic swap. A request works from start to end on the rules it
// started with. A failed reload keeps the old rules and shows its
// positioned errors at GET /v1/status.
//
// # Limits
//
// A body size limit, a batch size limit, a per-request timeout that stops a
// batch between chunks of records, panics recovered (logged, 500), admin
// endpoints only with a token, CORS only for configured origins. The
// server never reads the clock to decide: dates come in the request; it
// reads the clock only for logs.
//
// # Records
//
// The only code that knows the shape of a record is in records.go
// (decodeRecords, decodeUnits, recordSchema, unitSchema), so that rule
// sets that declare their own records change it alone.
package service
