package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// benchNow is the moment replies arrive: a working morning of the sample
// plan's year, in the ward's time.
var benchNow = time.Date(2023, 5, 18, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// benchUnit is the unit of the officer who replies.
const benchUnit = "Công an phường"

// benchInbound sends progress replies through the whole pipeline — the
// Telegram webhook handler, the update log, parsing, authorisation, the
// store, the acknowledgement — and compares the rate with plain
// database/sql inserts of the same rows, one transaction each, on the
// same engine; then with a 500-task plan, and with four older plans
// stored beside the current one.
func benchInbound(ctx context.Context, e *env) (figures, error) {
	n := e.scale(10000, 200)
	sample, err := samplePlan(plan.DefaultOrg)
	if err != nil {
		return nil, err
	}
	base, err := plainInserts(ctx, e, sample, n)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	withSample, err := replies(ctx, e, "inbound-sample", []*plan.Plan{sample}, "4.a", n)
	if err != nil {
		return nil, err
	}
	withBig, err := replies(ctx, e, "inbound-big", []*plan.Plan{bigPlan(500)}, "25.e", n)
	if err != nil {
		return nil, fmt.Errorf("500-task plan: %w", err)
	}
	plans := []*plan.Plan{}
	for year := 2019; year <= 2022; year++ {
		old, err := samplePlan(plan.DefaultOrg)
		if err != nil {
			return nil, err
		}
		old.Year, old.Number = year, fmt.Sprintf("%d/KH-UBND", 10+year-2019)
		plans = append(plans, old)
	}
	sample2, _ := samplePlan(plan.DefaultOrg)
	withOld, err := replies(ctx, e, "inbound-old", append(plans, sample2), "4.a", n)
	if err != nil {
		return nil, fmt.Errorf("four older plans: %w", err)
	}
	return figures{
		"replies":                n,
		"per_sec":                round3(withSample),
		"baseline_per_sec":       round3(base),
		"ratio":                  round3(withSample / base),
		"per_sec_500_tasks":      round3(withBig),
		"plan_scaling":           round3(withBig / withSample),
		"per_sec_old_plans":      round3(withOld),
		"plan_scaling_old_plans": round3(withOld / withSample),
	}, nil
}

// samplePlan is the plan of the repository (configs.SamplePlan) for org.
func samplePlan(org int64) (*plan.Plan, error) {
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		return nil, fmt.Errorf("parse the sample plan: %w", err)
	}
	p.OrgID = org
	return p, nil
}

// bigPlan is a plan of n ongoing tasks, all of benchUnit, ten to a
// section: "1.a" … "50.j".
func bigPlan(n int) *plan.Plan {
	p := &plan.Plan{OrgID: plan.DefaultOrg, Number: "99/KH-UBND", Year: 2023, Title: "Kế hoạch lớn năm 2023", Units: []string{benchUnit}}
	for i := range n {
		sec := strconv.Itoa(i/10 + 1)
		if i%10 == 0 {
			p.Sections = append(p.Sections, plan.Section{Number: sec, Title: "Nhóm nhiệm vụ " + sec})
		}
		p.Tasks = append(p.Tasks, plan.Task{Code: fmt.Sprintf("%s.%c", sec, 'a'+i%10), Section: sec, Title: "Nhiệm vụ số " + strconv.Itoa(i+1),
			Lead: []string{benchUnit}, Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}})
	}
	return p
}

// steppingClock moves a millisecond each time it is read, so that every
// report has a time of its own, as they would a day apart.
type steppingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// instantSender accepts every message at once: the network is the
// delivery scenario's subject, not this one's.
type instantSender struct {
	mu   sync.Mutex
	sent int
	last string // the last text, to say what went wrong
}

func (s *instantSender) Send(_ context.Context, _ plan.Address, m plan.Message) (plan.Sent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent++
	s.last = m.Text
	return plan.Sent{MessageID: strconv.Itoa(s.sent)}, nil
}

func (s *instantSender) Capabilities() plan.Capabilities {
	return plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true}
}

func (s *instantSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

const benchSecret = "planbench-webhook-secret"

// replies stores plans (archiving those of earlier years), registers an officer of benchUnit, posts n
// replies "<code> N%" to the webhook handler and returns replies a second.
func replies(ctx context.Context, e *env, name string, plans []*plan.Plan, code string, n int) (float64, error) {
	clock := &steppingClock{t: benchNow}
	db, closeDB, err := e.openStore(ctx, name, storage.WithClock(clock))
	if err != nil {
		return 0, err
	}
	defer closeDB()
	for _, p := range plans {
		if _, err := db.SavePlan(ctx, p); err != nil {
			return 0, fmt.Errorf("save plan %s: %w", p.Number, err)
		}
		// Plans of earlier years are done with: archived, as a ward
		// would, they are kept but no longer answered to.
		if p.Year < benchNow.Year() {
			at := benchNow
			if err := db.ArchivePlan(ctx, p.ID, &at); err != nil {
				return 0, err
			}
		}
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		loc = benchNow.Location()
	}
	sender := &instantSender{}
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db, Notices: db, Pending: db,
		Senders: map[string]plan.Sender{telegram.Name: sender}, Clock: clock, Location: loc, Logger: e.log,
		OrgID: plan.DefaultOrg, Standing: benchUnit,
	})
	if err != nil {
		return 0, err
	}
	// The transport asks the Bot API who it is when it starts; the
	// replies themselves never reach this fake.
	api := telegramtest.NewServer()
	defer api.Close()
	tr, err := telegram.New(telegram.Config{Token: api.Token(), API: api.URL(), Mode: telegram.ModeWebhook,
		WebhookURL: "https://planbot.example/telegram", WebhookSecret: benchSecret, Logger: e.log})
	if err != nil {
		return 0, err
	}
	hook := tr.WebhookHandler(core)
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{Unit: benchUnit, Role: plan.RoleOfficer}, clock.Now())
	if err != nil {
		return 0, err
	}
	if err := post(hook, 1, "/start "+inv.Code); err != nil {
		return 0, fmt.Errorf("register: %w", err)
	}
	before := sender.count()
	start := time.Now()
	for i := range n {
		if err := post(hook, i+2, code+" "+strconv.Itoa(i%100)+"%"); err != nil {
			return 0, fmt.Errorf("reply %d: %w", i+1, err)
		}
	}
	elapsed := time.Since(start)

	// Every reply must have been stored and answered: a fast pipeline
	// that drops reports measures nothing.
	var stored int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM progress`).Scan(&stored); err != nil {
		return 0, err
	}
	if stored != n {
		sender.mu.Lock()
		defer sender.mu.Unlock()
		return 0, fmt.Errorf("%d replies stored %d reports; the last answer: %q", n, stored, sender.last)
	}
	if answered := sender.count() - before; answered < n {
		return 0, fmt.Errorf("%d replies got %d answers", n, answered)
	}
	return float64(n) / elapsed.Seconds(), nil
}

// post sends one Telegram update with text from user 1 in private chat 1
// to the webhook handler.
func post(hook http.Handler, updateID int, text string) error {
	body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"from":{"id":1,"is_bot":false,"first_name":"Công"},"chat":{"id":1,"type":"private"},"text":%s}}`,
		updateID, updateID, benchNow.Unix(), strconv.Quote(text))
	req := httptest.NewRequest(http.MethodPost, "/telegram", strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, benchSecret)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	hook.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("webhook answered %d: %s", rec.Code, rec.Body)
	}
	return nil
}

// plainInserts inserts n progress rows like the replies' with plain
// database/sql, one transaction each, into a store of the same engine
// and schema, and returns rows a second.
func plainInserts(ctx context.Context, e *env, p *plan.Plan, n int) (float64, error) {
	db, closeDB, err := e.openStore(ctx, "inbound-baseline")
	if err != nil {
		return 0, err
	}
	defer closeDB()
	if _, err := db.SavePlan(ctx, p); err != nil {
		return 0, err
	}
	q := `INSERT INTO progress (org_id, plan_id, task_code, unit, period, kind, percent, note, reported_by, reported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if db.Engine() == storage.EnginePostgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	sqlDB := db.SQL()
	at := benchNow.UTC()
	start := time.Now()
	for i := range n {
		err := func() error {
			tx, err := sqlDB.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, q, plan.DefaultOrg, p.ID, "4.a", benchUnit, "2023-05", "percent",
				float64(i%100), "", 1, at.Add(time.Duration(i)*time.Millisecond)); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return 0, fmt.Errorf("insert %d: %w", i, err)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
