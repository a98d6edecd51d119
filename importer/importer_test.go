package importer

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

const samplePath = "../configs/plans/ke-hoach-de-an-06-chanh-lo-2023.txt"

func readSample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatalf("read sample plan: %v", err)
	}
	return b
}

func parseSample(t *testing.T) *plan.Plan {
	t.Helper()
	p, err := Parse(bytes.NewReader(readSample(t)), filepath.Base(samplePath))
	if err != nil {
		t.Fatalf("Parse sample: %v", err)
	}
	return p
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run `go test ./importer -update` after checking):\n%s", name, got)
	}
}

func TestSampleGolden(t *testing.T) {
	p := parseSample(t)
	var buf bytes.Buffer
	if err := WriteReviewJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.golden.json", buf.Bytes())

	buf.Reset()
	if err := WriteReview(&buf, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.golden.txt", buf.Bytes())
}

// TestSampleTasks checks every task of the sample against the document, by
// hand, so that the golden file is not the only check.
func TestSampleTasks(t *testing.T) {
	p := parseSample(t)
	const (
		CA   = "Công an phường"
		VP   = "Văn phòng phường"
		MC   = "Bộ phận Một cửa"
		TPHT = "Tư pháp - Hộ tịch"
		VHXH = "Văn hóa - Xã hội"
		VHTT = "Văn hóa - Thông tin"
		DCXD = "Địa chính - Xây dựng"
		DCMT = "Địa chính - Môi trường"
		TCKT = "Tài chính - Kế toán"
		YT   = "Trạm y tế phường"
		DOAN = "Đoàn phường"
	)
	L := func(xs ...string) []string { return xs }
	ongoing := plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}
	on := func(y int, m time.Month, day int) plan.Deadline {
		return plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(y, m, day)}
	}
	cond := plan.Deadline{Kind: plan.DeadlineConditional}
	condJune := plan.Deadline{Kind: plan.DeadlineConditional, Expected: plan.NewDate(2023, 6, 30)}
	q2 := on(2023, 6, 30)
	tests := []struct {
		code, section            string
		lead, execute, support   []string
		supportAll               bool
		deadline                 plan.Deadline
		targets                  []float64
		titlePrefix, deadlineTxt string
	}{
		{"1.a", "1", L(CA), nil, L(VP), false, cond, nil, "Tham mưu Đảng ủy phường", "Sau khi có văn bản chỉ đạo của Đảng ủy."},
		{"1.b", "1", L(CA, VP), nil, L(MC), false, q2, nil, "Triển khai thực hiện hiệu quả Nghị định số 104/2022/NĐ-CP", "Trong Quý II/2023."},
		{"1.c", "1", L(CA), nil, L(VP, TPHT, VHXH, DCXD, YT), false, on(2023, 4, 30), nil, "Đăng ký và thực hiện", "Trong tháng 4/2023."},
		{"2.a", "2", nil, L(MC, CA, YT), nil, false, ongoing, nil, "Tiếp tục thúc đẩy", "Thường xuyên."},
		{"2.b", "2", L(VHTT), L(CA, VP, TPHT, VHXH, DCXD, YT), nil, false, ongoing, nil, "Tuyên truyền người dân", "Thường xuyên."},
		{"2.c", "2", L(TPHT, DCMT), nil, L(VP), false, ongoing, nil, "Rà soát từng dịch vụ công", "Thường xuyên."},
		{"2.d", "2", L(CA), nil, L(VP, TPHT, VHXH, DCXD), false, q2, []float64{100}, "Có văn bản yêu cầu 100%", "Quý II/2023."},
		{"2.đ", "2", L(TCKT), nil, L(VP, TPHT, VHXH, DCXD), false, plan.Deadline{Kind: plan.DeadlineOpen}, nil, "Bố trí trang thiết bị", "Lộ trình theo Nghị quyết 50/NQ-CP"},
		{"2.e", "2", L(TPHT), nil, L(VP), false, on(2023, 12, 31), []float64{100}, "Số hóa 100% dữ liệu hộ tịch", "Trong năm 2023."},
		{"2.g", "2", L(CA, TCKT, VHTT), nil, L(MC), false, ongoing, nil, "Thực hiện quyết liệt các giải pháp", "Thường xuyên."},
		{"2.h", "2", L(TPHT, VHXH), nil, L(CA), false, cond, nil, "Chuẩn bị các điều kiện cần thiết", "Khi có hướng dẫn triển khai cụ thể"},
		{"3.a", "3", nil, L(MC), nil, false, ongoing, nil, "Thực hiện không yêu cầu người dân", "Thường xuyên."},
		{"3.b", "3", L(CA), nil, L(VHTT), false, ongoing, nil, "Hướng dẫn, đề nghị tất cả các cơ sở lưu trú", "Thường xuyên."},
		{"3.c", "3", L(VHXH), nil, nil, false, ongoing, []float64{70}, "Thực hiện chi trả trợ cấp không dùng tiền mặt", "Thường xuyên."},
		{"4.a", "4", L(CA), nil, L(VHTT), false, ongoing, nil, "Đẩy mạnh thu nhận hồ sơ cấp CCCD", "Thường xuyên."},
		{"4.c", "4", nil, L(TCKT), nil, false, condJune, nil, "Đầu tư hạ tầng công nghệ thông tin", "Sau khi Bộ Công an triển khai (dự kiến tháng 6/2023)."},
		{"5.a", "5", L(YT), nil, L(CA), false, q2, nil, "Hoàn thành rà soát, đối chiếu", "Quý II/2023."},
		{"5.b", "5", L(CA), nil, nil, true, ongoing, nil, "Tiếp tục rà soát, cập nhật thông tin công dân", "Thường xuyên."},
		{"5.c", "5", L(CA, TPHT), nil, L(VHTT), false, condJune, nil, "Kết nối, chia sẻ dữ liệu", "Sau khi Bộ Công an triển khai (dự kiến trong tháng 6/2023)."},
		{"6", "6", L(CA, VHTT), nil, nil, true, ongoing, nil, "Thực hiện hiệu quả công tác kiểm tra, đánh giá an ninh mạng", "Thường xuyên."},
		{"7.a", "7", L(VHTT), nil, nil, true, ongoing, nil, "Đẩy mạnh công tác tuyên truyền", "Thường xuyên."},
		{"7.b", "7", L(DOAN), nil, nil, true, ongoing, nil, "Phát huy vai trò xung kích", "Thường xuyên."},
		{"8", "8", L(MC), nil, nil, false, ongoing, nil, "Thực hiện mô hình về thực hiện dịch vụ công trực tuyến", "Thường xuyên."},
		{"8.1", "8", L(CA), nil, nil, false, plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly, Start: plan.NewDate(2023, 4, 1)}, []float64{100}, "Đăng ký nhiệm vụ đột phá", "kể từ tháng 4/2023"},
		{"8.2", "8", L(TPHT), nil, nil, false, on(2023, 12, 31), []float64{70}, "Đẩy mạnh tăng tỷ lệ đăng ký trực tuyến", "Năm 2023"},
		{"8.3", "8", L(VHTT), nil, nil, false, ongoing, nil, "Phối hợp với các ban ngành, đơn vị có liên quan", "Thường xuyên."},
	}
	if len(p.Tasks) != 26 || len(tests) != 26 {
		t.Fatalf("got %d tasks, want 26", len(p.Tasks))
	}
	for i, tt := range tests {
		got := p.Tasks[i]
		t.Run(tt.code, func(t *testing.T) {
			if got.Code != tt.code || got.Section != tt.section {
				t.Fatalf("task %d = %s (section %s), want %s (section %s)", i, got.Code, got.Section, tt.code, tt.section)
			}
			if !slices.Equal(got.Lead, tt.lead) || !slices.Equal(got.Execute, tt.execute) || !slices.Equal(got.Support, tt.support) || got.SupportAll != tt.supportAll {
				t.Errorf("units = lead %q execute %q support %q all %v\nwant lead %q execute %q support %q all %v",
					got.Lead, got.Execute, got.Support, got.SupportAll, tt.lead, tt.execute, tt.support, tt.supportAll)
			}
			dl := got.Deadline
			if !strings.HasPrefix(dl.Text, tt.deadlineTxt) {
				t.Errorf("deadline text = %q, want prefix %q", dl.Text, tt.deadlineTxt)
			}
			dl.Text = ""
			if dl != tt.deadline {
				t.Errorf("deadline = %+v, want %+v", dl, tt.deadline)
			}
			var values []float64
			for _, g := range got.Targets {
				values = append(values, g.Value)
				if g.Unit != "%" {
					t.Errorf("target unit %q", g.Unit)
				}
			}
			if !slices.Equal(values, tt.targets) {
				t.Errorf("targets = %v, want %v", got.Targets, tt.targets)
			}
			if !strings.HasPrefix(got.Title, tt.titlePrefix) {
				t.Errorf("title = %q, want prefix %q", got.Title, tt.titlePrefix)
			}
		})
	}
}

func TestSampleDocument(t *testing.T) {
	p := parseSample(t)
	if p.Number != "/KH-UBND" {
		t.Errorf("Number = %q, want %q (as written)", p.Number, "/KH-UBND")
	}
	if !p.Date.IsZero() {
		t.Errorf("Date = %v, want zero (the day is blank)", p.Date)
	}
	if p.Year != 2023 {
		t.Errorf("Year = %d", p.Year)
	}
	if p.OrgID != plan.DefaultOrg {
		t.Errorf("OrgID = %d", p.OrgID)
	}
	wantTitle := "Triển khai thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ về phê duyệt Đề án phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022-2025, tầm nhìn đến năm 2030 trên địa bàn phường Chánh Lộ năm 2023"
	if p.Title != wantTitle {
		t.Errorf("Title = %q", p.Title)
	}
	var sections []string
	for _, s := range p.Sections {
		sections = append(sections, s.Number+". "+s.Title)
	}
	wantSections := []string{
		"1. Công tác tham mưu, chỉ đạo, triển khai",
		"2. Phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công",
		"3. Phục vụ phát triển kinh tế - xã hội",
		"4. Phục vụ phát triển công dân số",
		"5. Phục vụ xây dựng hệ sinh thái, dữ liệu dùng chung",
		"6. Công tác đảm bảo an ninh an toàn",
		"7. Triển khai công tác tuyên truyền, phổ biến các tiện ích, dịch vụ liên quan đến dân cư",
		"8. Tập trung triển khai thực hiện một số nội dung đột phá trong thực hiện Đề án 06",
	}
	if !slices.Equal(sections, wantSections) {
		t.Errorf("Sections =\n%s", strings.Join(sections, "\n"))
	}
	wantUnits := []string{"Công an phường", "Văn phòng phường", "Bộ phận Một cửa", "Tư pháp - Hộ tịch", "Văn hóa - Xã hội",
		"Địa chính - Xây dựng", "Trạm y tế phường", "Văn hóa - Thông tin", "Địa chính - Môi trường", "Tài chính - Kế toán", "Đoàn phường"}
	if !slices.Equal(p.Units, wantUnits) {
		t.Errorf("Units = %q", p.Units)
	}
	for _, w := range []string{"chưa có số", "Ngày ký kế hoạch còn để trống", "Nhiệm vụ 2.đ: chưa hiểu thời hạn “Lộ trình theo Nghị quyết 50/NQ-CP", "sau nhiệm vụ 4.a là 4.c", "“Địa chính - Xây dựng” và “Địa chính - Môi trường”"} {
		if !slices.ContainsFunc(p.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning containing %q in %q", w, p.Warnings)
		}
	}
	var doubts, ignored []string
	for _, w := range p.Warnings {
		if IsIgnoredNote(w) {
			ignored = append(ignored, w)
		} else {
			doubts = append(doubts, w)
		}
	}
	if len(doubts) != 5 {
		t.Errorf("%d warnings, want 5: %q", len(doubts), doubts)
	}
	// The parts without tasks are listed as left out, not dropped in silence.
	wantIgnored := []string{
		"Bỏ qua phần I. MỤC ĐÍCH, YÊU CẦU (không phải phần nhiệm vụ).",
		"Bỏ qua phần II. PHẠM VI, THỜI GIAN TRIỂN KHAI (không phải phần nhiệm vụ).",
		"Bỏ qua phần IV. KINH PHÍ THỰC HIỆN (không phải phần nhiệm vụ).",
		"Bỏ qua phần V. TỔ CHỨC THỰC HIỆN (không phải phần nhiệm vụ).",
	}
	if !slices.Equal(ignored, wantIgnored) {
		t.Errorf("ignored %q, want %q", ignored, wantIgnored)
	}
	for _, task := range p.Tasks {
		if strings.Contains(task.Title, "*") {
			t.Errorf("task %s title keeps Markdown: %q", task.Code, task.Title)
		}
	}
}

// A plan written with other conventions: dated header, labels without
// dashes, "Cơ quan chủ trì", "Thời hạn", "1.1." numbering, Markdown
// headings and a "Hằng quý" deadline.
const variantPlan = `# ỦY BAN NHÂN DÂN PHƯỜNG

Số: 56/KH-UBND		Chánh Lộ, ngày 05 tháng 4 năm 2024

## KẾ HOẠCH

**Chuyển đổi số năm 2024**

Căn cứ Kế hoạch số 12/KH-UBND của UBND thành phố;

I. MỤC ĐÍCH

1. Nâng cao nhận thức.

a) Không phải nhiệm vụ.

II. NHIỆM VỤ CỤ THỂ

1. Hạ tầng

1.1. Mua máy scan cho Bộ phận một cửa, đạt tối thiểu 85,5% hồ sơ được số hóa.
Cơ quan chủ trì: Tài chính – Kế toán
Cơ quan phối hợp: Bộ phận một cửa, Hội Nông dân phường
Thời hạn: trước ngày 15/5

1.2. Báo cáo tiến độ.
**Chủ trì:** Văn phòng UBND phường
**Thời gian thực hiện:** Định kỳ hằng quý

2. Tuyên truyền

a) Tuyên truyền trên loa phường, ít nhất 50% hộ dân được biết.
- Đơn vị thực hiện: Văn hoá - Xã hội; Đoàn phường
- Thời gian hoàn thành: từ ngày 01/6/2024 đến hết ngày 30/9/2024

b) Làm video.
- Đơn vị chủ trì: Văn hóa - Thông tin
- Thời gian thực hiện: chưa xác định

III. TỔ CHỨC THỰC HIỆN

a) Không phải nhiệm vụ.
- Đơn vị chủ trì: Công an phường
`

func TestParseVariant(t *testing.T) {
	p, err := Parse(strings.NewReader(variantPlan), "bien-the.md", WithOrg(7), WithYear(1999))
	if err != nil {
		t.Fatal(err)
	}
	if p.Number != "56/KH-UBND" || p.Date != plan.NewDate(2024, 4, 5) || p.Year != 2024 || p.OrgID != 7 {
		t.Errorf("header = %q %v %d org %d", p.Number, p.Date, p.Year, p.OrgID)
	}
	if p.Title != "Chuyển đổi số năm 2024" {
		t.Errorf("Title = %q", p.Title)
	}
	var codes []string
	for _, task := range p.Tasks {
		codes = append(codes, task.Code)
	}
	if want := []string{"1.1", "1.2", "2.a", "2.b"}; !slices.Equal(codes, want) {
		t.Fatalf("codes = %q, want %q", codes, want)
	}
	t11 := p.Task("1.1")
	if !slices.Equal(t11.Lead, []string{"Tài chính - Kế toán"}) || !slices.Equal(t11.Support, []string{"Bộ phận Một cửa", "Hội Nông dân phường"}) {
		t.Errorf("1.1 units = %q / %q", t11.Lead, t11.Support)
	}
	if t11.Deadline.Kind != plan.DeadlineDate || t11.Deadline.Due != plan.NewDate(2024, 5, 15) {
		t.Errorf("1.1 deadline = %+v", t11.Deadline)
	}
	if len(t11.Targets) != 1 || t11.Targets[0].Value != 85.5 || t11.Targets[0].Text != "đạt tối thiểu 85,5%" {
		t.Errorf("1.1 targets = %+v", t11.Targets)
	}
	if t12 := p.Task("1.2"); !slices.Equal(t12.Lead, []string{"Văn phòng phường"}) || t12.Deadline.Recurrence != plan.RecurQuarterly {
		t.Errorf("1.2 = %q %+v", t12.Lead, t12.Deadline)
	}
	t2a := p.Task("2.a")
	if !slices.Equal(t2a.Execute, []string{"Văn hóa - Xã hội", "Đoàn phường"}) || t2a.Deadline.Kind != plan.DeadlineRange ||
		t2a.Deadline.Start != plan.NewDate(2024, 6, 1) || t2a.Deadline.Due != plan.NewDate(2024, 9, 30) {
		t.Errorf("2.a = %q %+v", t2a.Execute, t2a.Deadline)
	}
	if len(t2a.Targets) != 1 || t2a.Targets[0].Value != 50 || t2a.Targets[0].Text != "ít nhất 50%" {
		t.Errorf("2.a targets = %+v", t2a.Targets)
	}
	if t2b := p.Task("2.b"); t2b.Deadline.Kind != plan.DeadlineOpen || t2b.Deadline.Text != "chưa xác định" {
		t.Errorf("2.b deadline = %+v", t2b.Deadline)
	}
	wantWarnings := []string{
		"Bỏ qua phần I. MỤC ĐÍCH (không phải phần nhiệm vụ).",
		"Bỏ qua phần III. TỔ CHỨC THỰC HIỆN (không phải phần nhiệm vụ).",
		"Nhiệm vụ 1.1: chưa nhận ra đơn vị “Hội Nông dân phường” (phối hợp), giữ tên “Hội Nông dân phường”.",
		"Nhiệm vụ 2.b: chưa hiểu thời hạn “chưa xác định”; cần nhập thời hạn bằng tay.",
	}
	if !slices.Equal(p.Warnings, wantWarnings) {
		t.Errorf("Warnings = %q", p.Warnings)
	}
}

func TestParseNoPartHeadings(t *testing.T) {
	// A bare list of tasks, without roman parts: the plan year comes from
	// the option.
	src := "a) Rà soát dữ liệu.\n- Đơn vị chủ trì: Công an\n- Thời hạn: trong tháng 8\n\nb) Tuyên truyền.\n"
	p, err := Parse(strings.NewReader(src), "ds.txt", WithYear(2025))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 || p.Tasks[0].Code != "a" || p.Tasks[0].Deadline.Due != plan.NewDate(2025, 8, 31) {
		t.Fatalf("tasks = %+v", p.Tasks)
	}
	// b) has neither unit nor deadline: kept, with warnings.
	want := []string{"Nhiệm vụ b: không có đơn vị chủ trì hoặc thực hiện.", "Nhiệm vụ b: không ghi thời hạn.", "Không thấy số kế hoạch (dòng “Số: …/KH-UBND”)."}
	for _, w := range want {
		if !slices.Contains(p.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, p.Warnings)
		}
	}
}

func TestParseDuplicateCode(t *testing.T) {
	src := "III. CÁC NHIỆM VỤ CỤ THỂ\n1. Một\na) X.\n- Chủ trì: Công an\n- Thời hạn: Quý II/2023\nb) Y.\n- Chủ trì: Công an\n- Thời hạn: Thường xuyên\nb) Z.\n- Chủ trì: Văn phòng\n- Thời hạn: Thường xuyên\n"
	p, err := Parse(strings.NewReader(src), "", WithYear(2023))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 3 {
		t.Fatalf("%d tasks, want 3 (none dropped)", len(p.Tasks))
	}
	if !slices.ContainsFunc(p.Warnings, func(s string) bool { return strings.Contains(s, "Mã nhiệm vụ 1.b xuất hiện 2 lần") }) {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

// docx builds a minimal .docx whose paragraphs are the given lines.
func docx(t testing.TB, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>")
		for i, part := range strings.Split(p, "\t") {
			if i > 0 {
				body.WriteString("<w:r><w:tab/></w:r>")
			}
			// Split runs in the middle, as Word does.
			half := len([]rune(part)) / 2
			r := []rune(part)
			for _, chunk := range []string{string(r[:half]), string(r[half:])} {
				var esc bytes.Buffer
				_ = xmlEscape(&esc, chunk)
				body.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + esc.String() + `</w:t></w:r>`)
			}
		}
		body.WriteString("</w:p>")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() + `<w:sectPr/></w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   doc,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseDocx(t *testing.T) {
	data := docx(t,
		"Số: 12/KH-UBND\tChánh Lộ, ngày 21 tháng 3 năm 2023",
		"KẾ HOẠCH",
		"Triển khai Đề án 06",
		"trên địa bàn phường năm 2023",
		"Thực hiện Kế hoạch số 56/KH-UBND của UBND thành phố, UBND phường ban hành Kế hoạch như sau:",
		"III. CÁC NHIỆM VỤ CỤ THỂ VÀ PHÂN CÔNG TRÁCH NHIỆM",
		"1. Công tác tham mưu",
		"a) Tham mưu ban hành văn bản.",
		"- Đơn vị chủ trì: Công an phường.",
		"- Đơn vị phối hợp: Các ban ngành, đơn vị phường.",
		"- Thời gian hoàn thành: Trong tháng 4/2023.",
		"c) Rà soát.",
		"- Đơn vị chủ trì: Văn hoá – Xã hội phường",
		"- Thời hạn: Hàng tháng",
		"IV. KINH PHÍ",
		"a) Không phải nhiệm vụ.",
	)
	// Detected by content: the name says .txt.
	p, err := Parse(bytes.NewReader(data), "ke-hoach.txt")
	if err != nil {
		t.Fatal(err)
	}
	if p.Number != "12/KH-UBND" || p.Date != plan.NewDate(2023, 3, 21) || p.Year != 2023 {
		t.Errorf("header = %q %v %d", p.Number, p.Date, p.Year)
	}
	if p.Title != "Triển khai Đề án 06 trên địa bàn phường năm 2023" {
		t.Errorf("Title = %q", p.Title)
	}
	if len(p.Tasks) != 2 {
		t.Fatalf("tasks = %+v", p.Tasks)
	}
	a, c := p.Tasks[0], p.Tasks[1]
	if a.Code != "1.a" || !slices.Equal(a.Lead, []string{"Công an phường"}) || !a.SupportAll || len(a.Support) != 0 ||
		a.Deadline.Due != plan.NewDate(2023, 4, 30) || a.Title != "Tham mưu ban hành văn bản." {
		t.Errorf("1.a = %+v", a)
	}
	if c.Code != "1.c" || !slices.Equal(c.Lead, []string{"Văn hóa - Xã hội"}) || c.Deadline.Recurrence != plan.RecurMonthly {
		t.Errorf("1.c = %+v", c)
	}
	if !slices.ContainsFunc(p.Warnings, func(s string) bool { return strings.Contains(s, "sau nhiệm vụ 1.a là 1.c") }) {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestParseBadFiles(t *testing.T) {
	zipNoWord := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("hello.txt")
		w.Write([]byte("xin chào"))
		zw.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "Tệp “x” không có nội dung."},
		{"blank", []byte(" \n\t\n "), "Tệp “x” không có nội dung."},
		{"binary", []byte{0x00, 0x01, 0x02, 0xFF, 0xFE, 0x10, 0x80, 0x81}, "Tệp “x” không phải văn bản (txt/md/docx)."},
		{"latin1", []byte("K\xe9 ho\xe0ch\n"), "Tệp “x” không phải văn bản (txt/md/docx)."},
		{"zip without word", zipNoWord, "Tệp “x” không phải văn bản (txt/md/docx). Tệp nén không chứa nội dung Word."},
		{"truncated docx", []byte("PK\x03\x04garbage"), "Tệp “x” không phải văn bản (txt/md/docx). Tệp nén không chứa nội dung Word."},
		{"pdf", []byte("%PDF-1.7\n..."), "Tệp “x”: " + msgPDFBroken},
		{"doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "Tệp “x” là Word 97-2003 (.doc), chưa đọc được. Xin lưu lại thành .docx."},
		{"no tasks", []byte("KẾ HOẠCH\n\nXin chào các đồng chí.\n"), "Không tìm thấy nhiệm vụ nào trong tệp “x”."},
		{"empty docx", docx(t, "KẾ HOẠCH", "Chưa có nội dung."), "Không tìm thấy nhiệm vụ nào trong tệp “x”."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(bytes.NewReader(tt.data), "x")
			if err == nil {
				t.Fatalf("Parse = %+v, want error", p)
			}
			if code := plan.ErrorCode(err); code != plan.EInvalid {
				t.Errorf("code = %q (%v)", code, err)
			}
			if msg := plan.ErrorMessage(err); !strings.HasPrefix(msg, tt.msg) {
				t.Errorf("message = %q, want prefix %q", msg, tt.msg)
			}
		})
	}
}

func TestParseUTF16(t *testing.T) {
	src := "a) Rà soát.\n- Chủ trì: Công an\n- Thời hạn: Quý II/2023\n"
	u := []byte{0xFF, 0xFE}
	for _, r := range src {
		if r > 0xFFFF {
			t.Fatal("test text outside the BMP")
		}
		u = append(u, byte(r), byte(r>>8))
	}
	p, err := Parse(bytes.NewReader(u), "utf16.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 1 || p.Tasks[0].Deadline.Due != plan.NewDate(2023, 6, 30) {
		t.Errorf("tasks = %+v", p.Tasks)
	}
}

func TestReviewJSONEmptyLists(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReviewJSON(&buf, &plan.Plan{Tasks: []plan.Task{{Code: "1.a", Deadline: plan.Deadline{Kind: plan.DeadlineOpen}}}}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"units", "warnings"} {
		if _, ok := doc[k].([]any); !ok {
			t.Errorf("%s = %v, want []", k, doc[k])
		}
	}
	task := doc["tasks"].([]any)[0].(map[string]any)
	for _, k := range []string{"lead", "execute", "support", "targets"} {
		if _, ok := task[k].([]any); !ok {
			t.Errorf("task %s = %v, want []", k, task[k])
		}
	}
	if dl := task["deadline"].(map[string]any); dl["due"] != nil || dl["kind"] != "open" {
		t.Errorf("deadline = %v", dl)
	}
	if d := doc["document"].(map[string]any); d["date"] != nil {
		t.Errorf("zero date = %v, want null", d["date"])
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readSample(f))
	f.Add([]byte(variantPlan))
	f.Add(docx(f, "KẾ HOẠCH", "III. NHIỆM VỤ", "1. A", "a) B", "- Chủ trì: Công an", "- Thời hạn: Quý II"))
	f.Add([]byte("(1) Công an phường\n- Nhiệm vụ:\n+ x\n- Chỉ tiêu: Năm 2023 đạt 70%"))
	f.Add([]byte("PK\x03\x04"))
	// Word's automatic numbering and a task table.
	f.Add(numberedPlan(f))
	var tbl wordDoc
	tbl.para("KẾ HOẠCH", "")
	tbl.table([]wRow{
		{header: true, cells: cellsOf("STT", "Nội dung", "Chủ trì", "Thời hạn")},
		{cells: []wCell{{text: "I. Hạ tầng", span: 4}}},
		{cells: []wCell{{text: "1"}, {text: "Mua máy"}, {text: "Công an", vmerge: "restart"}, {text: "Quý II/2023"}}},
		{cells: []wCell{{text: "2"}, {text: "Số hóa"}, {vmerge: "continue"}, {text: "Thường xuyên"}}},
	})
	f.Add(tbl.bytes(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data), "fuzz", WithYear(2023))
		if err != nil {
			if plan.ErrorCode(err) != plan.EInvalid || plan.ErrorMessage(err) == "" {
				t.Fatalf("error without a user message: %v", err)
			}
			return
		}
		if len(p.Tasks) == 0 {
			t.Fatal("a plan without tasks was accepted")
		}
		for _, task := range p.Tasks {
			if task.Code == "" {
				t.Errorf("task without code: %+v", task)
			}
			if task.Deadline.Kind == "" {
				t.Errorf("task %s without deadline kind", task.Code)
			}
		}
		var buf bytes.Buffer
		if err := WriteReview(&buf, p); err != nil {
			t.Fatal(err)
		}
		if err := WriteReviewJSON(&buf, p); err != nil {
			t.Fatal(err)
		}
	})
}

func xmlEscape(b *bytes.Buffer, s string) error {
	return xml.EscapeText(b, []byte(s))
}

// A title followed at once by a heading, with no blank line and no căn cứ
// (as a hurried draft is typed), ends at the heading: the heading and the
// first task are not swallowed into it.
func TestTitleEndsAtHeading(t *testing.T) {
	src := "Số: 12/KH-UBND\nChánh Lộ, ngày 05 tháng 4 năm 2023\nKẾ HOẠCH\nCải cách hành chính phường Chánh Lộ năm 2023\n" +
		"I. CÁC NHIỆM VỤ CỤ THỂ\n1. Thủ tục hành chính\na) Rà soát thủ tục hành chính thuộc thẩm quyền của phường.\n" +
		"- Đơn vị chủ trì: Văn phòng phường.\n- Thời gian hoàn thành: Quý II/2023.\n"
	p, err := Parse(strings.NewReader(src), "cchc.txt")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Cải cách hành chính phường Chánh Lộ năm 2023" {
		t.Errorf("title %q", p.Title)
	}
	if len(p.Tasks) != 1 || p.Tasks[0].Code != "1.a" || len(p.Sections) != 1 {
		t.Errorf("tasks %+v sections %+v", p.Tasks, p.Sections)
	}
}
