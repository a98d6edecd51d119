package plan_test

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestValidateOrgShort(t *testing.T) {
	for _, tc := range []struct {
		short string
		ok    bool
	}{
		{"chanh-lo", true},
		{"quang-phu", true},
		{"phuong-1", true},
		{"p2", true},
		{"a", true},
		{strings.Repeat("a", plan.MaxOrgShort), true},
		{"", false},
		{strings.Repeat("a", plan.MaxOrgShort+1), false},
		{"Chanh-Lo", false},
		{"chánh-lộ", false},
		{"chanh lo", false},
		{"chanh_lo", false},
		{"-chanh", false},
		{"chanh-", false},
		{"chanh--lo", false},
		{"12", false}, // would read as an ID after --org
	} {
		err := plan.ValidateOrgShort(tc.short)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateOrgShort(%q) = %v, want ok=%v", tc.short, err, tc.ok)
		}
		if err != nil && (plan.ErrorCode(err) != plan.EInvalid || plan.ErrorMessage(err) == "") {
			t.Errorf("ValidateOrgShort(%q): %v is not an EInvalid *plan.Error with a message", tc.short, err)
		}
	}
}

func TestOrganisationRef(t *testing.T) {
	if got := (plan.Organisation{ID: 3, Short: "quang-phu"}).Ref(); got != "quang-phu" {
		t.Errorf("Ref with a short name = %q", got)
	}
	if got := (plan.Organisation{ID: 1}).Ref(); got != "1" {
		t.Errorf("Ref without a short name = %q", got)
	}
}
