package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Văn hoá - Xã hội", "văn hóa - xã hội"},
		{"Văn hóa – Xã hội", "văn hóa - xã hội"},
		{"VĂN HOÁ—XÃ HỘI", "văn hóa - xã hội"},
		{norm.NFD.String("Văn hóa - Xã hội"), "văn hóa - xã hội"},
		{"  Thuỷ   lợi ", "thủy lợi"},
		{"khoẻ mạnh", "khỏe mạnh"},
		{"hoà bình", "hòa bình"},
		{"quý II", "quý ii"},           // "qu" + ý: not an "uy" syllable
		{"hoàn thành", "hoàn thành"},   // closed syllable: same in both styles
		{"thuyết phục", "thuyết phục"}, // idem
		{"hoặc", "hoặc"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Văn hoá – Xã hội", "van hoa xa hoi"},
		{"Đoàn phường", "doan phuong"},
		{"Tư pháp - Hộ tịch", "tu phap ho tich"},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalUnit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Công an phường", "Công an phường"},
		{"Công an", "Công an phường"},
		{"Công an phường phường", "Công an phường"},
		{"công an", "Công an phường"},
		{"cong an", "Công an phường"},
		{"Văn phòng", "Văn phòng phường"},
		{"Văn phòng phường.", "Văn phòng phường"},
		{"Văn phòng UBND phường", "Văn phòng phường"},
		{"Trạm y tế", "Trạm y tế phường"},
		{"Trạm y tế phường", "Trạm y tế phường"},
		{"Đoàn phường", "Đoàn phường"},
		{"Bộ phận một cửa", "Bộ phận Một cửa"},
		{"Bộ phận Một cửa phường", "Bộ phận Một cửa"},
		{"Tư pháp - Hộ tịch", "Tư pháp - Hộ tịch"},
		{"Tư pháp – Hộ tịch.", "Tư pháp - Hộ tịch"},
		{"Tư pháp – Hộ tịch phường", "Tư pháp - Hộ tịch"},
		{"Phòng Tư pháp – Hộ tịch phường", "Tư pháp - Hộ tịch"},
		{"Văn hoá - Xã hội", "Văn hóa - Xã hội"},
		{"Văn hóa – Xã hội phường.", "Văn hóa - Xã hội"},
		{"van hoa - xa hoi", "Văn hóa - Xã hội"},
		{"Văn hóa – Thông tin", "Văn hóa - Thông tin"},
		{"Văn hóa - thông tin", "Văn hóa - Thông tin"},
		{"Phòng Văn hóa - Thông tin", "Văn hóa - Thông tin"},
		{"Văn hóa - Thông tin phường", "Văn hóa - Thông tin"},
		{"Tài chính – Kế toán phường.", "Tài chính - Kế toán"},
		{"Địa chính - Xây dựng", "Địa chính - Xây dựng"},
		{"Địa chính - Môi trường", "Địa chính - Môi trường"},
		{"Lao động - Thương binh và Xã hội", "Lao động - Thương binh và Xã hội"},
		{"*Công an phường* (Cơ quan Thường trực Tổ công tác Đề án 06)", "Công an phường"},
		// Unknown units are tidied, not invented.
		{"Hội Nông dân phường phường", "Hội Nông dân phường"},
		{"phòng kinh tế – hạ tầng phường", "Kinh tế - Hạ tầng"},
		{"", ""},
		{" ; ", ""},
	}
	for _, tt := range tests {
		if got := CanonicalUnit(tt.in); got != tt.want {
			t.Errorf("CanonicalUnit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistinctUnits(t *testing.T) {
	pairs := [][2]string{
		{"Văn hóa - Thông tin", "Văn hoá - Xã hội"},
		{"Địa chính - Xây dựng", "Địa chính - Môi trường"},
		{"Công an phường", "Văn phòng phường"},
	}
	for _, p := range pairs {
		if a, b := CanonicalUnit(p[0]), CanonicalUnit(p[1]); a == b {
			t.Errorf("%q and %q both resolve to %q", p[0], p[1], a)
		}
	}
}

func TestResolve(t *testing.T) {
	known := []string{"Công an phường", "Văn phòng phường", "Tư pháp - Hộ tịch", "Văn hóa - Xã hội", "Văn hóa - Thông tin", "Trạm y tế phường", "Hội Nông dân phường"}
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"cong an", "Công an phường", true},
		{"Công an phường phường", "Công an phường", true},
		{"CÔNG AN", "Công an phường", true},
		{"Tư pháp – Hộ tịch phường", "Tư pháp - Hộ tịch", true},
		{"tu phap", "Tư pháp - Hộ tịch", true},
		{"van hoa - xa hoi", "Văn hóa - Xã hội", true},
		{"van hoa xa hoi", "Văn hóa - Xã hội", true},
		{"Văn hoá – Thông tin", "Văn hóa - Thông tin", true},
		{"tram y te", "Trạm y tế phường", true},
		{"hoi nong dan", "Hội Nông dân phường", true},
		{"van hoa", "", false}, // two units fit
		{"Đoàn phường", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.in, known)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
	if got, ok := Resolve("doan", nil); !ok || got != "Đoàn phường" {
		t.Errorf("Resolve against built-in units = %q, %v", got, ok)
	}
}

func TestSplitUnits(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantAll bool
	}{
		{"Công an, Văn phòng phường.", []string{"Công an phường", "Văn phòng phường"}, false},
		{"Văn phòng, Tư pháp - Hộ tịch; Văn hoá - Xã hội; Địa chính - Xây dựng; Trạm y tế.",
			[]string{"Văn phòng phường", "Tư pháp - Hộ tịch", "Văn hóa - Xã hội", "Địa chính - Xây dựng", "Trạm y tế phường"}, false},
		{"Công an phường; Tài chính – Kế toán, Văn hóa – Thông tin.", []string{"Công an phường", "Tài chính - Kế toán", "Văn hóa - Thông tin"}, false},
		{"Lao động - Thương binh và Xã hội, Công an", []string{"Lao động - Thương binh và Xã hội", "Công an phường"}, false},
		{"Công an phường và Văn phòng phường", []string{"Công an phường", "Văn phòng phường"}, false},
		{"Công an phường, Công an", []string{"Công an phường"}, false},
		{"Các ban ngành, đơn vị phường.", nil, true},
		{"Các phòng, ban, đơn vị phường; các hội đoàn thể - chính trị phường.", nil, true},
		{"Các ban ngành của phường.", nil, true},
		{"các hội, đoàn thể", nil, true},
		{"Công an phường, các ban ngành của phường", []string{"Công an phường"}, true},
		{"Các tổ dân phố", []string{"Các tổ dân phố"}, false},
		{"Công an phường và các đơn vị liên quan", []string{"Công an phường"}, true},
		{"Công an phường và các đơn vị liên quan.", []string{"Công an phường"}, true},
		{"Văn phòng phường và các ban ngành", []string{"Văn phòng phường"}, true},
		{"Ủy ban MTTQ Việt Nam phường và các hội, đoàn thể", []string{"Ủy ban MTTQ Việt Nam phường"}, true},
		{"Ủy ban MTTQ Việt Nam phường và các hội, đoàn thể; Công an", []string{"Ủy ban MTTQ Việt Nam phường", "Công an phường"}, true},
		{"Công an phường và Văn phòng phường và các đơn vị liên quan", []string{"Công an phường", "Văn phòng phường"}, true},
		{"Tư pháp - Hộ tịch cùng các cơ quan có liên quan", []string{"Tư pháp - Hộ tịch"}, true},
		{"Lao động - Thương binh và Xã hội và các đơn vị liên quan", []string{"Lao động - Thương binh và Xã hội"}, true},
		{"Hội Nông dân và các tổ dân phố", []string{"Hội Nông dân và các tổ dân phố"}, false},
		{"và các ban ngành", nil, true},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, all := SplitUnits(tt.in)
		if !slices.Equal(got, tt.want) || all != tt.wantAll {
			t.Errorf("SplitUnits(%q) = %q, %v; want %q, %v", tt.in, got, all, tt.want, tt.wantAll)
		}
	}
}

func TestKnownUnitsAreCanonical(t *testing.T) {
	for _, u := range KnownUnits() {
		if got := CanonicalUnit(u); got != u {
			t.Errorf("CanonicalUnit(%q) = %q", u, got)
		}
		if !norm.NFC.IsNormalString(u) {
			t.Errorf("%q is not NFC", u)
		}
	}
}

func FuzzCanonicalUnit(f *testing.F) {
	for _, s := range []string{"Công an phường phường", "Phòng Tư pháp – Hộ tịch phường", "van hoa - xa hoi", "Hội Nông dân", "phòng phòng", "- phường -", "Các ban ngành, đơn vị phường; Công an"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CanonicalUnit(s)
		if again := CanonicalUnit(c); again != c {
			t.Errorf("CanonicalUnit not idempotent: %q → %q → %q", s, c, again)
		}
		if c != "" {
			if got, ok := Resolve(s, []string{c}); !ok || got != c {
				t.Errorf("Resolve(%q, [%q]) = %q, %v", s, c, got, ok)
			}
		}
		units, _ := SplitUnits(s)
		for _, u := range units {
			if u == "" || CanonicalUnit(u) != u {
				t.Errorf("SplitUnits(%q) gave non-canonical %q", s, u)
			}
		}
	})
}

// TestCanonicalUnitAbbreviations checks, with no plan to resolve against,
// the short forms officials write in plan tables. A name written at the
// level of a commune keeps it ("CA xã" → "Công an xã").
func TestCanonicalUnitAbbreviations(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CA xã", "Công an xã"},
		{"CA phường", "Công an phường"},
		{"CA", "Công an phường"},
		{"Công an xã", "Công an xã"},
		{"CÔNG AN XÃ", "Công an xã"},
		{"cong an xa", "Công an xã"},
		{"Công an thị trấn", "Công an thị trấn"},
		{"VP HĐND-UBND", "Văn phòng phường"},
		{"VP HĐND - UBND", "Văn phòng phường"},
		{"VP HĐND và UBND", "Văn phòng phường"},
		{"VP HĐND&UBND", "Văn phòng phường"},
		{"Văn phòng HĐND và UBND phường", "Văn phòng phường"},
		{"Văn phòng HĐND - UBND xã", "Văn phòng xã"},
		{"CC TP-HT", "Tư pháp - Hộ tịch"},
		{"CC TP - HT xã", "Tư pháp - Hộ tịch"},
		{"Công chức Tư pháp - Hộ tịch", "Tư pháp - Hộ tịch"},
		{"Công chức Tư pháp – Hộ tịch phường", "Tư pháp - Hộ tịch"},
		{"BP Một cửa", "Bộ phận Một cửa"},
		{"BP một cửa phường", "Bộ phận Một cửa"},
		{"Bộ phận TN&TKQ", "Bộ phận Một cửa"},
		{"Bộ phận TN & TKQ", "Bộ phận Một cửa"},
		{"Bộ phận Tiếp nhận và Trả kết quả", "Bộ phận Một cửa"},
		{"Đoàn TN", "Đoàn phường"},
		{"Đoàn Thanh niên", "Đoàn phường"},
		{"Đoàn TNCS Hồ Chí Minh phường", "Đoàn phường"},
		{"Đoàn TN xã", "Đoàn xã"},
		{"Hội LHPN", "Hội Liên hiệp Phụ nữ"},
		{"Hội LHPN phường", "Hội Liên hiệp Phụ nữ"},
		{"Hội Liên hiệp Phụ nữ phường", "Hội Liên hiệp Phụ nữ"},
		{"Hội Phụ nữ", "Hội Liên hiệp Phụ nữ"},
		{"UBMTTQ", "Ủy ban MTTQ Việt Nam phường"},
		{"UB MTTQ", "Ủy ban MTTQ Việt Nam phường"},
		{"UBMTTQ VN phường", "Ủy ban MTTQ Việt Nam phường"},
		{"UB MTTQ xã", "Ủy ban MTTQ Việt Nam xã"},
		{"Ủy ban MTTQ Việt Nam xã", "Ủy ban MTTQ Việt Nam xã"},
		{"các tổ dân phố", "Các tổ dân phố"},
		{"Các tổ dân phố trên địa bàn", "Các tổ dân phố"},
		{"tổ dân phố", "Các tổ dân phố"},
		{"Tổ dân phố", "Các tổ dân phố"},
		{"các thôn", "Các thôn"},
		{"Các thôn trên địa bàn xã", "Các thôn"},
		// Not units of the ward: kept as written.
		{"Công an tỉnh", "Công an tỉnh"},
		{"CA huyện", "CA huyện"},
		{"Tổ dân phố số 3", "Tổ dân phố số 3"},
		{"Thôn Đông", "Thôn Đông"},
		{"Hội Cựu chiến binh", "Hội Cựu chiến binh"},
		{"xã", "Xã"},
	}
	for _, tt := range tests {
		if got := CanonicalUnit(tt.in); got != tt.want {
			t.Errorf("CanonicalUnit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestResolveAbbreviations resolves the short forms against the units of
// a ward's plan, of a commune's plan naming its units its own way, and of
// no plan (the built-in units).
func TestResolveAbbreviations(t *testing.T) {
	ward := []string{"Công an phường", "Văn phòng phường", "Tư pháp - Hộ tịch", "Bộ phận Một cửa", "Đoàn phường", "Ủy ban MTTQ Việt Nam phường", "Hội Liên hiệp Phụ nữ", "Các tổ dân phố"}
	commune := []string{"Công an xã", "Văn phòng HĐND và UBND", "Công chức Tư pháp - Hộ tịch", "Bộ phận Tiếp nhận và Trả kết quả", "Đoàn Thanh niên", "Ủy ban MTTQ Việt Nam xã", "Hội Liên hiệp Phụ nữ xã", "Các thôn"}
	other := []string{"Công an phường", "Văn phòng UBND", "Hội Nông dân phường"}
	tests := []struct {
		in     string
		known  []string
		want   string
		wantOK bool
	}{
		{"CA xã", ward, "Công an phường", true},
		{"CA phường", ward, "Công an phường", true},
		{"Công an xã", ward, "Công an phường", true},
		{"CA xã", commune, "Công an xã", true},
		{"CA phường", commune, "Công an xã", true},
		{"Công an phường", commune, "Công an xã", true},
		{"cong an", commune, "Công an xã", true},
		{"VP HĐND-UBND", ward, "Văn phòng phường", true},
		{"VP HĐND và UBND", ward, "Văn phòng phường", true},
		{"VP HĐND-UBND", commune, "Văn phòng HĐND và UBND", true},
		{"Văn phòng", commune, "Văn phòng HĐND và UBND", true},
		{"VP HĐND và UBND", other, "Văn phòng UBND", true},
		{"CC TP-HT", ward, "Tư pháp - Hộ tịch", true},
		{"Công chức Tư pháp - Hộ tịch", ward, "Tư pháp - Hộ tịch", true},
		{"CC TP-HT", commune, "Công chức Tư pháp - Hộ tịch", true},
		{"BP Một cửa", ward, "Bộ phận Một cửa", true},
		{"Bộ phận TN&TKQ", ward, "Bộ phận Một cửa", true},
		{"BP Một cửa", commune, "Bộ phận Tiếp nhận và Trả kết quả", true},
		{"Đoàn TN", ward, "Đoàn phường", true},
		{"Đoàn Thanh niên", ward, "Đoàn phường", true},
		{"Đoàn TN", commune, "Đoàn Thanh niên", true},
		{"Hội LHPN", ward, "Hội Liên hiệp Phụ nữ", true},
		{"Hội LHPN", commune, "Hội Liên hiệp Phụ nữ xã", true},
		{"UBMTTQ", ward, "Ủy ban MTTQ Việt Nam phường", true},
		{"UB MTTQ", commune, "Ủy ban MTTQ Việt Nam xã", true},
		{"tổ dân phố", ward, "Các tổ dân phố", true},
		{"các thôn", commune, "Các thôn", true},
		// The plan has no such unit.
		{"Hội LHPN", other, "", false},
		{"Các thôn", ward, "", false},
		{"CA huyện", ward, "", false},
		// No plan: the built-in units.
		{"CA xã", nil, "Công an phường", true},
		{"VP HĐND-UBND", nil, "Văn phòng phường", true},
		{"CC TP-HT", nil, "Tư pháp - Hộ tịch", true},
		{"Bộ phận TN&TKQ", nil, "Bộ phận Một cửa", true},
		{"Đoàn TN", nil, "Đoàn phường", true},
		{"Hội LHPN", nil, "Hội Liên hiệp Phụ nữ", true},
		{"UB MTTQ", nil, "Ủy ban MTTQ Việt Nam phường", true},
		{"các tổ dân phố", nil, "Các tổ dân phố", true},
		{"các thôn", nil, "Các thôn", true},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.in, tt.known)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q, %v", tt.in, tt.known, got, ok, tt.want, tt.wantOK)
		}
	}
}

// TestSplitUnitsAbbreviations splits table cells written with short forms;
// a unit the resolver cannot place is kept as written and marked unknown,
// which the importer turns into a warning.
func TestSplitUnitsAbbreviations(t *testing.T) {
	tests := []struct {
		in   string
		want []unitRef
	}{
		{"CA xã, VP HĐND-UBND", []unitRef{{"Công an xã", "CA xã", true}, {"Văn phòng phường", "VP HĐND-UBND", true}}},
		{"CC TP-HT; BP Một cửa", []unitRef{{"Tư pháp - Hộ tịch", "CC TP-HT", true}, {"Bộ phận Một cửa", "BP Một cửa", true}}},
		{"Đoàn TN, Hội LHPN và UBMTTQ", []unitRef{{"Đoàn phường", "Đoàn TN", true}, {"Hội Liên hiệp Phụ nữ", "Hội LHPN", true}, {"Ủy ban MTTQ Việt Nam phường", "UBMTTQ", true}}},
		{"VP HĐND và UBND", []unitRef{{"Văn phòng phường", "VP HĐND và UBND", true}}},
		{"Bộ phận TN&TKQ.", []unitRef{{"Bộ phận Một cửa", "Bộ phận TN&TKQ", true}}},
		{"Công an phường, các tổ dân phố", []unitRef{{"Công an phường", "Công an phường", true}, {"Các tổ dân phố", "các tổ dân phố", true}}},
		{"Các thôn, tổ dân phố", []unitRef{{"Các thôn", "Các thôn", true}, {"Các tổ dân phố", "tổ dân phố", true}}},
		{"CA xã và các thôn", []unitRef{{"Công an xã", "CA xã", true}, {"Các thôn", "các thôn", true}}},
		{"CA huyện, Hội CCB", []unitRef{{"CA huyện", "CA huyện", false}, {"Hội CCB", "Hội CCB", false}}},
		{"  Ban Quản lý chợ  ", []unitRef{{"Ban Quản lý chợ", "Ban Quản lý chợ", false}}},
	}
	for _, tt := range tests {
		got, all := splitUnits(tt.in)
		if !slices.Equal(got, tt.want) || all {
			t.Errorf("splitUnits(%q) = %+v, %v; want %+v", tt.in, got, all, tt.want)
		}
	}
}

// TestParseWarnsUnknownAbbreviation: a unit the resolver cannot place is
// kept on the task, with the importer's warning; known short forms are not.
func TestParseWarnsUnknownAbbreviation(t *testing.T) {
	src := "a) Rà soát dữ liệu.\n- Đơn vị chủ trì: CA xã\n- Đơn vị phối hợp: VP HĐND-UBND, Hội CCB, các thôn\n- Thời hạn: Hằng tháng, trước ngày 20\n"
	p, err := Parse(strings.NewReader(src), "ds.txt", WithYear(2025))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 1 {
		t.Fatalf("tasks = %+v", p.Tasks)
	}
	task := p.Tasks[0]
	if !slices.Equal(task.Lead, []string{"Công an xã"}) || !slices.Equal(task.Support, []string{"Văn phòng phường", "Hội CCB", "Các thôn"}) {
		t.Errorf("Lead = %q, Support = %q", task.Lead, task.Support)
	}
	if task.Deadline.Kind != plan.DeadlineRecurring || task.Deadline.Recurrence != plan.RecurMonthly || task.Deadline.Text != "Hằng tháng, trước ngày 20" {
		t.Errorf("Deadline = %+v", task.Deadline)
	}
	var unitWarnings []string
	for _, w := range p.Warnings {
		if strings.Contains(w, "đơn vị") {
			unitWarnings = append(unitWarnings, w)
		}
	}
	want := []string{"Nhiệm vụ a: chưa nhận ra đơn vị “Hội CCB” (phối hợp), giữ tên “Hội CCB”."}
	if !slices.Equal(unitWarnings, want) {
		t.Errorf("unit warnings = %q, want %q", unitWarnings, want)
	}
}
