package main

import (
	"regexp"
	"sync"
)

// readerCatalogue puts the readers' warnings and file errors into
// Vietnamese: each pattern matches an English message (anywhere in the
// text, so a "line 7: " or "path: " before it is kept) and its
// replacement is the Vietnamese, with the pattern's groups ($1, $2 …).
// A message no pattern matches is printed as it is. The patterns are
// compiled the first time a message is translated.
var readerCatalogue = sync.OnceValue(func() []viPattern {
	return []viPattern{
		{regexp.MustCompile(`unknown column ("[^"]*") ignored`), `cột không xác định $1 được bỏ qua`},
		{regexp.MustCompile(`unknown key ("[^"]*") ignored \(first in record (\d+)\)`), `khóa không xác định $1 được bỏ qua (lần đầu ở bản ghi $2)`},
		{regexp.MustCompile(`column (\d+) has no name; ignored`), `cột $1 không có tên; được bỏ qua`},
		{regexp.MustCompile(`missing required column\(s\): (.*)`), `thiếu cột bắt buộc: $1`},
		{regexp.MustCompile(`line (\d+): blank row ignored`), `dòng $1: dòng trống được bỏ qua`},
		{regexp.MustCompile(`column ("[^"]*") appears twice \(columns (\d+) and (\d+)\)`), `cột $1 xuất hiện hai lần (cột $2 và cột $3)`},
		{regexp.MustCompile(`cannot read the header row`), `không đọc được dòng tiêu đề`},
		{regexp.MustCompile(`row has (\d+) cells but the header has (\d+)`), `dòng có $1 ô nhưng dòng tiêu đề có $2`},
		{regexp.MustCompile(`unsupported file type ("[^"]*") \(want ([^)]*)\)`), `không đọc được loại tệp $1 (chỉ nhận $2)`},
	}
})

// viPattern is a pattern of English and its Vietnamese.
type viPattern struct {
	re *regexp.Regexp
	vi string
}

// readerMsg is a reader's message in the current language.
func readerMsg(msg string) string {
	if lang != "vi" {
		return msg
	}
	for _, c := range readerCatalogue() {
		if c.re.MatchString(msg) {
			msg = c.re.ReplaceAllString(msg, c.vi)
		}
	}
	return msg
}
