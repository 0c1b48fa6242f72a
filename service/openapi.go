package service

import (
	"encoding/json"
	"strings"
)

// buildOpenAPI writes the OpenAPI 3.1 document of the API over the rule
// sets of st: the record schemas come from the sets (recordSchema,
// unitSchema), one per set, and the document names the sets and hashes.
func buildOpenAPI(st *state) ([]byte, error) {
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	str := map[string]any{"type": "string"}
	strs := map[string]any{"type": "array", "items": str}
	obj := func(props map[string]any, required ...string) map[string]any {
		o := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	arr := func(items any) map[string]any { return map[string]any{"type": "array", "items": items} }
	money := map[string]any{"type": "string", "pattern": `^-?[0-9]+$`, "description": "whole đồng, as a JSON string of digits (never a float)"}
	date := map[string]any{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
	month := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}$`, "description": "YYYY-MM"}
	text := obj(map[string]any{"vi": str, "en": str})

	schemas := map[string]any{}
	var persons, units []any
	var hashes []string
	for _, s := range st.lib.Sets() {
		schemas["PersonRecord-"+s.Meta.ID] = recordSchema(s)
		schemas["Unit-"+s.Meta.ID] = unitSchema(s)
		persons = append(persons, ref("PersonRecord-"+s.Meta.ID))
		units = append(units, ref("Unit-"+s.Meta.ID))
		hashes = append(hashes, s.Meta.ID+"@"+s.ShortHash())
	}
	schemas["PersonRecord"] = map[string]any{"anyOf": persons, "description": "A person record of the rule set in force on the date."}
	schemas["Unit"] = map[string]any{"anyOf": units}
	schemas["RuleSetRef"] = obj(map[string]any{"id": str, "status": map[string]any{"type": "string", "enum": []string{"enacted", "draft"}}, "hash": str}, "id", "status", "hash")
	schemas["FieldProblem"] = obj(map[string]any{"field": str, "value": str, "message": str}, "message")
	schemas["Reason"] = obj(map[string]any{"rule": str, "pass": map[string]any{"type": "boolean"}, "cites": str, "status": str, "message": text,
		"values": map[string]any{"type": "object", "additionalProperties": str}}, "rule", "pass", "cites", "status", "message", "values")
	schemas["DecideResult"] = map[string]any{
		"type": "object", "description": "One record's decision, or its error (then eligible and monthly_topup are absent).",
		"properties": map[string]any{"decision_id": str, "person_id": str, "eligible": map[string]any{"type": "boolean"}, "monthly_topup": money,
			"failed_rules": strs, "error": str, "problems": arr(ref("FieldProblem")), "reasons": arr(ref("Reason"))},
		"required": []string{"decision_id", "person_id", "failed_rules"}, "additionalProperties": false,
	}
	schemas["DecideRequest"] = obj(map[string]any{"date": date, "records": arr(ref("PersonRecord")), "explain": map[string]any{"type": "boolean"},
		"policy": map[string]any{"type": "string", "description": "the id of the rule set expected to decide; another one in force on the date is refused"}}, "date", "records")
	schemas["DecideResponse"] = obj(map[string]any{"ruleset": ref("RuleSetRef"), "request_id": str, "date": date,
		"results": arr(ref("DecideResult")), "warnings": strs}, "ruleset", "request_id", "date", "results", "warnings")
	schemas["ScheduleRequest"] = obj(map[string]any{"from": month, "to": month, "records": arr(ref("PersonRecord")), "policy": str}, "from", "to", "records")
	schemas["ScheduleMonth"] = obj(map[string]any{"month": month, "eligible": map[string]any{"type": "boolean"}, "monthly_topup": money, "failed_rules": strs,
		"ruleset": str, "ruleset_hash": str}, "month", "eligible", "monthly_topup", "failed_rules", "ruleset", "ruleset_hash")
	schemas["ScheduleResult"] = obj(map[string]any{"decision_id": str, "person_id": str, "months": arr(ref("ScheduleMonth")), "total": money,
		"error": str, "problems": arr(ref("FieldProblem"))}, "decision_id", "person_id", "months")
	schemas["ScheduleResponse"] = obj(map[string]any{"rulesets": arr(ref("RuleSetRef")), "request_id": str, "from": month, "to": month,
		"results": arr(ref("ScheduleResult")), "warnings": strs}, "rulesets", "request_id", "from", "to", "results", "warnings")
	schemas["PlanRequest"] = obj(map[string]any{"date": date, "units": arr(ref("Unit")), "persons": arr(ref("PersonRecord")), "policy": str}, "date", "units", "persons")
	schemas["PlanResponse"] = obj(map[string]any{"ruleset": ref("RuleSetRef"), "request_id": str, "warnings": strs,
		"plan": obj(map[string]any{"rule_set": str, "rule_set_hash": str, "levels": strs, "allocated": map[string]any{"type": "boolean"},
			"units": arr(map[string]any{"type": "object"}), "sponsorships": arr(map[string]any{"type": "object"}), "areas": arr(map[string]any{"type": "object"})},
			"rule_set", "rule_set_hash", "units", "sponsorships", "areas")}, "ruleset", "request_id", "plan", "warnings")
	schemas["ImpactRequest"] = map[string]any{
		"type": "object", "required": []string{"records"},
		"description": "Either date or from and to; either overrides or against.",
		"properties": map[string]any{"date": date, "from": month, "to": month, "records": arr(ref("PersonRecord")),
			"overrides": map[string]any{"type": "object", "description": "parameter name → new value from the first day compared on (string of whole đồng, number, boolean, or an object keyed like the parameter)",
				"additionalProperties": map[string]any{"type": []string{"string", "number", "boolean", "object"}}},
			"against": map[string]any{"type": "string", "description": "the id of a candidate rule set (serve --candidate DIR)"}},
	}
	schemas["ImpactResponse"] = obj(map[string]any{"ruleset": ref("RuleSetRef"), "new_rulesets": arr(ref("RuleSetRef")), "request_id": str, "warnings": strs,
		"overridden": map[string]any{"type": "object"},
		"report": obj(map[string]any{"from": month, "to": month, "base": arr(map[string]any{"type": "object"}), "new": arr(map[string]any{"type": "object"}),
			"summary": map[string]any{"type": "object"}, "persons": arr(map[string]any{"type": "object"})}, "from", "to", "base", "new", "summary", "persons")},
		"ruleset", "new_rulesets", "request_id", "report", "warnings")
	schemas["RuleSetSummary"] = obj(map[string]any{"id": str, "title": str, "phase": obj(map[string]any{"from": date, "to": date}, "from", "to"),
		"status": str, "hash": str, "models": strs}, "id", "title", "phase", "status", "hash", "models")
	schemas["RuleSets"] = obj(map[string]any{"rulesets": arr(ref("RuleSetSummary"))}, "rulesets")
	schemas["RuleSetDetail"] = map[string]any{"allOf": []any{ref("RuleSetSummary"), obj(map[string]any{
		"description": str, "jurisdiction": map[string]any{"type": "object"}, "levels": arr(map[string]any{"type": "object"}),
		"sources": arr(map[string]any{"type": "object"}), "interpretations": arr(map[string]any{"type": "object"}),
		"model_details": arr(obj(map[string]any{"name": str, "inputs": arr(map[string]any{"type": "object"}),
			"rules":    arr(obj(map[string]any{"id": str, "when": str, "cites": str, "status": str, "message": text}, "id", "cites", "status")),
			"formulas": arr(map[string]any{"type": "object"})}, "name", "inputs", "rules", "formulas")),
		"parameters": arr(obj(map[string]any{"name": str, "type": str, "status": str, "values": arr(obj(map[string]any{
			"from": date, "to": date, "value": str, "by_key": map[string]any{"type": "object", "additionalProperties": str}, "source": str}, "source"))},
			"name", "type", "status", "values")),
		"cases": map[string]any{"type": "integer"}}, "parameters", "model_details", "interpretations", "sources")}}
	ruleErr := obj(map[string]any{"file": str, "line": map[string]any{"type": "integer"}, "column": map[string]any{"type": "integer"}, "code": str, "message": str}, "file", "code", "message")
	schemas["Status"] = obj(map[string]any{"ok": map[string]any{"type": "boolean"}, "time": map[string]any{"type": "string", "format": "date-time"},
		"trigger": str, "active": arr(ref("RuleSetRef")), "errors": arr(ruleErr)}, "ok", "time", "active")
	schemas["Ready"] = obj(map[string]any{"ready": map[string]any{"type": "boolean"}, "rulesets": arr(ref("RuleSetRef"))}, "ready", "rulesets")
	schemas["Health"] = obj(map[string]any{"status": str}, "status")
	schemas["Problem"] = obj(map[string]any{"type": map[string]any{"type": "string", "format": "uri"}, "title": str, "status": map[string]any{"type": "integer"},
		"detail": str, "detail_vi": str, "instance": str, "errors": arr(ruleErr)}, "type", "title", "status")

	problemResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/problem+json": map[string]any{"schema": ref("Problem")}}}
	}
	okResp := func(schema string) map[string]any {
		return map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": ref(schema)}}}
	}
	post := func(id, summary, req, resp string) map[string]any {
		return map[string]any{"post": map[string]any{
			"operationId": id, "summary": summary,
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(req)}}},
			"responses": map[string]any{
				"200": okResp(resp),
				"400": problemResp("the body is not the JSON this endpoint takes, or a date or month is wrong"),
				"405": problemResp("method not allowed"),
				"413": problemResp("body or batch too large"),
				"415": problemResp("not JSON"),
				"422": problemResp("no rule set for the date, or invalid what-if rules"),
				"500": problemResp("internal error (logged)"),
				"503": problemResp("the request took too long"),
			},
		}}
	}
	get := func(id, summary, resp string, extra map[string]any) map[string]any {
		responses := map[string]any{"200": okResp(resp), "405": problemResp("method not allowed")}
		for k, v := range extra {
			responses[k] = v
		}
		return map[string]any{"get": map[string]any{"operationId": id, "summary": summary, "responses": responses}}
	}
	rulesetByID := get("getRuleSet", "A rule set: rules with citations, parameters with dated values and sources, interpretations", "RuleSetDetail",
		map[string]any{"404": problemResp("no such rule set")})
	rulesetByID["parameters"] = []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": str}}
	reload := map[string]any{"post": map[string]any{
		"operationId": "reload", "summary": "Load the rules again; swap them in only if they load, check and pass their cases",
		"security": []any{map[string]any{"adminToken": []any{}}},
		"responses": map[string]any{"200": okResp("Status"), "401": problemResp("token missing or wrong"), "403": problemResp("admin disabled"),
			"405": problemResp("method not allowed"), "422": problemResp("the new rules fail; the old stay")},
	}}
	doc := map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": map[string]any{
			"title":   "hotro",
			"version": strings.Join(hashes, " "),
			"description": "Rules as code for Hà Tĩnh's NQ 179/2019/NQ-HĐND. Every answer names the rule set (id, status, hash) that decided. " +
				"Money is a JSON string of whole đồng (\"1230000\"), never a number. Errors are RFC 9457 problem details.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"paths": map[string]any{
			"/v1/decide":        post("decide", "Eligibility and the monthly top-up for each record, in order", "DecideRequest", "DecideResponse"),
			"/v1/schedule":      post("schedule", "Each record month by month, each month with its own parameters", "ScheduleRequest", "ScheduleResponse"),
			"/v1/quota":         post("quota", "What each sponsoring unit owes", "PlanRequest", "PlanResponse"),
			"/v1/plan":          post("plan", "Who sponsors whom, level by level", "PlanRequest", "PlanResponse"),
			"/v1/impact":        post("impact", "What a change of parameters or rules does to the records", "ImpactRequest", "ImpactResponse"),
			"/v1/rulesets":      get("listRuleSets", "The rule sets in force", "RuleSets", nil),
			"/v1/rulesets/{id}": rulesetByID,
			"/v1/status":        get("status", "The last load of the rules, with positioned errors when it failed", "Status", nil),
			"/v1/admin/reload":  reload,
			"/healthz":          get("healthz", "The process answers", "Health", nil),
			"/readyz":           get("readyz", "Rules are loaded; their hashes", "Ready", map[string]any{"503": problemResp("no rules loaded")}),
			"/openapi.json":     map[string]any{"get": map[string]any{"operationId": "openapi", "summary": "This document", "responses": map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}}}},
			"/metrics":          map[string]any{"get": map[string]any{"operationId": "metrics", "summary": "Prometheus metrics (hotro_*)", "responses": map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"text/plain": map[string]any{"schema": str}}}}}},
		},
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"adminToken": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
	return json.MarshalIndent(doc, "", " ")
}
