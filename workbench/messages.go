package workbench

import (
	"html/template"
	"io/fs"
	"strings"
)

// messages are the texts of the pages, Vietnamese first; ?lang=en switches
// to English. Every key is in both (a test checks it).
var messages = map[string]map[string]string{
	"vi": {
		"accept": "Dùng giá trị tính được", "add_value": "Thêm mức", "back_home": "Về trang đầu", "base": "Đang áp dụng",
		"batch_intro": "Tải lên danh sách người (Excel .xlsx hoặc .csv, như danh sách của xã) để xét từng người theo bộ quy tắc đang áp dụng vào ngày xét. Dòng nào có lỗi được chỉ ra theo dòng và cột; không dòng nào bị bỏ.",
		"by_commune":  "Theo xã", "by_district": "Theo huyện", "by_month": "Từng tháng", "by_rule": "Được thêm và bị mất theo điều kiện",
		"case": "Ca kiểm thử", "case_name": "Tên ca", "cases": "Ca kiểm thử", "cases_run": "Chạy ca kiểm thử", "cell": "Ô", "changed": "Đổi kết quả",
		"check_failed": "Bản dự thảo có lỗi — chưa dùng được", "check_ok": "Kiểm tra: không có lỗi", "choose_pop": "Hãy chọn một danh sách hoặc tải lên một tệp.",
		"cites": "Căn cứ", "column": "Cột", "compare": "So sánh", "computed": "Các giá trị tính được", "condition": "Điều kiện (biểu thức)",
		"cost_month": "Chi phí theo tháng", "cost_total": "Tổng chi (các tháng so sánh)", "cost_year": "Chi phí theo năm",
		"cov_rules": "Điều kiện có ca đạt và không đạt:", "cov_values": "Mức tham số có ca rơi vào:", "coverage": "Độ bao phủ của ca kiểm thử",
		"date": "Ngày xét", "decide": "Xét", "decide_list": "Xét danh sách", "delta": "Chênh lệch", "delta_by_commune": "Chênh lệch theo xã",
		"delta_by_district": "Chênh lệch theo huyện", "delta_by_province": "Chênh lệch theo tỉnh",
		"download_gone": "Kết quả này không còn; hãy xét lại danh sách.", "download_xlsx": "Tải kết quả (Excel .xlsx)", "download_zip": "Tải bộ quy tắc (.zip)",
		"draft": "Dự thảo", "draft_as_set": "Bản dự thảo đọc như một bộ quy tắc", "draft_broken": "Bản dự thảo còn lỗi; sửa lỗi trước khi so sánh tác động.",
		"draft_intro": "Mỗi thay đổi được ghi ngay vào thư mục làm việc", "draft_never": "Bản dự thảo không bao giờ thay bộ quy tắc đang áp dụng: muốn ban hành thì tải tệp .zip và chuyển cho bộ phận kỹ thuật.",
		"drafts": "Các bản dự thảo", "drafts_intro": "Soạn một thay đổi: bắt đầu từ một bộ quy tắc, sửa mức tham số, ngưỡng, lời văn của điều kiện và các ca kiểm thử bằng biểu mẫu. Mỗi lần sửa, chương trình kiểm tra bản dự thảo và chạy các ca kiểm thử.",
		"eligible": "Là đối tượng được hỗ trợ", "eligible_n": "đối tượng", "fail": "không đạt", "failed": "không đạt", "failed_rules": "Điều kiện không đạt",
		"file": "Tệp danh sách", "fix_fields": "Hồ sơ có ô chưa đúng; xem ghi chú bên cạnh từng ô.", "fix_yaml": "Tệp này đang lỗi cú pháp YAML; hãy sửa trong khung YAML.",
		"footer":  "hotro — bàn làm việc cho cán bộ chính sách. Mọi thứ chạy trên máy này; không có gì được tải từ Internet.",
		"formula": "Công thức", "formulas": "Công thức", "from": "Từ ngày", "from_month": "Từ tháng", "gain": "Được thêm", "id": "Mã",
		"impact": "Tác động của thay đổi", "impact_intro": "So sánh bản dự thảo với bộ quy tắc đang áp dụng trên cùng một danh sách người: ai được thêm, ai bị mất diện hỗ trợ, và chi phí theo tháng, năm, xã, huyện.",
		"in_error": "có lỗi", "in_force": "Các bộ quy tắc đang áp dụng", "in_words": "Nội dung", "interps": "Diễn giải",
		"lose": "Bị mất", "month": "tháng", "months": "tháng", "monthly_total": "tổng mức hỗ trợ hằng tháng",
		"more_less_same": "Mức hỗ trợ tăng / giảm / không đổi", "name": "Họ và tên",
		"nav_batch": "Xét danh sách", "nav_draft": "Soạn thay đổi", "nav_rules": "Bộ quy tắc", "nav_try": "Thử một trường hợp",
		"need_from_source": "Một mức mới cần ngày bắt đầu áp dụng và văn bản căn cứ.", "new": "Dự thảo", "no": "Không",
		"no_districts": "Không có số liệu theo huyện: từ 01/7/2025 không còn cấp huyện.", "no_drafts": "Chưa có bản dự thảo nào.",
		"no_result": "Ca này không tính được; hãy sửa giá trị mong đợi bằng tay.", "no_rule_change": "Không ai được thêm hay bị mất diện hỗ trợ.",
		"no_workspace": "Chưa có thư mục làm việc: chạy hotro serve với --workspace THƯ_MỤC.", "not_eligible": "Không là đối tượng được hỗ trợ",
		"not_found": "Không có trang này.", "bad_date": "Ngày phải viết NĂM-THÁNG-NGÀY.", "bad_month": "Tháng phải viết NĂM-THÁNG.",
		"bad_text":  "Nội dung không phải văn bản UTF-8 hoặc quá lớn.",
		"or_months": "hoặc từng tháng", "or_upload": "hoặc tải lên danh sách", "other_lang": "English", "params": "Tham số",
		"pass": "đạt", "passed": "đạt", "person": "Mã đối tượng", "phase": "Giai đoạn", "population": "Danh sách người", "problem": "Lỗi",
		"record_errors": "Các hồ sơ có lỗi", "records": "hồ sơ", "result": "Kết quả", "results": "Kết quả từng người", "row": "Dòng",
		"rule": "Điều kiện", "rules_h": "Điều kiện", "rules_intro": "Các bộ quy tắc chương trình đang áp dụng, mỗi bộ cho một giai đoạn, và các bản dự thảo trong thư mục làm việc.",
		"ruleset": "Bộ quy tắc", "save": "Lưu", "save_check": "Lưu và kiểm tra", "saved": "Đã lưu", "source": "Văn bản căn cứ", "sources": "Văn bản căn cứ",
		"start_draft": "Bắt đầu dự thảo", "start_from": "Từ bộ quy tắc", "started_from": "bắt đầu từ", "status": "Trạng thái", "title": "Tên",
		"to": "Đến ngày", "to_month": "Đến tháng", "topup": "Mức hỗ trợ", "total": "Tổng",
		"try_intro": "Nhập hồ sơ của một người; biểu mẫu được tạo từ khai báo hồ sơ của bộ quy tắc. Chương trình cho biết người đó có là đối tượng không, vì sao, và mức hỗ trợ.",
		"value":     "Giá trị", "values_used": "Giá trị đã dùng", "when": "Thời điểm", "workspace": "Thư mục làm việc", "yes": "Có",
	},
	"en": {
		"accept": "Use the computed values", "add_value": "Add a value", "back_home": "Home", "base": "In force",
		"batch_intro": "Upload a persons list (Excel .xlsx or .csv, as communes keep it) to decide each person under the rules in force on the date. Records in error are shown by row and column; none is dropped.",
		"by_commune":  "By commune", "by_district": "By district", "by_month": "Month by month", "by_rule": "Gained and lost, by rule",
		"case": "Test case", "case_name": "Case name", "cases": "Test cases", "cases_run": "Cases run", "cell": "Cell", "changed": "Outcome changed",
		"check_failed": "The draft has errors — not usable yet", "check_ok": "Check: no errors", "choose_pop": "Choose a list or upload a file.",
		"cites": "Citation", "column": "Column", "compare": "Compare", "computed": "Computed values", "condition": "Condition (expression)",
		"cost_month": "Cost per month", "cost_total": "Total cost (months compared)", "cost_year": "Cost per year",
		"cov_rules": "Rules with a passing and a failing case:", "cov_values": "Parameter values a case falls in:", "coverage": "Coverage of the test cases",
		"date": "Date", "decide": "Decide", "decide_list": "Decide the list", "delta": "Change", "delta_by_commune": "Change by commune",
		"delta_by_district": "Change by district", "delta_by_province": "Change by province",
		"download_gone": "This result is gone; decide the list again.", "download_xlsx": "Download the results (Excel .xlsx)", "download_zip": "Download the rule set (.zip)",
		"draft": "Draft", "draft_as_set": "The draft read as a rule set", "draft_broken": "The draft has errors; fix them before comparing.",
		"draft_intro": "Every change is written at once into the workspace", "draft_never": "A draft never replaces the rules in force: to publish it, download the .zip and hand it to the technical staff.",
		"drafts": "Drafts", "drafts_intro": "Draft a change: start from a rule set, edit parameter values, thresholds, the rules' texts and the test cases in forms. On every change the draft is checked and its cases run.",
		"eligible": "Eligible", "eligible_n": "eligible", "fail": "fails", "failed": "failed", "failed_rules": "Rules failed",
		"file": "Persons file", "fix_fields": "Some fields are wrong; see the note beside each.", "fix_yaml": "This file is not valid YAML; fix it in the YAML view.",
		"footer":  "hotro — a workbench for policy staff. Everything runs on this machine; nothing is fetched from the Internet.",
		"formula": "Formula", "formulas": "Formulas", "from": "From", "from_month": "From month", "gain": "Gained", "id": "Id",
		"impact": "Impact of the change", "impact_intro": "Compare the draft with the rules in force on the same persons: who gains or loses eligibility, and the cost per month, year, commune and district.",
		"in_error": "in error", "in_force": "Rule sets in force", "in_words": "In words", "interps": "Interpretations",
		"lose": "Lost", "month": "month", "months": "months", "monthly_total": "monthly top-ups",
		"more_less_same": "Top-up up / down / same", "name": "Full name",
		"nav_batch": "Decide a list", "nav_draft": "Draft a change", "nav_rules": "Rule sets", "nav_try": "Try a case",
		"need_from_source": "A new value needs the day it applies from and its source.", "new": "Draft", "no": "No",
		"no_districts": "No district figures: there are no districts from 2025-07-01.", "no_drafts": "No drafts yet.",
		"no_result": "This case could not be computed; fix its expected values by hand.", "no_rule_change": "Nobody gains or loses eligibility.",
		"no_workspace": "No workspace: run hotro serve with --workspace DIR.", "not_eligible": "Not eligible",
		"not_found": "No such page.", "bad_date": "Write dates as YYYY-MM-DD.", "bad_month": "Write months as YYYY-MM.",
		"bad_text":  "The text is not UTF-8 or too large.",
		"or_months": "or month by month", "or_upload": "or upload a list", "other_lang": "Tiếng Việt", "params": "Parameters",
		"pass": "passes", "passed": "passed", "person": "Person id", "phase": "Phase", "population": "Persons", "problem": "Problem",
		"record_errors": "Records in error", "records": "records", "result": "Result", "results": "Results, person by person", "row": "Row",
		"rule": "Rule", "rules_h": "Rules", "rules_intro": "The rule sets the program applies, one per phase, and the drafts in the workspace.",
		"ruleset": "Rule set", "save": "Save", "save_check": "Save and check", "saved": "Saved", "source": "Source", "sources": "Sources",
		"start_draft": "Start a draft", "start_from": "From rule set", "started_from": "started from", "status": "Status", "title": "Title",
		"to": "To", "to_month": "To month", "topup": "Top-up", "total": "Total",
		"try_intro": "Enter one person's record; the form is generated from the rule set's record declaration. The answer says whether the person is eligible, why, and the top-up.",
		"value":     "Value", "values_used": "Values used", "when": "When", "workspace": "Workspace", "yes": "Yes",
	},
}

var pageNames = []string{"error", "rulesets", "ruleset", "try", "batch", "drafts", "draft", "yaml", "impact"}

var funcs = template.FuncMap{
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
}

func (w *Workbench) parseTemplates() error {
	w.pages = map[string]*template.Template{}
	sub, err := fs.Sub(assets, "templates")
	if err != nil {
		return err
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).Option("missingkey=error").ParseFS(sub, "layout.html", "set.html", name+".html")
		if err != nil {
			return err
		}
		w.pages[strings.TrimSpace(name)] = t
	}
	return nil
}
