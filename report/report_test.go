package report_test

import (
	"slices"
	"testing"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/texts"
)

func TestDateLine(t *testing.T) {
	lh := plan.Letterhead{Place: "Chánh Lộ"}
	for _, tc := range []struct {
		d    plan.Date
		want string
	}{
		{plan.NewDate(2024, 1, 5), "Chánh Lộ, ngày 05 tháng 01 năm 2024"},
		{plan.NewDate(2023, 2, 28), "Chánh Lộ, ngày 28 tháng 02 năm 2023"},
		{plan.NewDate(2023, 5, 22), "Chánh Lộ, ngày 22 tháng 5 năm 2023"},
		{plan.NewDate(2023, 12, 1), "Chánh Lộ, ngày 01 tháng 12 năm 2023"},
	} {
		if got := lh.DateLine(tc.d); got != tc.want {
			t.Errorf("DateLine(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestPlanRef(t *testing.T) {
	for _, tc := range []struct {
		number string
		date   plan.Date
		year   int
		want   string
	}{
		{"56/KH-UBND", plan.NewDate(2023, 3, 20), 2023, "Kế hoạch số 56/KH-UBND ngày 20/3/2023"},
		{"/KH-UBND", plan.Date{}, 2023, "Kế hoạch số …/KH-UBND ngày …/…/2023"},
		{"", plan.Date{}, 0, "Kế hoạch số …/KH-UBND ngày …"},
		{"/KH-CAP", plan.Date{}, 2024, "Kế hoạch số …/KH-CAP ngày …/…/2024"},
	} {
		if got := texts.ReportPlanRef(tc.number, tc.date, tc.year); got != tc.want {
			t.Errorf("ReportPlanRef(%q, %v) = %q, want %q", tc.number, tc.date, got, tc.want)
		}
	}
}

func TestRecipients(t *testing.T) {
	got := report.Recipients(plan.Letterhead{Recipients: []string{"UBND thành phố (b/c)", "Lưu: VT."}})
	if want := []string{"- UBND thành phố (b/c);", "- Lưu: VT."}; !slices.Equal(got, want) {
		t.Errorf("Recipients = %q, want %q", got, want)
	}
}

func TestSubjectNamesThePeriod(t *testing.T) {
	ref := "Kế hoạch số 56/KH-UBND ngày 20/3/2023"
	for p, want := range map[plan.Period]string{
		plan.Month(2023, 5):                          "tháng 5 năm 2023",
		{Kind: plan.PeriodQuarter, Year: 2023, N: 2}: "quý II năm 2023",
		{Kind: plan.PeriodHalf, Year: 2023, N: 1}:    "6 tháng đầu năm 2023",
		{Kind: plan.PeriodYear, Year: 2023}:          "năm 2023",
	} {
		if got := texts.ReportSubject(ref, p); got != "Kết quả thực hiện "+ref+"\n"+want {
			t.Errorf("subject of %v = %q", p, got)
		}
	}
}
