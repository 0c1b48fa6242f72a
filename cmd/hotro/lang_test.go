package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckVietnamese(t *testing.T) {
	dir := copyRules(t,
		[3]string{"eligibility.yaml", "when: resident && commune_province == province_code", "when: resident && commune_provinc == province_code"},
		[3]string{"parameters.yaml", "- from: 2016-01-01", "- from: 01/01/2016"})
	code, _, errOut := hotro("check", "--lang", "vi", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "/eligibility.yaml:150:23: quy tắc resident: \"commune_provinc\" không phải là đầu vào, tham số hay công thức của mô hình này (có phải là \"commune_province\"?)\n")
	assert.Contains(t, errOut, "/parameters.yaml:11:15: from phải là ngày viết theo dạng YYYY-MM-DD, không phải \"01/01/2016\"\n")
	assert.Contains(t, errOut, "tìm thấy 2 lỗi\n")
	code, _, errOut = hotro("check", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "/parameters.yaml:11:15: from must be a date written YYYY-MM-DD, not \"01/01/2016\"\n")
}

func TestMachineOutputSameInBothLanguages(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "--date", "2024-07-01", "../../examples/persons.csv"},
		{"eval", "--date", "2024-07-01", "--format", "json", "../../examples/persons.csv"},
		{"schedule", "--from", "2024-06", "--to", "2024-07", "../../examples/persons.csv"},
	} {
		_, en, errEN := hotro(append([]string{"--lang", "en"}, args...)...)
		_, vi, errVI := hotro(append([]string{"--lang", "vi"}, args...)...)
		assert.Equal(t, en, vi, args)
		assert.NotEqual(t, errEN, errVI, "the summary is translated")
	}
}

func TestEnvLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, "vi", envLang(env(map[string]string{"LANG": "vi_VN.UTF-8"})))
	assert.Equal(t, "en", envLang(env(map[string]string{"LANG": "vi_VN.UTF-8", "LC_ALL": "C"})))
	assert.Equal(t, "vi", envLang(env(map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "vi_VN"})))
	assert.Equal(t, "en", envLang(env(nil)))
}

func TestUsageErrorsAndHelp(t *testing.T) {
	code, _, errOut := hotro("eval", "--date", "01/07/2024", "f.csv")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--date "01/07/2024": the date must be written YYYY-MM-DD`)
	code, _, errOut = hotro("eval", "f.csv")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--date is required")
	code, out, errOut := hotro("eval", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "-date string")
	assert.Empty(t, errOut)
	code, out, _ = hotro("--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "usage: hotro <command>")
	code, out, _ = hotro("--lang", "vi", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "xét điều kiện và mức hỗ trợ hằng tháng")
}

func TestVersion(t *testing.T) {
	code, out, _ := hotro("version")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `^hotro \S+`, out)
	assert.Regexp(t, `hatinh-nq179-2020-2025 +enacted +[0-9a-f]{12}  nq179-2019 2020-01-01`, out)
}

func TestOutDirNeverAFile(t *testing.T) {
	units, persons := allocSmall(t)
	dir := filepath.Join(t.TempDir(), "plan") + "/"
	code, _, _ := hotro("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons, "--out", dir)
	assert.Equal(t, 1, code) // records in error, every report written
	for _, r := range []string{"units", "areas", "province", "sponsorships"} {
		assert.FileExists(t, filepath.Join(dir, r+".csv"))
	}
	code, _, errOut := hotro("eval", "--date", "2024-07-01", "--out", t.TempDir(), "../../examples/persons.csv")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is a directory")
}
