package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/docx"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/web"
	"github.com/chanhlo/planbot/xlsx"
)

func init() {
	register(Command{
		Name:    "web",
		Usage:   "[--listen 127.0.0.1:8080] [--as chairman|secretariat|ĐƠN_VỊ] [--date YYYY-MM-DD]",
		Summary: "chỉ mở trang web theo dõi (không cần mã bot), in đường liên kết đăng nhập; ví dụ xem dữ liệu của demo",
		Run:     runWeb,
	})
}

// runWeb serves the web pages alone — no messenger, no reminders — and
// prints a sign-in link for a registered person: how the demo's quarter
// is looked at in a browser, or the office looks without a bot token.
func runWeb(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "web")
	listen := fs.String("listen", env.Config.HTTP.Listen, "địa chỉ máy chủ web")
	as := fs.String("as", "chairman", "đăng nhập với tư cách: chairman, secretariat hoặc tên đơn vị")
	dateArg := fs.String("date", "", "xem số liệu như vào ngày YYYY-MM-DD (mặc định: hôm nay), ví dụ 2023-06-30 cho demo")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageErrorf("lệnh không nhận tham số %q", pos[0])
	}
	clock := env.Clock
	if *dateArg != "" {
		day, err := plan.ParseDate(*dateArg)
		if err != nil {
			return usageErrorf("ngày %q: cần dạng YYYY-MM-DD", *dateArg)
		}
		start := time.Now()
		at := day.At(10, 0, env.Loc)
		clock = plan.ClockFunc(func() time.Time { return at.Add(time.Since(start)) })
	}
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return err
	}
	cfg, org, err := env.WardConfig(ctx)
	if err != nil {
		return err
	}
	officers := db.OfficerStore()
	all, err := officers.Officers(ctx, org.ID)
	if err != nil {
		return err
	}
	who := pickOfficer(all, *as)
	if who == nil {
		return usageErrorf("không có cán bộ nào đã đăng ký là %q; dùng --as chairman, secretariat hoặc tên đơn vị", *as)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	ln.Close()
	public := env.Config.HTTP.PublicURL
	if public == "" {
		public = "http://" + ln.Addr().String()
	}
	source := &summary.Source{Plans: db, Progress: db, Workdays: calendar.New(cfg.Calendar), OrgID: org.ID, Loc: env.Loc, DueSoonDays: cfg.Summary.DueSoonDays, Officers: officers}
	auth := &web.Auth{Store: db, Officers: officers, PublicURL: public, Clock: clock, Log: env.Logger, SignInTTL: time.Hour}
	srv := web.NewServer(env.Logger)
	auth.Mount(srv)
	(&web.Dashboard{
		Auth: auth, Source: source, Officers: officers, Broadcasts: db, Org: cfg.OrgName, Clock: clock, Log: env.Logger,
		Documents: func(ctx context.Context, s *summary.Summary) ([]plan.Document, error) {
			day := plan.DateOf(clock.Now().In(env.Loc))
			book, err := xlsx.Document(s, xlsx.WithLetterhead(cfg.Report.Letterhead(), day))
			if err != nil {
				return nil, err
			}
			p, err := db.PlanByID(ctx, s.PlanID)
			if err != nil {
				return nil, err
			}
			word, err := docx.Document(report.Build(s, p, cfg.Report.Letterhead(), day))
			if err != nil {
				return nil, err
			}
			return []plan.Document{*book, *word}, nil
		},
	}).Mount(srv)
	(&web.API{
		Tokens: db, Plans: db, Progress: db, Officers: officers, Broadcasts: db, Summaries: source,
		Tags: bot.PlanTags, Loc: env.Loc, Clock: clock, Log: env.Logger,
	}).Mount(srv)
	if err := srv.Open(ln.Addr().String()); err != nil {
		return err
	}
	link, until, err := auth.SignInLink(ctx, who)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Trang theo dõi đang chạy tại %s\nĐăng nhập với tư cách %s (%s), đến %s:\n%s\nNhấn Ctrl+C để dừng.\n",
		public, who.Name, who.Role.Vietnamese(), until.In(env.Loc).Format("15:04"), link)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Close(sctx)
}

// pickOfficer finds the active officer to sign in as: a role name or a
// unit (any spelling).
func pickOfficer(all []plan.Officer, as string) *plan.Officer {
	role, isRole := bot.ParseRole(as)
	var units []string
	for _, o := range all {
		units = append(units, o.Unit)
	}
	unit, _ := bot.ResolveUnit(as, units)
	for i := range all {
		o := &all[i]
		if !o.Active {
			continue
		}
		if (isRole && o.Role == role && (role == plan.RoleChairman || role == plan.RoleSecretariat)) || (unit != "" && o.Unit == unit) {
			return o
		}
	}
	return nil
}
