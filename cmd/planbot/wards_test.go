package main

import (
	"context"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

// The configuration names wards by short name; the roll-up wants ids.
// A ward the deployment does not serve is left out, not guessed at.
func TestProvinceMapping(t *testing.T) {
	cfg := configs.Default()
	cfg.Province.Mapping = map[string]map[string]string{
		"nghia-lo": {"II.1": "Dịch vụ công trực tuyến"},
		"chanh-lo": {"2.b": "Dịch vụ công trực tuyến", "3.a": "Định danh điện tử"},
		"khong-co": {"1.a": "X"},
	}
	m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler)}
	wards := []plan.Organisation{{ID: 1, Short: "chanh-lo"}, {ID: 7, Short: "nghia-lo"}, {ID: 9}}
	want := summary.ProvinceMapping{
		1: {"2.b": "Dịch vụ công trực tuyến", "3.a": "Định danh điện tử"},
		7: {"II.1": "Dịch vụ công trực tuyến"},
	}
	if got := m.provinceMapping(wards); !reflect.DeepEqual(got, want) {
		t.Errorf("mapping = %v, want %v", got, want)
	}
	m.Config.Province.Mapping = nil
	if got := m.provinceMapping(wards); got != nil {
		t.Errorf("without a mapping = %v, want nil (compare by sections)", got)
	}
}

func TestWardTokenEnv(t *testing.T) {
	for short, want := range map[string]string{"chanh-lo": "PLANBOT_TELEGRAM_TOKEN_CHANH_LO", "p12": "PLANBOT_TELEGRAM_TOKEN_P12"} {
		if got := WardTokenEnv(short); got != want {
			t.Errorf("WardTokenEnv(%q) = %q, want %q", short, got, want)
		}
	}
}

// An announcement's copies go at half the bot's rate after a second's
// worth, leaving the other half to reminders and to another ward's
// announcement.
func TestBroadcastPace(t *testing.T) {
	for _, tc := range []struct {
		perSecond float64
		pace      time.Duration
		burst     int
	}{
		{30, time.Second / 15, 30},
		{300, time.Second / 150, 300},
		{0, 0, 0},
	} {
		pace, burst := broadcastPace(configs.Delivery{PerSecond: tc.perSecond})
		if pace != tc.pace || burst != tc.burst {
			t.Errorf("%g/s: pace %s after %d, want %s after %d", tc.perSecond, pace, burst, tc.pace, tc.burst)
		}
	}
}

// The province names wards as people say them; a name that fits none or
// several is refused with the list.
func TestWardsAudienceResolve(t *testing.T) {
	m := &Main{}
	for _, o := range []plan.Organisation{
		{ID: 1, Name: "UBND phường Chánh Lộ", Short: "chanh-lo"},
		{ID: 2, Name: "UBND phường Nghĩa Lộ", Short: "nghia-lo", Overrides: plan.OrgOverrides{OrgName: "UBND phường Nghĩa Lộ"}},
		{ID: 3, Name: "Công an tỉnh Quảng Ngãi", Short: "tinh", Kind: plan.OrgProvince},
	} {
		m.Wards = append(m.Wards, &Ward{Org: o})
	}
	a := wardsAudience{m}
	for typed, want := range map[string]string{
		"Chánh Lộ": "UBND phường Chánh Lộ", "chanh lo": "UBND phường Chánh Lộ", "chanh-lo": "UBND phường Chánh Lộ",
		"UBND phường Nghĩa Lộ": "UBND phường Nghĩa Lộ", "phường nghĩa lộ": "UBND phường Nghĩa Lộ",
	} {
		if got, err := a.Resolve(context.Background(), typed); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", typed, got, err, want)
		}
	}
	for _, typed := range []string{"Lộ", "Quảng Phú", "Công an tỉnh Quảng Ngãi", ""} {
		if got, err := a.Resolve(context.Background(), typed); err == nil || plan.ErrorCode(err) != plan.EInvalid {
			t.Errorf("Resolve(%q) = %q, %v; want a refusal", typed, got, err)
		}
	}
}
