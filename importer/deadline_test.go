package importer

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

func d(y int, m time.Month, day int) plan.Date { return plan.NewDate(y, m, day) }

func TestParseDeadline(t *testing.T) {
	const year = 2023
	tests := []struct {
		text string
		want plan.Deadline // Text is checked separately
	}{
		// date
		{"Trong tháng 4/2023.", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 4, 30)}},
		{"Trong tháng 2/2024", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2024, 2, 29)}},
		{"Quý II/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"Trong Quý II/2023.", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"Quý II", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"quý 2", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"Quý IV năm 2024", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2024, 12, 31)}},
		{"quý 1-2024", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2024, 3, 31)}},
		{"Cuối quý III/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 9, 30)}},
		{"Trong năm 2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 12, 31)}},
		{"Năm 2024", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2024, 12, 31)}},
		{"6 tháng đầu năm", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"Trong 6 tháng đầu năm 2024", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2024, 6, 30)}},
		{"6 tháng cuối năm", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 12, 31)}},
		{"Trước ngày 15/5/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 5, 15)}},
		{"Hoàn thành trước 30/6", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		{"Chậm nhất ngày 05/10/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 10, 5)}},
		{"trong tháng 8", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 8, 31)}},
		{"tháng 4-2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 4, 30)}},
		{"tháng 04 năm 2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 4, 30)}},
		{"ngày 05 tháng 5 năm 2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 5, 5)}},
		{"Trước ngày 5 tháng 9", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 9, 5)}},
		{"5/9/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 9, 5)}},
		{"05/09/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 9, 5)}},
		{"28-4-2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 4, 28)}},
		{"**Trong tháng 4/2023**", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 4, 30)}},
		{"TRONG QUÝ II/2023", plan.Deadline{Kind: plan.DeadlineDate, Due: d(2023, 6, 30)}},
		// range
		{"từ ngày 01/4/2024 đến hết ngày 30/9/2024", plan.Deadline{Kind: plan.DeadlineRange, Start: d(2024, 4, 1), Due: d(2024, 9, 30)}},
		{"Từ tháng 4 đến tháng 6/2024", plan.Deadline{Kind: plan.DeadlineRange, Start: d(2024, 4, 1), Due: d(2024, 6, 30)}},
		{"từ 01/4 – 30/9/2023", plan.Deadline{Kind: plan.DeadlineRange, Start: d(2023, 4, 1), Due: d(2023, 9, 30)}},
		{"Từ quý II đến quý III/2023", plan.Deadline{Kind: plan.DeadlineRange, Start: d(2023, 4, 1), Due: d(2023, 9, 30)}},
		// recurring
		{"Thường xuyên.", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}},
		{"Thường xuyên, liên tục", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}},
		{"Hằng tháng", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly}},
		{"Hàng tháng", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly}},
		{"Định kỳ hằng quý", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurQuarterly}},
		{"hàng quý", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurQuarterly}},
		{"Hằng năm", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurYearly}},
		{"Hằng tháng, kể từ tháng 4/2023", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly, Start: d(2023, 4, 1)}},
		{"kể từ tháng 4/2023", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Start: d(2023, 4, 1)}},
		{"Từ ngày 01/6/2023 trở đi", plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Start: d(2023, 6, 1)}},
		// conditional
		{"Sau khi có văn bản chỉ đạo của Đảng ủy.", plan.Deadline{Kind: plan.DeadlineConditional}},
		{"Khi có hướng dẫn triển khai cụ thể của các Bộ, ngành có liên quan.", plan.Deadline{Kind: plan.DeadlineConditional}},
		{"Sau khi Bộ Công an triển khai (dự kiến tháng 6/2023).", plan.Deadline{Kind: plan.DeadlineConditional, Expected: d(2023, 6, 30)}},
		{"Sau khi Bộ Công an triển khai (dự kiến trong tháng 6/2023).", plan.Deadline{Kind: plan.DeadlineConditional, Expected: d(2023, 6, 30)}},
		{"Sau khi có hướng dẫn (dự kiến Quý III)", plan.Deadline{Kind: plan.DeadlineConditional, Expected: d(2023, 9, 30)}},
		// open
		{"Lộ trình theo Nghị quyết 50/NQ-CP ngày 08/4/2022 (*bộ phận một cửa cấp xã từ 01/6/2023*), Chỉ thị số 02/CT-TTg ngày 26/4/2022", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"Theo lộ trình của tỉnh", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"Tháng 13/2023", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"31/4/2023", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"Trong tháng 4/2023 và tháng 5/2023", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"từ 30/9/2024 đến 01/4/2024", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"", plan.Deadline{Kind: plan.DeadlineOpen}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseDeadline(tt.text, year)
			if ok != (tt.want.Kind != plan.DeadlineOpen) {
				t.Errorf("ok = %v for kind %s", ok, got.Kind)
			}
			got.Text, tt.want.Text = "", ""
			if got != tt.want {
				t.Errorf("ParseDeadline(%q) =\n  %+v\nwant\n  %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestParseDeadlinePlanTables checks the phrases of the "Thời hạn" column
// of plan tables, each as written, in capitals and in the old tone style
// where it differs, with the plan's year (2025) for phrases that give none.
func TestParseDeadlinePlanTables(t *testing.T) {
	const year = 2025
	date := func(y int, m time.Month, day int) plan.Deadline {
		return plan.Deadline{Kind: plan.DeadlineDate, Due: d(y, m, day)}
	}
	recur := func(r plan.Recurrence) plan.Deadline {
		return plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: r}
	}
	rng := plan.Deadline{Kind: plan.DeadlineRange, Start: d(2025, 3, 1), Due: d(2025, 9, 30)}
	cond := plan.Deadline{Kind: plan.DeadlineConditional}
	tests := []struct {
		text string
		want plan.Deadline
	}{
		{"Quý II/2025", date(2025, 6, 30)},
		{"QUÝ II/2025", date(2025, 6, 30)},
		{"quý ii/2025", date(2025, 6, 30)},
		{"Quý II năm 2025", date(2025, 6, 30)},
		{"Trong Quý 2/2025", date(2025, 6, 30)},
		{"Tháng 6/2025", date(2025, 6, 30)},
		{"THÁNG 6/2025", date(2025, 6, 30)},
		{"Tháng 06/2025", date(2025, 6, 30)},
		{"Tháng 6", date(2025, 6, 30)},
		{"6 tháng đầu năm", date(2025, 6, 30)},
		{"6 THÁNG ĐẦU NĂM", date(2025, 6, 30)},
		{"6 tháng cuối năm 2025", date(2025, 12, 31)},
		{"06 tháng cuối năm 2025", date(2025, 12, 31)},
		{"Sáu tháng cuối năm 2025", date(2025, 12, 31)},
		{"6 tháng cuối năm 2026", date(2026, 12, 31)},
		{"Năm 2025", date(2025, 12, 31)},
		{"NĂM 2025.", date(2025, 12, 31)},
		{"Cả năm 2025", date(2025, 12, 31)},
		{"Từ tháng 3 đến tháng 9/2025", rng},
		{"TỪ THÁNG 3 ĐẾN THÁNG 9/2025", rng},
		{"Từ tháng 3 đến hết tháng 9/2025", rng},
		{"Từ tháng 3 - tháng 9/2025", rng},
		{"Từ tháng 3/2025 đến tháng 9/2025", rng},
		{"Từ tháng 3 đến tháng 9", rng},
		{"Trước ngày 31/3/2025", date(2025, 3, 31)},
		{"TRƯỚC NGÀY 31/03/2025", date(2025, 3, 31)},
		{"trước ngày 31 tháng 3 năm 2025", date(2025, 3, 31)},
		{"Hằng tháng, trước ngày 20", recur(plan.RecurMonthly)},
		{"HẰNG THÁNG, TRƯỚC NGÀY 20", recur(plan.RecurMonthly)},
		{"Hàng tháng (trước ngày 20)", recur(plan.RecurMonthly)},
		{"Hằng tháng; trước ngày 20.", recur(plan.RecurMonthly)},
		{"Trước ngày 20 hằng tháng", recur(plan.RecurMonthly)},
		{"trước ngày 15 của mỗi quý", recur(plan.RecurQuarterly)},
		{"Ngày 10 hàng năm", recur(plan.RecurYearly)},
		{"Định kỳ hằng quý", recur(plan.RecurQuarterly)},
		{"ĐỊNH KỲ HÀNG QUÝ", recur(plan.RecurQuarterly)},
		{"Báo cáo định kỳ hằng quý", recur(plan.RecurQuarterly)},
		{"Thường xuyên", recur(plan.RecurOngoing)},
		{"THƯỜNG XUYÊN.", recur(plan.RecurOngoing)},
		{"Sau khi có hướng dẫn …", cond},
		{"Sau khi có hướng dẫn...", cond},
		{"SAU KHI CÓ HƯỚNG DẪN CỦA UBND QUẬN", cond},
		{"Sau khi có hướng dẫn (dự kiến Quý III/2025)", plan.Deadline{Kind: plan.DeadlineConditional, Expected: d(2025, 9, 30)}},
		// A day of every month must be a day.
		{"Trước ngày 40 hằng tháng", plan.Deadline{Kind: plan.DeadlineOpen}},
		{"Quý II/2025 và Quý III/2025", plan.Deadline{Kind: plan.DeadlineOpen}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseDeadline(tt.text, year)
			if ok != (tt.want.Kind != plan.DeadlineOpen) {
				t.Errorf("ok = %v for kind %s", ok, got.Kind)
			}
			if want := strings.Join(strings.Fields(tt.text), " "); got.Text != want {
				t.Errorf("Text = %q, want %q", got.Text, want)
			}
			got.Text = ""
			if got != tt.want {
				t.Errorf("ParseDeadline(%q, %d) =\n  %+v\nwant\n  %+v", tt.text, year, got, tt.want)
			}
		})
	}
}

func TestParseDeadlineKeepsText(t *testing.T) {
	got, _ := ParseDeadline("  *Trong   Quý II/2023.*  ", 2023)
	if got.Text != "Trong Quý II/2023." {
		t.Errorf("Text = %q, want the phrase as written", got.Text)
	}
}

func TestParseDeadlineNoYear(t *testing.T) {
	// Without a plan year, a phrase without a year cannot be dated.
	if got, ok := ParseDeadline("trong tháng 8", 0); ok {
		t.Errorf("ParseDeadline without year = %+v, want open", got)
	}
	if got, ok := ParseDeadline("trong tháng 8/2023", 0); !ok || got.Due != d(2023, 8, 31) {
		t.Errorf("ParseDeadline with explicit year = %+v, %v", got, ok)
	}
}

func FuzzDeadline(f *testing.F) {
	for _, s := range []string{
		"Trong tháng 4/2023", "Quý II/2023", "từ ngày 01/4/2024 đến hết ngày 30/9/2024", "Thường xuyên",
		"Sau khi Bộ Công an triển khai (dự kiến tháng 6/2023)", "ngày 05 tháng 5 năm 2023", "6 tháng đầu năm",
		"từ tháng 4 đến tháng 6/2024", "Hằng tháng, kể từ tháng 4/2023", "tháng 4-2023", "((dự kiến",
	} {
		f.Add(s, 2023)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		got, ok := ParseDeadline(s, year)
		if !utf8.ValidString(s) {
			return
		}
		switch got.Kind {
		case plan.DeadlineDate:
			if got.Due.IsZero() || !got.Start.IsZero() {
				t.Errorf("date deadline %+v", got)
			}
		case plan.DeadlineRange:
			if got.Due.IsZero() || got.Start.IsZero() || got.Due.Before(got.Start) {
				t.Errorf("range deadline %+v", got)
			}
		case plan.DeadlineRecurring:
			if got.Recurrence == "" {
				t.Errorf("recurring deadline without recurrence %+v", got)
			}
		case plan.DeadlineConditional:
		case plan.DeadlineOpen:
			if ok {
				t.Errorf("open deadline reported ok: %+v", got)
			}
		default:
			t.Errorf("unknown kind %q", got.Kind)
		}
		if got.Kind != plan.DeadlineOpen && !ok {
			t.Errorf("kind %s reported not ok", got.Kind)
		}
	})
}
