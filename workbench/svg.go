package workbench

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/vnd"
	"github.com/shopspring/decimal"
)

// Charts are drawn here as SVG, inline in the page: nothing is fetched at
// run time, and every chart has its table beside it in the page. Sizes are
// worked out with decimals, as the amounts are.

type chart struct {
	Title string
	SVG   template.HTML
}

func money(d decimal.Decimal) string { return vnd.Format(d) }

// series is one set of bars: a value per label.
type series struct {
	Name   string
	Class  string // CSS class: base, new, delta
	Values []decimal.Decimal
}

// bars draws horizontal bars, one group per label, one bar per series,
// scaled to the largest absolute value; negative values grow leftwards
// from the axis.
func bars(title string, labels []string, ss []series) *chart {
	const (
		labelW = 190
		plotW  = 460
		valueW = 150
		barH   = 14
		gap    = 8
	)
	maxAbs := decimal.Zero
	neg := false
	for _, s := range ss {
		for _, v := range s.Values {
			if v.Abs().GreaterThan(maxAbs) {
				maxAbs = v.Abs()
			}
			neg = neg || v.IsNegative()
		}
	}
	if maxAbs.IsZero() {
		maxAbs = decimal.NewFromInt(1)
	}
	axis := labelW
	half := decimal.NewFromInt(plotW)
	if neg {
		axis = labelW + plotW/2
		half = decimal.NewFromInt(plotW / 2)
	}
	groupH := len(ss)*barH + gap
	legendH := 22
	h := legendH + len(labels)*groupH + 10
	w := labelW + plotW + valueW
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="%d" height="%d"><title>%s</title>`, w, h, w, h, html.EscapeString(title))
	x := labelW
	for _, s := range ss {
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="4" width="12" height="12"/><text x="%d" y="14">%s</text>`, s.Class, x, x+16, html.EscapeString(s.Name))
		x += 30 + 8*len([]rune(s.Name))
	}
	for i, l := range labels {
		y := legendH + i*groupH
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+groupH/2+2, html.EscapeString(clipLabel(l, 28)))
		for j, s := range ss {
			v := s.Values[i]
			px := int(v.Abs().Mul(half).Div(maxAbs).IntPart())
			if px == 0 && !v.IsZero() {
				px = 1
			}
			bx := axis
			if v.IsNegative() {
				bx = axis - px
			}
			by := y + j*barH
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d"><title>%s: %s</title></rect>`, s.Class, bx, by, px, barH-2, html.EscapeString(s.Name), money(v))
			fmt.Fprintf(&b, `<text class="value" x="%d" y="%d">%s</text>`, labelW+plotW+6, by+barH-4, money(v))
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, axis, legendH-2, axis, h-6)
	b.WriteString(`</svg>`)
	return &chart{Title: title, SVG: template.HTML(b.String())}
}

func clipLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// segment is one dated value of a parameter on a timeline.
type segment struct {
	from, to time.Time
	label    string
}

// timeline draws a parameter's dated values over its rule set's phase:
// one band per value, labelled with its value and first day.
func timeline(segs []segment, from, to time.Time) *chart {
	if len(segs) == 0 || from.IsZero() || to.IsZero() {
		return nil
	}
	const w, h, left, right = 760, 58, 10, 10
	span := decimal.NewFromInt(int64(to.Sub(from).Hours()/24) + 1)
	pos := func(t time.Time) int {
		if t.Before(from) {
			t = from
		}
		if t.After(to) {
			t = to.AddDate(0, 0, 1)
		}
		d := decimal.NewFromInt(int64(t.Sub(from).Hours() / 24))
		return left + int(d.Mul(decimal.NewFromInt(w-left-right)).Div(span).IntPart())
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 %d %d" width="%d" height="%d"><title>%s – %s</title>`, w, h, w, h, day(from), day(to))
	shown := 0
	for i, s := range segs {
		end := s.to
		if end.IsZero() || end.After(to) {
			end = to
		}
		if end.Before(from) {
			continue
		}
		x1, x2 := pos(s.from), pos(end.AddDate(0, 0, 1))
		fmt.Fprintf(&b, `<rect class="band b%d" x="%d" y="6" width="%d" height="26"><title>%s: %s</title></rect>`, i%4, x1, max(x2-x1, 1), day(s.from), html.EscapeString(s.label))
		fmt.Fprintf(&b, `<text x="%d" y="23">%s</text>`, x1+4, html.EscapeString(clipLabel(s.label, max((x2-x1)/7, 3))))
		start := s.from
		if start.Before(from) {
			start = from
		}
		fmt.Fprintf(&b, `<text class="date" x="%d" y="48">%s</text>`, x1+2, day(start))
		shown++
	}
	fmt.Fprintf(&b, `<text class="date" x="%d" y="48" text-anchor="end">%s</text>`, w-right, day(to))
	b.WriteString(`</svg>`)
	if shown == 0 {
		return nil
	}
	return &chart{SVG: template.HTML(b.String())}
}
