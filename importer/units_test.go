package importer

import (
	"slices"
	"testing"

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
