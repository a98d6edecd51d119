package texts

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestReportNoticeGroupsOneMessage(t *testing.T) {
	got := ReportNotice("Công an phường", "Nguyễn Văn Công", plan.NewDate(2023, 5, 16), []NoticeItem{
		{Code: "1.c", Title: "Đăng ký và thực hiện một số nhiệm vụ", Done: true},
		{Code: "2.d", Title: "Có văn bản yêu cầu cán bộ", Blocker: "chờ Công an thành phố duyệt"},
	})
	want := "📋 Báo cáo hoàn thành và vướng mắc — <b>Công an phường</b>, 16/5/2023 (đồng chí Nguyễn Văn Công):\n" +
		"• <b>1.c</b> Đăng ký và thực hiện một số nhiệm vụ — hoàn thành, chờ xác nhận.\n" +
		"• <b>2.d</b> Có văn bản yêu cầu cán bộ — vướng: \"chờ Công an thành phố duyệt\".\n" +
		"Xác nhận kết quả, hoặc trả lại kèm lý do."
	if got != want {
		t.Errorf("ReportNotice =\n%s\nwant\n%s", got, want)
	}
}

func TestRecordedNamesTheConfirmer(t *testing.T) {
	done := plan.Progress{Figure: plan.Figure{Kind: plan.ProgressDone}, Period: plan.MonthOf(plan.NewDate(2023, 5, 16)), Confirm: plan.ConfirmPending}
	for _, tc := range []struct {
		standing []string
		want     string
	}{
		{nil, "Văn phòng UBND phường sẽ xác nhận kết quả."},
		{[]string{""}, "Văn phòng UBND phường sẽ xác nhận kết quả."},
		{[]string{"Công an phường"}, "Công an phường (thường trực) sẽ xác nhận kết quả."},
	} {
		if got := Recorded("1.c", done, 0, nil, tc.standing...); !strings.Contains(got, tc.want) {
			t.Errorf("Recorded(standing %q) = %s, want %q", tc.standing, got, tc.want)
		}
	}
}
