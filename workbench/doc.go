// Package workbench is a workbench for policy staff in the browser: pages,
// in Vietnamese (English with ?lang=en), to see, try and change the rules
// without a terminal. `hotro serve` serves it at / beside the HTTP/JSON API
// of package service.
//
//   - Bộ quy tắc (/bo-quy-tac): the rule sets in force and the drafts; each
//     rule in words with its citation and status, each parameter's dated
//     values on a timeline with their sources, the interpretations, the
//     test cases and their results, coverage.
//   - Thử một trường hợp (/thu): a form generated from the record the rule
//     set declares; the decision with its reasons, the top-up, month by
//     month if asked.
//   - Xét danh sách (/danh-sach): upload a persons list (.xlsx, .csv or
//     .json); the results as a table, per-record errors by row and column,
//     the results as .xlsx.
//   - Soạn thay đổi (/soan): drafts started from a rule set and kept in a
//     workspace directory; parameter values (a dated value added), thresholds,
//     rule texts and test cases edited in forms, or the YAML itself with its
//     errors shown under the lines they point at; every change is checked
//     and the draft's cases run; an impact page compares the draft with the
//     rules in force on a persons list (gained and lost by rule, cost per
//     month, year, commune and district, with SVG charts and their tables);
//     the draft downloads as a zip.
//
// # Safety
//
// The workbench writes only inside its workspace: drafts and files are
// named by patterns checked on every request, and every access goes
// through an os.Root on the workspace. Forms carry a CSRF token (double
// submit, SameSite=Strict cookie, Origin checked); uploads are bounded
// (Options.MaxUpload); only clients on this machine are served unless
// Options.AllowRemote. A draft is loaded on its own, never into the rules
// in force: publishing is a file a person copies, or a reload of the
// service by an admin.
//
// Everything the pages need is embedded (templates, CSS; no script); the
// charts are SVG drawn on the server. The workbench never reads the clock:
// the date a form starts with comes from Options.Today.
package workbench
