package configs

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// The example file must decode to exactly the defaults, so that it really
// documents every setting and its default value.
func TestExampleMatchesDefaults(t *testing.T) {
	var c = Default()
	c.DB, c.OrgName = "changed", "changed"
	if err := decodeYAML(Example, &c); err != nil {
		t.Fatalf("decode example: %v", err)
	}
	if want := Default(); !reflect.DeepEqual(c, want) {
		t.Errorf("example config differs from defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("db: from-file.db\ntimezone: Asia/Bangkok\nreminders:\n  report_day: 20\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, env(map[string]string{
		"PLANBOT_DB":             "from-env.db",
		"PLANBOT_TELEGRAM_TOKEN": "123:abc",
		"PLANBOT_REDIS_URL":      "redis://127.0.0.1:6379/0",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "from-env.db" {
		t.Errorf("DB = %q, want env to win", c.DB)
	}
	if c.Timezone != "Asia/Bangkok" || c.Reminders.ReportDay != 20 {
		t.Errorf("file values lost: %q %d", c.Timezone, c.Reminders.ReportDay)
	}
	if c.Telegram.Token != "123:abc" || c.Redis.URL == "" {
		t.Errorf("secrets from env lost")
	}
	if c.Reminders.At != "08:00" || c.Delivery.PerSecond != 30 || c.Invites.TTL != 7*24*time.Hour {
		t.Errorf("defaults lost: %+v", c.Reminders)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "dbb: x\n", "dbb"},
		{"secret in file", "telegram:\n  token: x\n", "token"},
		{"bad zone", "timezone: Mars/Base\n", "timezone"},
		{"bad mode", "telegram:\n  mode: carrier-pigeon\n", "telegram.mode"},
		{"bad clock", "reminders:\n  at: 8h\n", "reminders.at"},
		{"bad report day", "reminders:\n  report_day: 31\n", "report_day"},
		{"tet without new year", "calendar:\n  tet: [{from: 2023-03-01, to: 2023-03-05}]\n", "Tết"},
		{"bad date", "calendar:\n  working_days: [2023-02-30]\n", "2023-02-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want mention of %q", err, tt.want)
			}
		})
	}
}

func TestLoadCalendar(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	y := "calendar:\n  tet: [{from: 2023-01-20, to: 2023-01-26}]\n  working_days: [2024-05-04]\n  days_off: [{date: 2024-04-29, name: Nghỉ hoán đổi}]\n"
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Calendar.Tet) != 1 || c.Calendar.Tet[0].From.String() != "2023-01-20" ||
		len(c.Calendar.WorkingDays) != 1 || c.Calendar.DaysOff[0].Name != "Nghỉ hoán đổi" {
		t.Errorf("calendar = %+v", c.Calendar)
	}
}

func TestSamplePlanEmbedded(t *testing.T) {
	if !strings.Contains(string(SamplePlan), "III. CÁC NHIỆM VỤ CỤ THỂ") {
		t.Fatal("embedded sample plan is not the Chánh Lộ plan")
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]time.Duration{"08:00": 8 * time.Hour, "07:30": 7*time.Hour + 30*time.Minute, " 17:00 ": 17 * time.Hour} {
		got, err := ParseClock(in)
		if err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseClock("25:00"); err == nil {
		t.Error("ParseClock(25:00) accepted")
	}
}

func TestWebhookNeedsURLAndSecret(t *testing.T) {
	base := map[string]string{"PLANBOT_TELEGRAM_TOKEN": "1:x", "PLANBOT_TELEGRAM_MODE": "webhook"}
	if _, err := Load("", env(base)); err == nil || !strings.Contains(err.Error(), "webhook") {
		t.Fatalf("webhook without URL and secret: err = %v", err)
	}
	base["PLANBOT_WEBHOOK_URL"] = "https://bot.chanhlo.gov.vn/telegram"
	base["PLANBOT_WEBHOOK_SECRET"] = "s3cret_token"
	c, err := Load("", env(base))
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Webhook.URL != base["PLANBOT_WEBHOOK_URL"] || c.Telegram.Webhook.Secret != "s3cret_token" {
		t.Errorf("webhook = %+v", c.Telegram.Webhook)
	}
}
