package summary

import (
	"time"

	"github.com/chanhlo/planbot/plan"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// holidays2023 is a Workdays with weekends and the 2023 public holidays
// around the test dates off.
type holidays2023 struct{}

var off2023 = map[plan.Date]bool{
	plan.NewDate(2023, 4, 29): true, plan.NewDate(2023, 4, 30): true,
	plan.NewDate(2023, 5, 1): true, plan.NewDate(2023, 5, 2): true, plan.NewDate(2023, 5, 3): true,
	plan.NewDate(2023, 9, 1): true, plan.NewDate(2023, 9, 2): true, plan.NewDate(2023, 9, 4): true,
}

func (holidays2023) IsWorkingDay(d plan.Date) bool {
	return WeekdaysOnly{}.IsWorkingDay(d) && !off2023[d]
}

func due(y int, m time.Month, d int) plan.Deadline {
	return plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(y, m, d)}
}

var ongoing = plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}

// fixturePlan is a cut-down Kế hoạch Đề án 06 of phường Chánh Lộ.
func fixturePlan() *plan.Plan {
	return &plan.Plan{
		ID:     1,
		OrgID:  1,
		Number: "/KH-UBND",
		Year:   2023,
		Title:  "Triển khai thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ về phê duyệt Đề án phát triển ứng dụng dữ liệu dân cư",
		Sections: []plan.Section{
			{Number: "1", Title: "Công tác tham mưu, chỉ đạo, triển khai"},
			{Number: "2", Title: "Phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công"},
			{Number: "5", Title: "Phục vụ xây dựng hệ sinh thái, dữ liệu dùng chung"},
		},
		Units: []string{"Công an phường", "Văn phòng phường", "Bộ phận Một cửa", "Tư pháp - Hộ tịch", "Trạm y tế phường", "Đoàn phường", "Văn hóa - Xã hội"},
		Tasks: []plan.Task{
			{Code: "1.a", Section: "1", Title: "Tham mưu Đảng ủy phường ban hành văn bản thực hiện Chỉ đạo của Thành ủy",
				Lead: []string{"Công an phường"}, Support: []string{"Văn phòng phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Sau khi có văn bản chỉ đạo của Đảng ủy."}},
			{Code: "1.b", Section: "1", Title: "Triển khai thực hiện hiệu quả Nghị định số 104/2022/NĐ-CP",
				Lead: []string{"Công an phường", "Văn phòng phường"}, Support: []string{"Bộ phận Một cửa"},
				Deadline: due(2023, 6, 30)},
			{Code: "1.c", Section: "1", Title: "Đăng ký và thực hiện một số nhiệm vụ trong thực hiện Đề án 06 năm 2023",
				Lead: []string{"Công an phường"}, Support: []string{"Văn phòng phường", "Tư pháp - Hộ tịch"},
				Deadline: due(2023, 4, 30)},
			{Code: "2.a", Section: "2", Title: "Nâng cao tỉ lệ người dân tham gia 25 dịch vụ công thiết yếu",
				Execute: []string{"Bộ phận Một cửa", "Công an phường", "Trạm y tế phường"}, Deadline: ongoing},
			{Code: "2.d", Section: "2", Title: "Có văn bản yêu cầu 100% cán bộ, công chức thực hiện dịch vụ công trực tuyến",
				Lead: []string{"Công an phường"}, Support: []string{"Văn phòng phường"},
				Deadline: due(2023, 6, 30), Targets: []plan.Target{{Value: 100, Unit: "%", Text: "100%"}}},
			{Code: "2.e", Section: "2", Title: "Số hóa 100% dữ liệu hộ tịch",
				Lead: []string{"Tư pháp - Hộ tịch"}, Support: []string{"Văn phòng phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRange, Start: plan.NewDate(2023, 1, 1), Due: plan.NewDate(2023, 12, 31), Text: "Trong năm 2023"},
				Targets:  []plan.Target{{Value: 1500, Unit: "hồ sơ", Text: "1.500 hồ sơ"}}},
			{Code: "3.c", Section: "2", Title: "Chi trả trợ cấp không dùng tiền mặt cho 70% đối tượng",
				Lead: []string{"Văn hóa - Xã hội"}, Deadline: ongoing,
				Targets: []plan.Target{{Value: 70, Unit: "%", Text: "70%"}}},
			{Code: "5.a", Section: "5", Title: "Làm sạch dữ liệu tiêm chủng Covid-19 <với> CSDL quốc gia về dân cư",
				Lead: []string{"Trạm y tế phường"}, Support: []string{"Công an phường"}, Deadline: due(2023, 6, 30)},
			{Code: "5.c", Section: "5", Title: "Kết nối, chia sẻ dữ liệu với CSDL hộ tịch điện tử",
				Lead: []string{"Tư pháp - Hộ tịch"}, Support: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Expected: plan.NewDate(2023, 6, 30), Text: "Sau khi Bộ Công an triển khai (dự kiến tháng 6/2023)"}},
			{Code: "7.b", Section: "5", Title: "Phát huy vai trò xung kích của đoàn viên thanh niên",
				Lead: []string{"Đoàn phường"}, Deadline: ongoing},
		},
	}
}

// at is 9:00 on the day in Vietnam.
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, hcm) }

var nextID int64

func rep(code, unit string, t time.Time, f plan.Figure) plan.Progress {
	nextID++
	return plan.Progress{ID: nextID, PlanID: 1, TaskCode: code, Unit: unit, Period: plan.MonthOf(plan.DateOf(t)), Figure: f, ReportedAt: t}
}

func pct(p float64) plan.Figure    { return plan.Figure{Kind: plan.ProgressPercent, Percent: p} }
func doneF() plan.Figure           { return plan.Figure{Kind: plan.ProgressDone, Percent: 100} }
func blocked(s string) plan.Figure { return plan.Figure{Kind: plan.ProgressBlocked, Blocker: s} }
func count(d, t float64, u string) plan.Figure {
	return plan.Figure{Kind: plan.ProgressCount, Done: d, Total: t, CountUnit: u, Percent: d / t * 100}
}

func confirmed(p plan.Progress, st plan.ConfirmState, note string) plan.Progress {
	p.Confirm, p.ConfirmNote = st, note
	return p
}

// fixtureReports is a quarter (Q2/2023) and July of reports.
func fixtureReports() []plan.Progress {
	return []plan.Progress{
		// 1.c: done on 27/4, confirmed.
		confirmed(rep("1.c", "Công an phường", at(2023, 4, 20), pct(80)), plan.ConfirmNone, ""),
		confirmed(rep("1.c", "Công an phường", at(2023, 4, 27), doneF()), plan.ConfirmAccepted, ""),
		// 1.b: Văn phòng done late (5/7), pending; Công an still at 90%.
		rep("1.b", "Công an phường", at(2023, 5, 18), pct(50)),
		rep("1.b", "Công an phường", at(2023, 6, 19), pct(90)),
		confirmed(rep("1.b", "Văn phòng phường", at(2023, 7, 5), doneF()), plan.ConfirmPending, ""),
		// 2.a: ongoing, Một cửa and Công an report monthly, Trạm y tế misses June.
		rep("2.a", "Bộ phận Một cửa", at(2023, 4, 18), pct(40)),
		rep("2.a", "Bộ phận Một cửa", at(2023, 5, 18), pct(45)),
		rep("2.a", "Bộ phận Một cửa", at(2023, 6, 19), pct(52)),
		rep("2.a", "Bộ phận Một cửa", at(2023, 7, 18), pct(55)),
		rep("2.a", "Công an phường", at(2023, 4, 18), pct(40)),
		rep("2.a", "Công an phường", at(2023, 5, 18), pct(45)),
		rep("2.a", "Công an phường", at(2023, 6, 19), pct(50)),
		rep("2.a", "Công an phường", at(2023, 7, 18), pct(55)),
		rep("2.a", "Trạm y tế phường", at(2023, 4, 18), pct(30)),
		rep("2.a", "Trạm y tế phường", at(2023, 5, 19), pct(35)),
		rep("2.a", "Trạm y tế phường", at(2023, 7, 19), pct(45)),
		// 2.d: done 28/6 but returned.
		confirmed(rep("2.d", "Công an phường", at(2023, 6, 28), doneF()), plan.ConfirmReturned, "chưa có văn bản kèm theo"),
		// 2.e: counts, with a blocker in June and July.
		rep("2.e", "Tư pháp - Hộ tịch", at(2023, 5, 18), count(800, 1500, "hồ sơ")),
		rep("2.e", "Tư pháp - Hộ tịch", at(2023, 6, 19), plan.Figure{Kind: plan.ProgressCount, Done: 1200, Total: 1500, CountUnit: "hồ sơ", Percent: 80, Blocker: "thiếu máy scan"}),
		rep("2.e", "Tư pháp - Hộ tịch", at(2023, 7, 18), plan.Figure{Kind: plan.ProgressCount, Done: 1300, Total: 1500, CountUnit: "hồ sơ", Percent: 86.7, Blocker: "thiếu máy scan <A4>"}),
		// 3.c: Văn hóa - Xã hội reports in April only.
		rep("3.c", "Văn hóa - Xã hội", at(2023, 4, 19), pct(65)),
		// 5.a: Trạm y tế reported 60% in May, nothing since.
		rep("5.a", "Trạm y tế phường", at(2023, 5, 22), pct(60)),
		// 5.c: condition met in June: Tư pháp started.
		rep("5.c", "Tư pháp - Hộ tịch", at(2023, 6, 26), blocked("chưa có tài khoản kết nối")),
		// 7.b: Đoàn phường never reports.
	}
}
