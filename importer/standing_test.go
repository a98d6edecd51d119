package importer

import (
	"bytes"
	"os"
	"testing"
)

func TestStandingBody(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"giao … (cơ quan thường trực)", "2. Giao Công an phường (*Cơ quan Thường trực Tổ công tác Đề án 06*) căn cứ Kế hoạch này, … tổng hợp kết quả", "Công an phường"},
		{"là cơ quan thường trực", "3. Văn phòng phường là cơ quan thường trực, tổng hợp kết quả.", "Văn phòng phường"},
		{"qua …", "kịp thời báo cáo về UBND phường (qua Công an phường) để chỉ đạo", "Công an phường"},
		{"none", "Các đơn vị báo cáo về UBND phường để chỉ đạo.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StandingBody([]string{tt.text}); got != tt.want {
				t.Errorf("StandingBody(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// The sample plan makes Công an phường the standing body (part V, item 2).
func TestSamplePlanStandingBody(t *testing.T) {
	b, err := os.ReadFile("../configs/plans/ke-hoach-de-an-06-chanh-lo-2023.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(bytes.NewReader(b), "ke-hoach.txt")
	if err != nil {
		t.Fatal(err)
	}
	if p.Standing != "Công an phường" {
		t.Errorf("Standing = %q, want Công an phường", p.Standing)
	}
}
