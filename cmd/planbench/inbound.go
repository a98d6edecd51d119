package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
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
//
// The four run in turns, a tenth of the replies each, and each rate is
// the median of its turns: whatever else the machine does then weighs
// on all four alike.
func benchInbound(ctx context.Context, e *env) (figures, error) {
	n := e.scale(10000, 200)
	const turns = 10
	sample, err := samplePlan(plan.DefaultOrg)
	if err != nil {
		return nil, err
	}
	var olds []*plan.Plan
	for year := 2019; year <= 2022; year++ {
		old, err := samplePlan(plan.DefaultOrg)
		if err != nil {
			return nil, err
		}
		old.Year, old.Number = year, fmt.Sprintf("%d/KH-UBND", 10+year-2019)
		olds = append(olds, old)
	}
	current, _ := samplePlan(plan.DefaultOrg)

	base, err := newPlainInserts(ctx, e, sample)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer base.close()
	type variant struct {
		name string
		run  func(from, count int) (float64, error)
	}
	variants := []variant{{"baseline", base.run}}
	for _, v := range []struct {
		name  string
		plans []*plan.Plan
		code  string
	}{
		{"sample", []*plan.Plan{sample}, "4.a"},
		{"500 tasks", []*plan.Plan{bigPlan(500)}, "25.e"},
		{"old plans", append(olds, current), "4.a"},
	} {
		p, err := newPipeline(ctx, e, "inbound-"+strings.ReplaceAll(v.name, " ", "-"), v.plans, v.code)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		defer p.close()
		variants = append(variants, variant{v.name, p.run})
	}
	rates := make([][]float64, len(variants))
	chunk := max(n/turns, 1)
	for turn := range turns {
		for i, v := range variants {
			r, err := v.run(turn*chunk, chunk)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
			rates[i] = append(rates[i], r)
		}
	}
	med := make([]float64, len(variants))
	for i := range variants {
		med[i] = median(rates[i])
	}
	baseline, withSample, withBig, withOld := med[0], med[1], med[2], med[3]
	return figures{
		"replies":                chunk * turns,
		"per_sec":                round3(withSample),
		"baseline_per_sec":       round3(baseline),
		"ratio":                  round3(withSample / baseline),
		"per_sec_500_tasks":      round3(withBig),
		"plan_scaling":           round3(withBig / withSample),
		"per_sec_old_plans":      round3(withOld),
		"plan_scaling_old_plans": round3(withOld / withSample),
	}, nil
}

// median returns the middle of xs (the mean of the two middle ones).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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

// pipeline is planbot's inbound path on a store of its own, with an
// officer of benchUnit registered: replies posted to hook are handled as
// a webhook update would be.
type pipeline struct {
	db      *storage.DB
	closeDB func()
	api     *telegramtest.Server
	hook    http.Handler
	sender  *instantSender
	code    string
	posted  int
}

// newPipeline stores plans (archiving those of earlier years), wires the
// core and the webhook handler, and registers the officer.
func newPipeline(ctx context.Context, e *env, name string, plans []*plan.Plan, code string) (*pipeline, error) {
	clock := &steppingClock{t: benchNow}
	db, closeDB, err := e.openStore(ctx, name, storage.WithClock(clock))
	if err != nil {
		return nil, err
	}
	p := &pipeline{db: db, closeDB: closeDB, sender: &instantSender{}, code: code}
	if err := p.setUp(ctx, e, clock, plans); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *pipeline) setUp(ctx context.Context, e *env, clock plan.Clock, plans []*plan.Plan) error {
	db := p.db
	for _, pl := range plans {
		if _, err := db.SavePlan(ctx, pl); err != nil {
			return fmt.Errorf("save plan %s: %w", pl.Number, err)
		}
		// Plans of earlier years are done with: archived, as a ward
		// would, they are kept but no longer answered to.
		if pl.Year < benchNow.Year() {
			at := benchNow
			if err := db.ArchivePlan(ctx, pl.ID, &at); err != nil {
				return err
			}
		}
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		loc = benchNow.Location()
	}
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db, Notices: db, Pending: db,
		Senders: map[string]plan.Sender{telegram.Name: p.sender}, Clock: clock, Location: loc, Logger: e.log,
		OrgID: plan.DefaultOrg, Standing: benchUnit,
	})
	if err != nil {
		return err
	}
	// The transport asks the Bot API who it is when it starts; the
	// replies themselves never reach this fake.
	p.api = telegramtest.NewServer()
	tr, err := telegram.New(telegram.Config{Token: p.api.Token(), API: p.api.URL(), Mode: telegram.ModeWebhook,
		WebhookURL: "https://planbot.example/telegram", WebhookSecret: benchSecret, Logger: e.log})
	if err != nil {
		return err
	}
	p.hook = tr.WebhookHandler(core)
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{Unit: benchUnit, Role: plan.RoleOfficer}, clock.Now())
	if err != nil {
		return err
	}
	if err := post(p.hook, 1, "/start "+inv.Code); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return nil
}

func (p *pipeline) close() {
	if p.api != nil {
		p.api.Close()
	}
	p.closeDB()
}

// run posts count replies "<code> N%" and returns replies a second. It
// checks that every reply was stored and answered: a fast pipeline that
// drops reports measures nothing.
func (p *pipeline) run(_, count int) (float64, error) {
	ctx := context.Background()
	var before int
	if err := p.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM progress`).Scan(&before); err != nil {
		return 0, err
	}
	answered := p.sender.count()
	start := time.Now()
	for range count {
		p.posted++
		if err := post(p.hook, p.posted+1, p.code+" "+strconv.Itoa(p.posted%100)+"%"); err != nil {
			return 0, fmt.Errorf("reply %d: %w", p.posted, err)
		}
	}
	elapsed := time.Since(start)
	var stored int
	if err := p.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM progress`).Scan(&stored); err != nil {
		return 0, err
	}
	if stored-before != count {
		p.sender.mu.Lock()
		defer p.sender.mu.Unlock()
		return 0, fmt.Errorf("%d replies stored %d reports; the last answer: %q", count, stored-before, p.sender.last)
	}
	if got := p.sender.count() - answered; got < count {
		return 0, fmt.Errorf("%d replies got %d answers", count, got)
	}
	return float64(count) / elapsed.Seconds(), nil
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

// plainInserts inserts progress rows like the replies' with plain
// database/sql, one transaction each, into a store of the same engine
// and schema.
type plainInserts struct {
	db      *storage.DB
	closeDB func()
	planID  int64
	q       string
}

func newPlainInserts(ctx context.Context, e *env, p *plan.Plan) (*plainInserts, error) {
	db, closeDB, err := e.openStore(ctx, "inbound-baseline")
	if err != nil {
		return nil, err
	}
	if _, err := db.SavePlan(ctx, p); err != nil {
		closeDB()
		return nil, err
	}
	q := `INSERT INTO progress (org_id, plan_id, task_code, unit, period, kind, percent, note, reported_by, reported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if db.Engine() == storage.EnginePostgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	return &plainInserts{db: db, closeDB: closeDB, planID: p.ID, q: q}, nil
}

func (b *plainInserts) close() { b.closeDB() }

// run inserts count rows and returns rows a second.
func (b *plainInserts) run(from, count int) (float64, error) {
	ctx := context.Background()
	sqlDB := b.db.SQL()
	at := benchNow.UTC()
	start := time.Now()
	for i := from; i < from+count; i++ {
		err := func() error {
			tx, err := sqlDB.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, b.q, plan.DefaultOrg, b.planID, "4.a", benchUnit, "2023-05", "percent",
				float64(i%100), "", 1, at.Add(time.Duration(i)*time.Millisecond)); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return 0, fmt.Errorf("insert %d: %w", i, err)
		}
	}
	return float64(count) / time.Since(start).Seconds(), nil
}
