package importer

import (
	"strings"
	"testing"
)

func TestSampleStandingBody(t *testing.T) {
	if got := parseSample(t).StandingBody; got != "Công an phường" {
		t.Errorf("StandingBody = %q, want Công an phường", got)
	}
}

func TestStandingBody(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"named in parentheses", "V. TỔ CHỨC THỰC HIỆN\n2. Giao Công an phường (Cơ quan Thường trực Tổ công tác Đề án 06) tổng hợp kết quả.", "Công an phường"},
		{"no diacritics", "V. TO CHUC THUC HIEN\n2. Giao cong an phuong (co quan thuong truc) tong hop.", "Công an phường"},
		{"là cơ quan thường trực", "V. TỔ CHỨC THỰC HIỆN\nĐề nghị Văn phòng phường là cơ quan thường trực, tổng hợp báo cáo.", "Văn phòng phường"},
		{"only via", "V. TỔ CHỨC THỰC HIỆN\nNếu có khó khăn, vướng mắc, báo cáo về UBND phường (qua Tư pháp - Hộ tịch) để chỉ đạo.", "Tư pháp - Hộ tịch"},
		{"before the implementation part is ignored", "I. MỤC ĐÍCH\nGiao Trạm y tế phường (cơ quan thường trực) …\nV. TỔ CHỨC THỰC HIỆN\nCác đơn vị thực hiện.", ""},
		{"none", "V. TỔ CHỨC THỰC HIỆN\nCác đơn vị nghiêm túc thực hiện.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lines []string
			for _, l := range strings.Split(tc.text, "\n") {
				lines = append(lines, cleanLine(l))
			}
			if got := standingBody(lines); got != tc.want {
				t.Errorf("standingBody = %q, want %q", got, tc.want)
			}
		})
	}
}
