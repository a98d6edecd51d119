package configs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
)

// Config is every setting of planbot. configs/planbot.example.yaml
// documents each one.
type Config struct {
	// OrgName is the ward's name as shown in messages.
	OrgName string `yaml:"org_name"`
	// DB is the database DSN: a SQLite file path or a postgres:// URL.
	DB string `yaml:"db"`
	// Timezone is the IANA zone all times are in.
	Timezone string `yaml:"timezone"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`

	Telegram  Telegram             `yaml:"telegram"`
	Zalo      Zalo                 `yaml:"zalo"`
	Report    Report               `yaml:"report"`
	HTTP      HTTP                 `yaml:"http"`
	Redis     Redis                `yaml:"-"`
	Reminders Reminders            `yaml:"reminders"`
	Calendar  calendar.Adjustments `yaml:"calendar"`
	Delivery  Delivery             `yaml:"delivery"`
	Summary   Summary              `yaml:"summary"`
	Broadcast Broadcast            `yaml:"broadcast"`
	Invites   Invites              `yaml:"invites"`
	Standing  Standing             `yaml:"standing"`
	Province  Province             `yaml:"province"`
}

// Province configures the level above the wards, in a deployment that
// serves several.
type Province struct {
	// Mapping lines up wards whose plans differ: for each ward (by its
	// short name, as after --org), its task codes → the province's
	// indicator ("Dịch vụ công trực tuyến"). Without it the roll-up
	// compares wards by the sections their plans share; task codes are
	// never taken to match across plans by themselves.
	Mapping map[string]map[string]string `yaml:"mapping"`
}

// Standing names the standing body (cơ quan thường trực) when the plan
// does not, or names another.
type Standing struct {
	// Unit is the unit's name, in any spelling the importer knows ("Công
	// an phường"); empty: the plan's own.
	Unit string `yaml:"unit"`
}

// Telegram configures the Telegram transport.
type Telegram struct {
	// API is the Bot API base URL; requests go to {API}/bot{token}/{method}.
	API string `yaml:"api"`
	// Username is the bot's username (without @), for invite links made
	// where the bot does not run (`planbot invite`); empty: asked of
	// getMe when the token is set.
	Username string `yaml:"username"`
	// Token comes from PLANBOT_TELEGRAM_TOKEN only.
	Token string `yaml:"-"`
	// Mode is "polling" (default) or "webhook".
	Mode string `yaml:"mode"`
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration `yaml:"poll_timeout"`
	// RequestTimeout bounds each Bot API call (beyond the long-poll wait).
	RequestTimeout time.Duration `yaml:"request_timeout"`
	Webhook        Webhook       `yaml:"webhook"`
}

// Zalo configures the Zalo Bot Platform transport.
type Zalo struct {
	// API is the base URL; calls go to {API}/bot{token}/{method}.
	API string `yaml:"api"`
	// Token comes from PLANBOT_ZALO_TOKEN only.
	Token string `yaml:"-"`
	// Mode is "polling" (trying things out) or "webhook" (production:
	// polling can miss events, and with several replicas only the
	// webhook works).
	Mode string `yaml:"mode"`
	// WebhookSecret (8–256 characters) comes from
	// PLANBOT_ZALO_WEBHOOK_SECRET only. The webhook is
	// {http.public_url}/zalo/webhook.
	WebhookSecret string `yaml:"-"`
	// BotName is the bot's name as officers find it in Zalo ("Bot UBND
	// phường Chánh Lộ"), printed with registration codes; empty: getMe's.
	BotName string `yaml:"bot_name"`
	// MonthlyQuota is the number of messages the Zalo plan allows per
	// month: the secretariat is warned at 80%, and from 90% copies for
	// information give way to reminders. 0: not counted against a limit.
	MonthlyQuota int64 `yaml:"monthly_quota"`
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration `yaml:"poll_timeout"`
	// RequestTimeout bounds each call (beyond the long-poll wait).
	RequestTimeout time.Duration `yaml:"request_timeout"`
}

// Report is the letterhead of the báo cáo and its appendix (Nghị định
// 30/2020/NĐ-CP): who issues and signs, and to whom it goes.
type Report struct {
	// Superior is the governing body's line above the issuer ("UBND
	// THÀNH PHỐ QUẢNG NGÃI"); empty: none.
	Superior string `yaml:"superior"`
	// Issuer are the issuing body's lines, in capitals.
	Issuer []string `yaml:"issuer"`
	// IssuerName names it in sentences ("UBND phường Chánh Lộ").
	IssuerName string `yaml:"issuer_name"`
	// Symbol follows the number: "BC-UBND".
	Symbol string `yaml:"symbol"`
	// Place is the place name of the date line.
	Place string `yaml:"place"`
	// Authority ("TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH"), Title
	// ("CHỦ TỊCH" or "PHÓ CHỦ TỊCH") and Signer (the name; empty: a
	// placeholder) make the signature block.
	Authority string `yaml:"authority"`
	Title     string `yaml:"title"`
	Signer    string `yaml:"signer"`
	// Recipients are the "Nơi nhận" lines.
	Recipients []string `yaml:"recipients"`
	// PreparedBy is the name under "Người lập biểu" in the appendix
	// (empty: a placeholder).
	PreparedBy string `yaml:"prepared_by"`
}

// Letterhead is the report section as the domain type.
func (r Report) Letterhead() plan.Letterhead {
	return plan.Letterhead{
		Superior: r.Superior, Issuer: r.Issuer, IssuerName: r.IssuerName, Symbol: r.Symbol, Place: r.Place,
		Authority: r.Authority, Title: r.Title, Signer: r.Signer, Recipients: r.Recipients, PreparedBy: r.PreparedBy,
	}
}

// HTTP configures planbot's own HTTP server: health, download links, the
// Zalo webhook.
type HTTP struct {
	// Listen is the local address ("127.0.0.1:8080"); empty: no server.
	Listen string `yaml:"listen"`
	// PublicURL is how people reach the server, usually through a reverse
	// proxy with TLS (PLANBOT_PUBLIC_URL): download links and the Zalo
	// webhook are made from it.
	PublicURL string `yaml:"public_url"`
	// SigningKey signs download links (PLANBOT_SIGNING_KEY only); empty:
	// a key generated once and kept in the database, shared by replicas.
	SigningKey string `yaml:"-"`
	// DownloadTTL is how long a download link works.
	DownloadTTL time.Duration `yaml:"download_ttl"`
}

// Webhook configures webhook mode.
type Webhook struct {
	// URL is the public HTTPS address Telegram posts updates to.
	URL string `yaml:"url"`
	// Listen is the local address the webhook server listens on.
	Listen string `yaml:"listen"`
	// Secret comes from PLANBOT_WEBHOOK_SECRET only.
	Secret string `yaml:"-"`
	// MaxBodyBytes caps an update's size.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
}

// Redis configures coordination between replicas.
type Redis struct {
	// URL comes from PLANBOT_REDIS_URL only (it may hold a password).
	// Empty: one process, no Redis.
	URL string
}

// Reminders is the reminder policy.
type Reminders struct {
	// At is the time of day reminders go out ("08:00").
	At string `yaml:"at"`
	// BeforeDays are the working days before a due date to remind on.
	BeforeDays []int `yaml:"before_days"`
	// OverdueEveryDays: after the first overdue notice (next working day),
	// repeat every this many calendar days.
	OverdueEveryDays int `yaml:"overdue_every_days"`
	// EscalateAfterDays: working days overdue before the secretariat hears.
	EscalateAfterDays int `yaml:"escalate_after_days"`
	// ReportDay is the day of the month report requests go out.
	ReportDay int `yaml:"report_day"`
	// ChaserAfterDays: working days after the request to chase silence.
	ChaserAfterDays int `yaml:"chaser_after_days"`
	// OfficeStart and OfficeEnd bound when messages may go out ("07:30").
	OfficeStart string `yaml:"office_start"`
	OfficeEnd   string `yaml:"office_end"`
	// DailyNoticeAt is when the secretariat gets the day's notice of what
	// could not be delivered ("16:30"), once a working day.
	DailyNoticeAt string `yaml:"daily_notice_at"`
	// CatchUpDays: reminders missed while down are sent if at most this
	// many days late; older ones are listed to the secretariat.
	CatchUpDays int `yaml:"catch_up_days"`
	// Tick is the cron spec of the scheduler's tick.
	Tick string `yaml:"tick"`
}

// Delivery is the outbox's rate limits and retries.
type Delivery struct {
	// PerSecond is the overall send rate.
	PerSecond float64 `yaml:"per_second"`
	// PerChatPerSecond is the rate into one private chat.
	PerChatPerSecond float64 `yaml:"per_chat_per_second"`
	// PerGroupPerMinute is the rate into one group.
	PerGroupPerMinute float64 `yaml:"per_group_per_minute"`
	// MaxAttempts before an item is given up.
	MaxAttempts int `yaml:"max_attempts"`
	// Batch is how many due items one dispatcher pass takes.
	Batch int `yaml:"batch"`
	// AnswerFreshness is how long an answer to a person that could not be
	// sent at once (429, 5xx) may wait in the outbox before it is dropped.
	AnswerFreshness time.Duration `yaml:"answer_freshness"`
}

// Summary schedules the chairman's summaries.
type Summary struct {
	// MonthlyDay is the day of the month the current month's summary goes
	// out, as of that day.
	MonthlyDay int `yaml:"monthly_day"`
	// QuarterlyDay: a quarter's summary, as of its end, goes out on days 1
	// to QuarterlyDay of the following month (the first office hour).
	QuarterlyDay int `yaml:"quarterly_day"`
	// DueSoonDays: working days before the due date a task counts as due soon.
	DueSoonDays int `yaml:"due_soon_days"`
}

// Broadcast configures announcements.
type Broadcast struct {
	// ChaserAfter: resend to those who have not acknowledged after this long.
	ChaserAfter time.Duration `yaml:"chaser_after"`
}

// Invites configures registration codes.
type Invites struct {
	// TTL is how long an invite stays valid.
	TTL time.Duration `yaml:"ttl"`
	// BotUsername is the older name of telegram.username, still read.
	BotUsername string `yaml:"bot_username"`
}

// Default returns the settings used when nothing else is said.
func Default() Config {
	return Config{
		OrgName:  "UBND phường Chánh Lộ",
		DB:       "planbot.db",
		Timezone: "Asia/Ho_Chi_Minh",
		LogLevel: "info",
		Telegram: Telegram{
			API:            "https://api.telegram.org",
			Mode:           "polling",
			PollTimeout:    30 * time.Second,
			RequestTimeout: 15 * time.Second,
			Webhook:        Webhook{Listen: ":8443", MaxBodyBytes: 1 << 20},
		},
		Zalo: Zalo{
			API:            "https://bot-api.zaloplatforms.com",
			Mode:           "polling",
			PollTimeout:    30 * time.Second,
			RequestTimeout: 15 * time.Second,
		},
		HTTP: HTTP{Listen: "127.0.0.1:8080", DownloadTTL: 72 * time.Hour},
		Report: Report{
			Issuer:     []string{"ỦY BAN NHÂN DÂN", "PHƯỜNG CHÁNH LỘ"},
			IssuerName: "UBND phường Chánh Lộ",
			Symbol:     "BC-UBND",
			Place:      "Chánh Lộ",
			Authority:  "TM. ỦY BAN NHÂN DÂN",
			Title:      "CHỦ TỊCH",
			Recipients: []string{
				"UBND thành phố (b/c)",
				"Công an thành phố (b/c)",
				"TT Đảng ủy, HĐND phường (b/c)",
				"CT, các PCT UBND phường",
				"Thành viên Tổ công tác Đề án 06 phường",
				"Lưu: VT",
			},
		},
		Reminders: Reminders{
			At:                "08:00",
			BeforeDays:        []int{7, 3, 1},
			OverdueEveryDays:  7,
			EscalateAfterDays: 3,
			ReportDay:         18,
			ChaserAfterDays:   2,
			OfficeStart:       "07:30",
			OfficeEnd:         "17:00",
			DailyNoticeAt:     "16:30",
			CatchUpDays:       3,
			Tick:              "*/5 * * * *",
		},
		Delivery: Delivery{
			PerSecond:         30,
			PerChatPerSecond:  1,
			PerGroupPerMinute: 20,
			MaxAttempts:       8,
			Batch:             100,
			AnswerFreshness:   5 * time.Minute,
		},
		Calendar:  announcedCalendar(),
		Summary:   Summary{MonthlyDay: 22, QuarterlyDay: 5, DueSoonDays: 3},
		Broadcast: Broadcast{ChaserAfter: 24 * time.Hour},
		Invites:   Invites{TTL: 7 * 24 * time.Hour},
	}
}

// Load returns the defaults overlaid with the YAML file at path (none
// when path is "") and then with the environment read through getenv.
// Unknown YAML keys are errors: a typo must not silently fall back to a
// default.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("read config: %w", err)
		}
		if err := decodeYAML(b, &c); err != nil {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	c.ApplyEnv(getenv)
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

func decodeYAML(b []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// ApplyEnv overlays the PLANBOT_* environment variables.
func (c *Config) ApplyEnv(getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set(&c.DB, "PLANBOT_DB")
	set(&c.Timezone, "PLANBOT_TIMEZONE")
	set(&c.LogLevel, "PLANBOT_LOG_LEVEL")
	set(&c.Telegram.Token, "PLANBOT_TELEGRAM_TOKEN")
	set(&c.Telegram.API, "PLANBOT_TELEGRAM_API")
	set(&c.Telegram.Mode, "PLANBOT_TELEGRAM_MODE")
	set(&c.Telegram.Webhook.Secret, "PLANBOT_WEBHOOK_SECRET")
	set(&c.Telegram.Webhook.URL, "PLANBOT_WEBHOOK_URL")
	set(&c.Redis.URL, "PLANBOT_REDIS_URL")
	set(&c.Zalo.Token, "PLANBOT_ZALO_TOKEN")
	set(&c.Zalo.API, "PLANBOT_ZALO_API")
	set(&c.Zalo.Mode, "PLANBOT_ZALO_MODE")
	set(&c.Zalo.WebhookSecret, "PLANBOT_ZALO_WEBHOOK_SECRET")
	set(&c.HTTP.PublicURL, "PLANBOT_PUBLIC_URL")
	set(&c.HTTP.SigningKey, "PLANBOT_SIGNING_KEY")
	set(&c.HTTP.Listen, "PLANBOT_HTTP_LISTEN")
}

// Validate checks the settings that would otherwise fail late.
func (c *Config) Validate() error {
	var errs []error
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("timezone %q: %w", c.Timezone, err))
	}
	if c.Telegram.Mode != "polling" && c.Telegram.Mode != "webhook" {
		errs = append(errs, fmt.Errorf("telegram.mode %q: want polling or webhook", c.Telegram.Mode))
	}
	if c.Telegram.Mode == "webhook" && c.Telegram.Token != "" && (c.Telegram.Webhook.URL == "" || c.Telegram.Webhook.Secret == "") {
		errs = append(errs, errors.New("telegram.mode webhook needs telegram.webhook.url (or PLANBOT_WEBHOOK_URL) and PLANBOT_WEBHOOK_SECRET"))
	}
	if c.Zalo.Mode != "polling" && c.Zalo.Mode != "webhook" {
		errs = append(errs, fmt.Errorf("zalo.mode %q: want polling or webhook", c.Zalo.Mode))
	}
	if c.Zalo.Mode == "webhook" && c.Zalo.Token != "" {
		if !strings.HasPrefix(c.HTTP.PublicURL, "https://") {
			errs = append(errs, errors.New("zalo.mode webhook needs PLANBOT_PUBLIC_URL starting with https:// (Zalo posts only to HTTPS)"))
		}
		if n := len(c.Zalo.WebhookSecret); n < 8 || n > 256 {
			errs = append(errs, errors.New("zalo.mode webhook needs PLANBOT_ZALO_WEBHOOK_SECRET of 8–256 characters"))
		}
		if c.HTTP.Listen == "" {
			errs = append(errs, errors.New("zalo.mode webhook needs http.listen: the webhook is served by planbot's HTTP server"))
		}
	}
	if u := c.HTTP.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		errs = append(errs, fmt.Errorf("http.public_url %q: want an http:// or https:// URL", u))
	}
	for _, hm := range []struct{ name, v string }{
		{"reminders.at", c.Reminders.At},
		{"reminders.office_start", c.Reminders.OfficeStart},
		{"reminders.office_end", c.Reminders.OfficeEnd},
		{"reminders.daily_notice_at", c.Reminders.DailyNoticeAt},
	} {
		if _, err := ParseClock(hm.v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", hm.name, err))
		}
	}
	if d := c.Reminders.ReportDay; d < 1 || d > 28 {
		errs = append(errs, fmt.Errorf("reminders.report_day %d: want 1–28", d))
	}
	if d := c.Summary.MonthlyDay; d < 1 || d > 28 {
		errs = append(errs, fmt.Errorf("summary.monthly_day %d: want 1–28", d))
	}
	if c.Delivery.PerSecond <= 0 || c.Delivery.PerChatPerSecond <= 0 || c.Delivery.PerGroupPerMinute <= 0 {
		errs = append(errs, errors.New("delivery rates must be positive"))
	}
	if err := c.Calendar.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("calendar: %w", err))
	}
	if c.Invites.TTL <= 0 {
		errs = append(errs, errors.New("invites.ttl must be positive"))
	}
	return errors.Join(errs...)
}

// Location loads the configured time zone.
func (c *Config) Location() (*time.Location, error) {
	return time.LoadLocation(c.Timezone)
}

// ParseClock parses a time of day "HH:MM" into the offset from midnight.
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// announcedCalendar is what the government announced for civil servants
// (Bộ LĐ-TB-XH) where it differs from the Labor Code rule the calendar
// computes: Tết 2023 and 2024 began a day earlier; 2024 and 2025 swapped
// days off for Saturdays worked. Later years go in the config file.
func announcedCalendar() calendar.Adjustments {
	d := plan.NewDate
	return calendar.Adjustments{
		Tet: []calendar.Span{
			{From: d(2023, 1, 20), To: d(2023, 1, 26)},
			{From: d(2024, 2, 8), To: d(2024, 2, 14)},
			{From: d(2025, 1, 25), To: d(2025, 2, 2)},
		},
		NationalDay: []plan.Date{d(2024, 9, 3)},
		DaysOff: []calendar.Holiday{
			{Date: d(2024, 4, 29), Name: "Nghỉ hoán đổi"},
			{Date: d(2025, 5, 2), Name: "Nghỉ hoán đổi"},
		},
		WorkingDays: []plan.Date{d(2024, 5, 4), d(2025, 2, 8), d(2025, 4, 26)},
	}
}

// BotUsername is the configured username of the Telegram bot, without
// "@": telegram.username, else invites.bot_username; "" when neither is
// set.
func (c Config) BotUsername() string {
	u := c.Telegram.Username
	if u == "" {
		u = c.Invites.BotUsername
	}
	return strings.TrimPrefix(strings.TrimSpace(u), "@")
}
