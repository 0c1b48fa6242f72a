package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	utf16 "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// saveAsUTF8 says how to fix a file whose encoding is not certain.
const saveAsUTF8 = `Hãy mở tệp trong Excel, chọn Tệp > Lưu thành, ở "Kiểu tệp" chọn "CSV UTF-8 (Comma delimited) (*.csv)" rồi dùng tệp mới (hoặc lưu thành .xlsx). / Open the file in Excel, File > Save As, type "CSV UTF-8 (Comma delimited) (*.csv)", and use the new file (or save it as .xlsx).`

func openCSV(data []byte, base string, opt Options) (*Reader, error) {
	text, err := decode(data, base)
	if err != nil {
		return nil, err
	}
	sep := detectSep(text, opt.IsHeader)
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	next := func() ([]string, int, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, fmt.Errorf("%s, dòng %d, cột %d: lỗi dấu ngoặc kép, không đọc tiếp được (line %d, column %d: %v)", base, pe.Line, pe.Column, pe.Line, pe.Column, pe.Err)
			}
			return nil, 0, fmt.Errorf("%s: %v", base, err)
		}
		line, _ := cr.FieldPos(0)
		for i, c := range rec {
			rec[i] = clean(c)
		}
		return rec, line, nil
	}
	header, hrow, err := findHeader(next, opt.IsHeader, base)
	if err != nil {
		return nil, err
	}
	return &Reader{format: CSV, name: base, header: header, headerRow: hrow, next: next}, nil
}

// decode turns a CSV file into UTF-8 text (NFC), or refuses it:
//
//   - a UTF-8 BOM is dropped; the rest must be valid UTF-8;
//   - a UTF-16 BOM (little or big endian) converts the file from UTF-16;
//   - NUL bytes without a BOM (UTF-16 without BOM, or not text) are refused;
//   - valid UTF-8 is taken as it is;
//   - anything else is converted from Windows-1258 only when [isVietnamese]
//     accepts the result, and refused otherwise, with a message saying how to
//     save the file as CSV UTF-8.
func decode(data []byte, base string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return nil, notUTF8(data, base, "tệp có dấu BOM UTF-8 nhưng nội dung không phải UTF-8 / the file starts with a UTF-8 BOM but is not UTF-8")
		}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order := utf16.LittleEndian
		if data[0] == 0xFE {
			order = utf16.BigEndian
		}
		out, err := utf16.UTF16(order, utf16.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) || len(data)%2 != 0 {
			return nil, fmt.Errorf("%s: tệp UTF-16 bị hỏng, không chuyển được / broken UTF-16 file. %s", base, saveAsUTF8)
		}
		data = out
	case bytes.IndexByte(data, 0) >= 0:
		return nil, fmt.Errorf("%s: tệp chứa byte 0 (có thể là UTF-16 không có BOM, hoặc không phải tệp văn bản) / the file holds NUL bytes (UTF-16 without BOM, or not text). %s", base, saveAsUTF8)
	case utf8.Valid(data):
	default:
		out, err := charmap.Windows1258.NewDecoder().Bytes(data)
		if err != nil {
			return nil, notUTF8(data, base, "")
		}
		out = norm.NFC.Bytes(out)
		if why := isVietnamese(out); why != "" {
			return nil, notUTF8(data, base, why)
		}
		return out, nil
	}
	return norm.NFC.Bytes(data), nil
}

// notUTF8 refuses a file, naming the line of its first byte that is not
// UTF-8.
func notUTF8(data []byte, base, why string) error {
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	msg := fmt.Sprintf("%s: tệp không phải UTF-8 (từ dòng %d) và không chắc chắn là bảng mã Windows-1258 tiếng Việt, nên không đọc để tránh sai chữ / the file is not UTF-8 (from line %d) and is not certainly Vietnamese Windows-1258, so it is not read", base, line, line)
	if why != "" {
		msg += " (" + why + ")"
	}
	return errors.New(msg + ". " + saveAsUTF8)
}

// The certainty rule for Windows-1258. A file that is not valid UTF-8 is
// decoded from Windows-1258 and composed (NFC); it is accepted only when
//
//  1. every non-ASCII character is a letter of the Vietnamese alphabet
//     (a base letter a–z, ă, â, đ, ê, ô, ơ, ư in either case, bearing at
//     most one of the five tone marks) or one of the symbols – — ‘ ’ “ ” …
//     ° ₫ and the no-break space; and
//  2. every word holding a non-ASCII letter is one Vietnamese syllable:
//     an initial consonant from the Vietnamese list, a vowel group Vietnamese
//     writes, an allowed final consonant, and at most one tone mark.
//
// Rule 1 refuses the other Western European text that the same bytes
// could be (ü, ç, ñ, ß, ø, å, æ …); rule 2 refuses text whose bytes map to
// Vietnamese letters by accident (Latin-1 "São João" would read "Săo
// Joăo", Latin-1 "però" would read "perọ").
func isVietnamese(text []byte) string {
	s := string(text)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) }) {
		if isASCII(w) {
			continue
		}
		if !syllable(w) {
			return fmt.Sprintf("%q không phải chữ tiếng Việt / is not a Vietnamese word", w)
		}
	}
	for _, r := range s {
		if r < utf8.RuneSelf || unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			continue
		}
		if !strings.ContainsRune("\u00a0–—‘’“”…°₫", r) {
			return fmt.Sprintf("ký tự %q không có trong tiếng Việt / character %q is not Vietnamese", r, r)
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var tones = map[rune]bool{'\u0300': true, '\u0301': true, '\u0303': true, '\u0309': true, '\u0323': true}

var rhyme = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?` +
		`(iêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|yêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)` +
		`(ch|ng|nh|c|m|n|p|t)?$`)
})

// syllable tells whether w (one word, NFC) is a Vietnamese syllable.
func syllable(w string) bool {
	var b strings.Builder
	nTones := 0
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if tones[r] {
			nTones++
			continue
		}
		b.WriteRune(r)
	}
	if nTones > 1 {
		return false
	}
	base := norm.NFC.String(b.String())
	for _, r := range base {
		if r >= utf8.RuneSelf && !strings.ContainsRune("ăâđêôơư", r) {
			return false
		}
		if r < utf8.RuneSelf && (r < 'a' || r > 'z') {
			return false
		}
	}
	return rhyme().MatchString(base)
}

// detectSep finds the separator: the first of ';', ',' and tab under which
// a row of the first 64 KiB is a header (Options.IsHeader); without
// IsHeader, or when none matches, the one found most often on the first
// non-blank line outside quotes (',' on a tie).
func detectSep(text []byte, isHeader func([]string) bool) rune {
	prefix := text
	if len(prefix) > 64<<10 {
		prefix = prefix[:64<<10]
		if i := bytes.LastIndexByte(prefix, '\n'); i > 0 {
			prefix = prefix[:i+1]
		}
	}
	if isHeader != nil {
		for _, sep := range []rune{';', ',', '\t'} {
			r := csv.NewReader(bytes.NewReader(prefix))
			r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
			for {
				rec, err := r.Read()
				if err != nil {
					break
				}
				for i, c := range rec {
					rec[i] = clean(c)
				}
				if !blank(rec) && len(rec) > 1 && isHeader(rec) {
					return sep
				}
			}
		}
	}
	for _, line := range bytes.Split(prefix, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		counts := map[rune]int{}
		quoted := false
		for _, r := range string(line) {
			if r == '"' {
				quoted = !quoted
			} else if !quoted {
				counts[r]++
			}
		}
		best := ','
		if counts[';'] > counts[best] {
			best = ';'
		}
		if counts['\t'] > counts[best] {
			best = '\t'
		}
		return best
	}
	return ','
}
