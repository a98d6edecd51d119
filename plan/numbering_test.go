package plan_test

import (
	"slices"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestUnitTaskCodes(t *testing.T) {
	p := &plan.Plan{Tasks: []plan.Task{
		{Code: "1.a", Lead: []string{"Văn phòng"}},
		{Code: "1.b", Lead: []string{"Công an phường"}, Support: []string{"Văn phòng"}},
		{Code: "2.a", Execute: []string{"Công an phường"}},
		{Code: "2.b", Lead: []string{"Tư pháp"}, Execute: []string{"Công an phường"}},
	}}
	tests := []struct {
		unit string
		want []string
	}{
		{"Công an phường", []string{"1.b", "2.a", "2.b"}},
		{"Văn phòng", []string{"1.a"}}, // supporting 1.b is not numbered
		{"Trạm y tế", nil},
	}
	for _, tt := range tests {
		if got := plan.UnitTaskCodes(p, tt.unit); !slices.Equal(got, tt.want) {
			t.Errorf("UnitTaskCodes(%q) = %v, want %v", tt.unit, got, tt.want)
		}
	}
	if n := plan.UnitTaskNumber(p, "Công an phường", "2.b"); n != 3 {
		t.Errorf("UnitTaskNumber(2.b) = %d, want 3", n)
	}
	if n := plan.UnitTaskNumber(p, "Công an phường", "1.a"); n != 0 {
		t.Errorf("UnitTaskNumber(1.a) = %d, want 0", n)
	}
}
