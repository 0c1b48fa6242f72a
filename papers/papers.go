package papers

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

//go:embed templates
var files embed.FS

// Heading is the issuing body printed top left, above its number.
type Heading struct {
	Parent string // the body above it, "UBND huyện Thạch Hà" (optional)
	Issuer string // "Ủy ban Mặt trận Tổ quốc Việt Nam xã Thạch Hạ"
	Number string // "12/DS-MTTQ" (optional)
}

// Signer is one signature block.
type Signer struct {
	Org  string // "TM. Ủy ban nhân dân" (optional)
	Role string // "Chủ tịch"
	Name string // the signatory's name (optional: left blank to be written by hand)
	Seal bool   // the block says "đóng dấu" (a body's seal)
}

// Party is a sponsor: a unit or a person.
type Party struct {
	Name           string
	Representative string // for a unit: who signs for it
	Address        string
	Phone          string
}

// Subject is a person sponsored.
type Subject struct {
	Code          string
	Name          string
	BirthDate     time.Time // zero: left blank
	Address       string
	Circumstances string // hoàn cảnh, for mobilisation
}

// Commitment is a commitment to sponsor (giấy cam kết nhận đỡ đầu).
type Commitment struct {
	Heading       Heading
	Place         string    // "Thạch Hạ" in the date line
	Date          time.Time // date of signing
	Level         string    // the level of the Committee and Front that sign, "xã Thạch Hạ"
	Basis         string    // the legal basis, after "Căn cứ"
	Sponsor       Party
	Subjects      []Subject
	MonthlyAmount decimal.Decimal // per subject, whole đồng
	From, To      time.Time       // first and last month of the commitment
	Method        string          // "Trao trực tiếp", "Chuyển khoản"
	Focal         string          // the focal organisation that receives and pays
	Copies        int             // copies made; 0 prints 3
	// Signers, left to right; nil prints the People's Committee and the
	// Fatherland Front of Level and the sponsor.
	Signers []Signer
}

// PaymentRow is one payment on a payment list.
type PaymentRow struct {
	Code, Subject, Address, Sponsor, Method string
	Amount                                  decimal.Decimal
}

// PaymentList is the monthly payment list of one focal organisation (danh
// sách chi trả), with a column for the recipient's signature.
type PaymentList struct {
	Heading Heading
	Place   string
	Date    time.Time
	Month   time.Time // the month paid (its day is ignored)
	Focal   string
	Rows    []PaymentRow
	// Signers; nil prints the preparer, the accountant and the head.
	Signers []Signer
}

// Total is the sum of the list's amounts.
func (l PaymentList) Total() decimal.Decimal {
	t := decimal.Zero
	for _, r := range l.Rows {
		t = t.Add(r.Amount)
	}
	return t
}

// Beneficiary is one person on a commune's list.
type Beneficiary struct {
	Code, Name, Household string
	BirthDate             time.Time
	Category              string          // the grounds, "Người cao tuổi", "Người khuyết tật nặng"
	Topup                 decimal.Decimal // monthly top-up, whole đồng
}

// BeneficiaryList is the list of beneficiaries of one commune with their
// top-ups.
type BeneficiaryList struct {
	Heading                     Heading
	Place                       string
	Date                        time.Time
	Commune, District, Province string
	EffectiveDate               time.Time
	Rows                        []Beneficiary
	RuleSet, Hash               string // provenance printed in a note (optional)
	Draft                       bool
	// Signers; nil prints the preparer and the Committee's chair.
	Signers []Signer
}

// Total is the sum of the top-ups.
func (l BeneficiaryList) Total() decimal.Decimal {
	t := decimal.Zero
	for _, r := range l.Rows {
		t = t.Add(r.Topup)
	}
	return t
}

// pages are the templates, parsed the first time a document is written
// rather than when a program starts.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"css":       func() template.CSS { return template.CSS(css()) },
		"money":     vnd.Format,
		"group":     vnd.Group,
		"words":     vnd.Words,
		"date":      func(t time.Time) string { return dateOrBlank(t, vnd.Date) },
		"longdate":  func(t time.Time) string { return dateOrBlank(t, vnd.LongDate) },
		"monthyear": vnd.MonthYear,
		"cap":       capitalize,
		"inc":       func(i int) int { return i + 1 },
		"percent":   func(n int) string { return fmt.Sprintf("%.0f%%", 100/float64(max(n, 1))) },
	}).ParseFS(files, "templates/*.html"))
})

var css = sync.OnceValue(func() string {
	b, err := files.ReadFile("templates/base.css")
	if err != nil {
		panic(err)
	}
	return string(b)
})

func dateOrBlank(t time.Time, f func(time.Time) string) string {
	if t.IsZero() {
		return "……………"
	}
	return f(t)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Commitments writes one HTML document with a page per commitment.
func Commitments(w io.Writer, cs []Commitment) error {
	type view struct {
		Commitment
		Months int
	}
	vs := make([]view, len(cs))
	for i, c := range cs {
		if c.MonthlyAmount.Sign() <= 0 || c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
			return fmt.Errorf("papers: cam kết %d (%s): thiếu số tiền hoặc thời gian / commitment without amount or period", i+1, c.Sponsor.Name)
		}
		if c.Copies == 0 {
			c.Copies = 3
		}
		if c.Basis == "" {
			c.Basis = "Nghị quyết số 179/2019/NQ-HĐND ngày 16/12/2019 của Hội đồng nhân dân tỉnh Hà Tĩnh"
		}
		if c.Signers == nil {
			c.Signers = []Signer{
				{Org: "TM. Ủy ban nhân dân", Role: "Chủ tịch", Seal: true},
				{Org: "TM. Ban Thường trực Ủy ban MTTQ Việt Nam", Role: "Chủ tịch", Seal: true},
				{Role: "Bên nhận đỡ đầu", Name: c.Sponsor.Representative},
			}
		}
		months := (c.To.Year()-c.From.Year())*12 + int(c.To.Month()-c.From.Month()) + 1
		vs[i] = view{c, months}
	}
	return pages().ExecuteTemplate(w, "commitment.html", vs)
}

// PaymentLists writes one HTML document with a page (or more, the header
// row repeating) per focal organisation's list.
func PaymentLists(w io.Writer, ls []PaymentList) error {
	type view struct {
		PaymentList
		Total decimal.Decimal
	}
	vs := make([]view, len(ls))
	for i, l := range ls {
		if l.Signers == nil {
			l.Signers = []Signer{{Role: "Người lập biểu"}, {Role: "Kế toán"}, {Role: "Thủ trưởng đơn vị", Seal: true}}
		}
		vs[i] = view{l, l.Total()}
	}
	return pages().ExecuteTemplate(w, "payments.html", vs)
}

// BeneficiaryLists writes one HTML document with a page (or more) per
// commune's list.
func BeneficiaryLists(w io.Writer, ls []BeneficiaryList) error {
	type view struct {
		BeneficiaryList
		Total decimal.Decimal
	}
	vs := make([]view, len(ls))
	for i, l := range ls {
		if l.Signers == nil {
			l.Signers = []Signer{{Role: "Người lập danh sách"}, {Org: "TM. Ủy ban nhân dân", Role: "Chủ tịch", Seal: true}}
		}
		vs[i] = view{l, l.Total()}
	}
	return pages().ExecuteTemplate(w, "beneficiaries.html", vs)
}
