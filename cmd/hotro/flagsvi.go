package main

import (
	"flag"
	"strings"
)

// flagsVI are the flags' descriptions in Vietnamese, by their English text:
// help under --lang vi prints these (printUsage) for the flags that a
// command declares in English. A description not listed prints as written.
var flagsVI = map[string]string{
	// serve: the workbench
	"directory the workbench at / keeps its drafts in (created with the first draft)": "thư mục bàn làm việc tại / lưu các dự thảo (tạo khi có dự thảo đầu tiên)",
	// quota, allocate, monitor, reconcile
	"plan date YYYY-MM-DD (required): the rule set in force and the top-ups of that day": "ngày lập kế hoạch YYYY-MM-DD (bắt buộc): bộ quy tắc có hiệu lực và mức hỗ trợ của ngày đó",
	"rule set directory (default: the embedded rules)":                                   "thư mục bộ quy tắc (mặc định: bộ quy tắc có sẵn)",
	"units file, .csv or .json (required; see docs/records.md)":                          "tệp đơn vị, .csv hoặc .json (bắt buộc; xem docs/records.md)",
	"persons file, .csv or .json (required; docs/policy.md §10)":                         "tệp danh sách đối tượng, .csv, .json hoặc .xlsx (bắt buộc; docs/policy.md §10)",
	"first month YYYY-MM (required)":                                                     "tháng đầu, viết YYYY-MM (bắt buộc)",
	"last month YYYY-MM (required)":                                                      "tháng cuối, viết YYYY-MM (bắt buộc)",
	"commitments file, .csv or .json (required; see docs/records.md)":                    "tệp cam kết, .csv hoặc .json (bắt buộc; xem docs/records.md)",
	"commitments file, .csv or .json (required)":                                         "tệp cam kết, .csv hoặc .json (bắt buộc)",
	"persons file, .csv or .json (required)":                                             "tệp danh sách đối tượng, .csv, .json hoặc .xlsx (bắt buộc)",
	"units file: when given, every sponsor must be one of its units":                     "tệp đơn vị: khi có, mỗi bên nhận đỡ đầu phải là một đơn vị trong tệp",
	"payments file, .csv or .json (required; see docs/records.md)":                       "tệp các khoản đã chi, .csv hoặc .json (bắt buộc; xem docs/records.md)",
	"units file (required: the payers' sources of mobilisation)":                         "tệp đơn vị (bắt buộc: nguồn vận động của bên chi)",
	// diff
	"rule set directory in force (default: the embedded rules)":                                           "thư mục bộ quy tắc đang áp dụng (mặc định: bộ quy tắc có sẵn)",
	"rule set directory proposed (required)":                                                              "thư mục bộ quy tắc đề xuất (bắt buộc)",
	"compare on this date, YYYY-MM-DD":                                                                    "so sánh tại ngày này, YYYY-MM-DD",
	"compare month by month from this month, YYYY-MM (with --to)":                                         "so sánh từng tháng từ tháng này, YYYY-MM (cùng --to)",
	"last month compared, YYYY-MM":                                                                        "tháng cuối được so sánh, YYYY-MM",
	"units file, .csv or .json: also compare the sponsorship plans, on --date or the first day of --from": "tệp đơn vị, .csv hoặc .json: so sánh cả kế hoạch nhận đỡ đầu, tại --date hoặc ngày đầu của --from",
	"write the per-person CSV (--format csv --report persons)":                                            "ghi CSV theo từng người (--format csv --report persons)",
	"write to this file, or with an existing directory every report into it (default: stdout)":            "ghi vào tệp này, hoặc với một thư mục đã có thì ghi mọi báo cáo vào đó (mặc định: đầu ra chuẩn)",
	// check, test
	"print only problems and warnings":                                                         "chỉ in lỗi và cảnh báo",
	"warn when a parameter's last value is older than this many years":                         "cảnh báo khi giá trị mới nhất của một tham số cũ hơn số năm này",
	"the date staleness is measured from, YYYY-MM-DD (default: today)":                         "ngày dùng để tính độ cũ, YYYY-MM-DD (mặc định: hôm nay)",
	"print every case, not only failures":                                                      "in mọi trường hợp, không chỉ các trường hợp sai",
	"report which rules the cases made pass and fail, and which parameter values they reached": "báo cáo các quy tắc mà các trường hợp kiểm thử đã làm đạt và không đạt, và các giá trị tham số đã dùng tới",
	"fail unless both coverages reach this percentage (implies --coverage)":                    "báo lỗi nếu hai độ bao phủ chưa đạt tỷ lệ phần trăm này (kèm --coverage)",
	// eval, schedule
	"evaluation date YYYY-MM-DD (required)":   "ngày xét YYYY-MM-DD (bắt buộc)",
	"write the output here instead of stdout": "ghi kết quả vào tệp này thay vì đầu ra chuẩn",
	// schema
	"print the schema of ruleset.yaml only":                                                    "chỉ in lược đồ của ruleset.yaml",
	"print the schema of rule files (every file but ruleset.yaml) only":                        "chỉ in lược đồ của các tệp quy tắc (mọi tệp trừ ruleset.yaml)",
	"print the JSON Schema of a file of records (a JSON array) that a model declares":          "in JSON Schema của tệp hồ sơ (một mảng JSON) mà một mô hình khai báo",
	"with --records: the model whose record to print":                                          "cùng --records: mô hình có hồ sơ cần in",
	"with --records: rule set directory (default: the embedded rules)":                         "cùng --records: thư mục bộ quy tắc (mặc định: bộ quy tắc có sẵn)",
	"with --records: the rule set in force on this date YYYY-MM-DD (default: the first phase)": "cùng --records: bộ quy tắc có hiệu lực vào ngày này YYYY-MM-DD (mặc định: giai đoạn đầu)",
	"write to this file instead of standard output":                                            "ghi vào tệp này thay vì đầu ra chuẩn",
	// serve
	"address to listen on (loopback by default; 127.0.0.1:0 picks a free port)": "địa chỉ lắng nghe (mặc định chỉ máy này; 127.0.0.1:0 chọn một cổng còn trống)",
	"a rule set directory POST /v1/impact may compare against (repeatable)":     "một thư mục bộ quy tắc mà POST /v1/impact có thể so sánh (dùng được nhiều lần)",
	"largest request body, bytes":                                                               "kích thước tối đa của thân yêu cầu, tính bằng byte",
	"rotate the decision log at this size, bytes":                                               "chuyển sang tệp nhật ký mới khi đạt kích thước này, tính bằng byte",
	"most records in one request":                                                               "số hồ sơ tối đa trong một yêu cầu",
	"longest time spent on one request":                                                         "thời gian tối đa cho một yêu cầu",
	"environment variable holding the admin token (empty value: admin endpoints off)":           "biến môi trường chứa mã quản trị (giá trị rỗng: tắt các điểm cuối quản trị)",
	"an origin allowed to call from a browser, or * (repeatable; default: no CORS)":             "nguồn được phép gọi từ trình duyệt, hoặc * (dùng được nhiều lần; mặc định: không CORS)",
	"append every decision as a JSON line to this file":                                         "ghi thêm mỗi kết quả xét thành một dòng JSON vào tệp này",
	"a record key the decision log masks (repeatable; default: full_name and national id keys)": "một khóa hồ sơ được che trong nhật ký kết quả (dùng được nhiều lần; mặc định: full_name và các khóa số định danh)",
	"look for changes in --rules this often (0: never)":                                         "chu kỳ kiểm tra thay đổi trong --rules (0: không kiểm tra)",
	"write the address listened on to this file once ready (for scripts using port 0)":          "ghi địa chỉ đang lắng nghe vào tệp này khi sẵn sàng (cho kịch bản dùng cổng 0)",
}

// flagPrefixesVI translate descriptions that end with a list made at run time.
var flagPrefixesVI = [][2]string{
	{"the CSV report: ", "báo cáo CSV: "},
}

// flagUsageVI is a flag's description in Vietnamese, or usage itself when
// the catalogue has none.
func flagUsageVI(usage string) string {
	if vi, ok := flagsVI[usage]; ok {
		return vi
	}
	for _, p := range flagPrefixesVI {
		if rest, ok := strings.CutPrefix(usage, p[0]); ok {
			return p[1] + rest
		}
	}
	return usage
}

// translateFlags puts every flag's description of fs in the current language.
func translateFlags(fs *flag.FlagSet) {
	if lang != "vi" {
		return
	}
	fs.VisitAll(func(f *flag.Flag) { f.Usage = flagUsageVI(f.Usage) })
}
