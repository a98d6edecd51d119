package storage_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

const (
	congAn   = "Công an phường"
	vanPhong = "Văn phòng HĐND-UBND phường"
	quanSu   = "Ban Chỉ huy Quân sự phường"
	doan     = "Đoàn Thanh niên phường"
	phuNu    = "Hội Liên hiệp Phụ nữ phường"
)

// samplePlan has every deadline kind, targets, a support-all task,
// repeated units and Vietnamese text.
func samplePlan() *plan.Plan {
	return &plan.Plan{
		OrgID:  plan.DefaultOrg,
		Number: "56/KH-UBND",
		Date:   plan.NewDate(2023, time.April, 28),
		Title:  "Kế hoạch triển khai Đề án 06 trên địa bàn phường Chánh Lộ năm 2023",
		Year:   2023,
		Sections: []plan.Section{
			{Number: "1", Title: "Hoàn thiện thể chế"},
			{Number: "2", Title: "Phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công"},
		},
		Units:    []string{congAn, vanPhong, quanSu, doan},
		Warnings: []string{"Nhiệm vụ 4: không hiểu thời hạn “Theo tiến độ chung”"},
		Tasks: []plan.Task{
			{
				Code: "1.a", Section: "1", Title: "Rà soát, làm sạch dữ liệu dân cư",
				Lead: []string{congAn}, Support: []string{vanPhong, quanSu},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, time.June, 30), Text: "Trước ngày 30/6/2023"},
				Targets:  []plan.Target{{Value: 100, Unit: "%", Text: "100% dữ liệu được làm sạch"}},
			},
			{
				Code: "1.b", Section: "1", Title: "Số hóa hồ sơ hộ tịch",
				Lead: []string{vanPhong}, Execute: []string{congAn, doan},
				Deadline: plan.Deadline{Kind: plan.DeadlineRange, Start: plan.NewDate(2023, time.May, 1), Due: plan.NewDate(2023, time.December, 31), Text: "Từ tháng 5 đến hết năm 2023"},
				Targets: []plan.Target{
					{Value: 1500, Unit: "hồ sơ", Text: "1.500 hồ sơ"},
					{Value: 70.5, Unit: "%", Text: "70,5% hồ sơ trực tuyến"},
				},
			},
			{
				Code: "2", Section: "2", Title: "Tuyên truyền Đề án 06 đến từng hộ gia đình",
				Lead: []string{doan}, SupportAll: true,
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"},
			},
			{
				Code: "2.đ", Section: "2", Title: "Báo cáo kết quả thực hiện",
				Execute:  []string{vanPhong},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurQuarterly, Text: "Định kỳ hằng quý"},
			},
			{
				Code: "3", Section: "2", Title: "Triển khai thanh toán không dùng tiền mặt",
				Lead: []string{quanSu}, Support: []string{congAn},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Expected: plan.NewDate(2023, time.June, 15), Text: "Sau khi có hướng dẫn của UBND quận (dự kiến tháng 6/2023)"},
			},
			{
				Code: "4", Section: "2", Title: "Nhiệm vụ khác",
				Lead:     []string{vanPhong},
				Deadline: plan.Deadline{Kind: plan.DeadlineOpen, Text: "Theo tiến độ chung"},
			},
		},
	}
}

// clearTimes zeroes the times of p after checking them against want.
func clearTimes(t *testing.T, p *plan.Plan, created, updated time.Time) {
	t.Helper()
	if !p.CreatedAt.Equal(created) || !p.UpdatedAt.Equal(updated) {
		t.Errorf("plan %d times = %v, %v; want %v, %v", p.ID, p.CreatedAt, p.UpdatedAt, created, updated)
	}
	p.CreatedAt, p.UpdatedAt = time.Time{}, time.Time{}
}

func diffPlans(t *testing.T, got, want *plan.Plan) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	if !reflect.DeepEqual(got.Tasks, want.Tasks) {
		for i := range max(len(got.Tasks), len(want.Tasks)) {
			var g, w plan.Task
			if i < len(got.Tasks) {
				g = got.Tasks[i]
			}
			if i < len(want.Tasks) {
				w = want.Tasks[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("task %d:\n got  %+v\n want %+v", i, g, w)
			}
		}
	}
	g, w := *got, *want
	g.Tasks, w.Tasks = nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("plan:\n got  %+v\n want %+v", g, w)
	}
}

func TestSavePlanRoundTrip(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		p := samplePlan()
		res, err := db.SavePlan(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if want := (plan.SaveResult{Created: true, Added: len(p.Tasks)}); res != want {
			t.Errorf("SavePlan = %+v, want %+v", res, want)
		}
		if p.ID == 0 {
			t.Fatal("SavePlan left p.ID zero")
		}
		ids := map[int64]bool{}
		for _, task := range p.Tasks {
			if task.ID == 0 || task.PlanID != p.ID || ids[task.ID] {
				t.Errorf("task %s: ID %d PlanID %d", task.Code, task.ID, task.PlanID)
			}
			ids[task.ID] = true
		}
		want := *p
		clearTimes(t, &want, storagetest.Epoch, storagetest.Epoch)

		got, err := db.PlanByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		clearTimes(t, got, storagetest.Epoch, storagetest.Epoch)
		diffPlans(t, got, &want)

		all, err := db.Plans(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("Plans returned %d plans, want 1", len(all))
		}
		clearTimes(t, &all[0], storagetest.Epoch, storagetest.Epoch)
		diffPlans(t, &all[0], &want)

		units, err := db.Units(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range units {
			names = append(names, u.Name)
			if u.OrgID != plan.DefaultOrg || u.ID == 0 || u.Aliases != nil {
				t.Errorf("unit %+v", u)
			}
		}
		if want := []string{congAn, vanPhong, quanSu, doan}; !reflect.DeepEqual(names, want) {
			t.Errorf("units = %q, want %q", names, want)
		}
		if other, err := db.Plans(ctx, 2); err != nil || len(other) != 0 {
			t.Errorf("Plans(2) = %v, %v; want none", other, err)
		}
	})
}

func TestSavePlanMinimal(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		// A draft: no number, no date, no tasks, org left zero.
		p := &plan.Plan{Number: "/KH-UBND", Title: "Dự thảo", Year: 2024}
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.OrgID != plan.DefaultOrg {
			t.Errorf("OrgID = %d, want %d", p.OrgID, plan.DefaultOrg)
		}
		got, err := db.PlanByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		clearTimes(t, got, storagetest.Epoch, storagetest.Epoch)
		want := *p
		want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}
		diffPlans(t, got, &want)
	})
}

func TestSavePlanReimport(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		first := samplePlan()
		if _, err := db.SavePlan(ctx, first); err != nil {
			t.Fatal(err)
		}
		idOf := map[string]int64{}
		for _, task := range first.Tasks {
			idOf[task.Code] = task.ID
		}

		// A later table refers to tasks by id, as progress does.
		g := storage.GormOf(db)
		if err := g.Exec(`CREATE TABLE later_progress (
			id BIGINT PRIMARY KEY,
			task_id BIGINT NOT NULL REFERENCES tasks(id),
			note TEXT NOT NULL)`).Error; err != nil {
			t.Fatal(err)
		}
		for i, code := range []string{"1.a", "1.b", "4"} {
			if err := g.Exec(`INSERT INTO later_progress (id, task_id, note) VALUES (?, ?, ?)`,
				i+1, idOf[code], "báo cáo "+code).Error; err != nil {
				t.Fatal(err)
			}
		}

		// Same document again: nothing changes.
		again := samplePlan()
		res, err := db.SavePlan(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if res != (plan.SaveResult{}) || again.ID != first.ID {
			t.Errorf("same document: %+v, id %d (want %d)", res, again.ID, first.ID)
		}

		// A new version: 1.b changes its title, 2.đ moves before 2 with
		// no change, 4 disappears, 5 is new.
		next := samplePlan()
		next.Title = "Kế hoạch triển khai Đề án 06 (sửa đổi)"
		next.Tasks[1].Title = "Số hóa hồ sơ hộ tịch, hộ khẩu"
		next.Tasks[1].Support = []string{phuNu}
		next.Tasks[2], next.Tasks[3] = next.Tasks[3], next.Tasks[2]
		next.Tasks = append(next.Tasks[:5], plan.Task{
			Code: "5", Section: "2", Title: "Cấp tài khoản định danh điện tử mức 2",
			Lead:     []string{congAn},
			Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, time.September, 30), Text: "Quý III/2023"},
		})
		res, err = db.SavePlan(ctx, next)
		if err != nil {
			t.Fatal(err)
		}
		if want := (plan.SaveResult{Added: 1, Updated: 1, Removed: 1}); res != want {
			t.Errorf("new version: %+v, want %+v", res, want)
		}
		if next.ID != first.ID {
			t.Errorf("re-import created plan %d, want update of %d", next.ID, first.ID)
		}
		for _, task := range next.Tasks {
			if id, ok := idOf[task.Code]; ok && task.ID != id {
				t.Errorf("task %s: id %d, want %d kept", task.Code, task.ID, id)
			}
		}
		got, err := db.PlanByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *next
		want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}
		got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
		diffPlans(t, got, &want)
		if all, _ := db.Plans(ctx, plan.DefaultOrg); len(all) != 1 {
			t.Errorf("%d plans after re-import, want 1", len(all))
		}

		// The removed task's row and what refers to it survive.
		var notes []string
		if err := g.Raw(`SELECT p.note FROM later_progress p JOIN tasks t ON t.id = p.task_id ORDER BY p.id`).Scan(&notes).Error; err != nil {
			t.Fatal(err)
		}
		if want := []string{"báo cáo 1.a", "báo cáo 1.b", "báo cáo 4"}; !reflect.DeepEqual(notes, want) {
			t.Errorf("later rows = %q, want %q", notes, want)
		}
		var removed int64
		if err := g.Raw(`SELECT COUNT(*) FROM tasks WHERE code = '4' AND removed_at IS NOT NULL`).Scan(&removed).Error; err != nil {
			t.Fatal(err)
		}
		if removed != 1 {
			t.Errorf("task 4 not marked removed")
		}

		// Importing the first version again restores task 4 under its id.
		back := samplePlan()
		res, err = db.SavePlan(ctx, back)
		if err != nil {
			t.Fatal(err)
		}
		if want := (plan.SaveResult{Added: 1, Updated: 1, Removed: 1}); res != want {
			t.Errorf("back to first version: %+v, want %+v", res, want)
		}
		if task := back.Task("4"); task == nil || task.ID != idOf["4"] {
			t.Errorf("task 4 restored as %+v, want id %d", task, idOf["4"])
		}
		got, err = db.PlanByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Tasks) != len(back.Tasks) || got.Task("5") != nil {
			t.Errorf("after restore tasks = %d, task 5 = %v", len(got.Tasks), got.Task("5"))
		}
	})
}

func TestPlansOrder(t *testing.T) {
	clock := storagetest.NewClock(storagetest.Epoch)
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		save := func(number string, year int) int64 {
			t.Helper()
			clock.Add(time.Minute)
			p := &plan.Plan{Number: number, Title: "Kế hoạch " + number, Year: year}
			if _, err := db.SavePlan(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		a := save("1/KH-UBND", 2023)
		b := save("2/KH-UBND", 2022)
		c := save("3/KH-UBND", 2023)
		save("1/KH-UBND", 2023) // a updated last
		all, err := db.Plans(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, p := range all {
			got = append(got, p.ID)
		}
		if want := []int64{a, c, b}; !reflect.DeepEqual(got, want) {
			t.Errorf("order = %v, want %v", got, want)
		}
	}, storage.WithClock(clock))
}

func TestSetDeadline(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		p := samplePlan()
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		manual := plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, time.July, 31), Text: "31/7/2023 (thường trực điều chỉnh)"}
		setOn := plan.NewDate(2023, time.June, 6)
		if err := db.SetDeadline(ctx, p.ID, "1.a", manual, setOn); err != nil {
			t.Fatal(err)
		}
		task := func() plan.Task {
			t.Helper()
			got, err := db.PlanByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *got.Task("1.a")
		}
		deadline := func() plan.Deadline { t.Helper(); return task().Deadline }
		if got := deadline(); got != manual {
			t.Errorf("after SetDeadline: %+v, want %+v", got, manual)
		}
		if got := task().DeadlineSetOn; got != setOn {
			t.Errorf("PlanByID: deadline set on %s, want %s", got, setOn)
		}
		all, err := db.Plans(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		if got := all[0].Task("1.a").DeadlineSetOn; got != setOn {
			t.Errorf("Plans: deadline set on %s, want %s", got, setOn)
		}
		if got := all[0].Task("1.b").DeadlineSetOn; !got.IsZero() {
			t.Errorf("Plans: document deadline of 1.b set on %s, want none", got)
		}

		// Re-importing the unchanged document keeps the manual deadline.
		again := samplePlan()
		res, err := db.SavePlan(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if res != (plan.SaveResult{}) {
			t.Errorf("re-import: %+v, want nothing changed", res)
		}
		if got := deadline(); got != manual {
			t.Errorf("after re-import: %+v, want manual %+v", got, manual)
		}
		if again.Task("1.a").Deadline != manual || again.Task("1.a").DeadlineSetOn != setOn {
			t.Errorf("SavePlan did not report the kept deadline: %+v set on %s", again.Task("1.a").Deadline, again.Task("1.a").DeadlineSetOn)
		}
		if got := task().DeadlineSetOn; got != setOn {
			t.Errorf("after re-import: deadline set on %s, want %s", got, setOn)
		}

		// A re-import that only moves the task keeps the deadline and its day.
		moved := samplePlan()
		moved.Tasks[0], moved.Tasks[1] = moved.Tasks[1], moved.Tasks[0]
		if _, err := db.SavePlan(ctx, moved); err != nil {
			t.Fatal(err)
		}
		if got := task(); got.Deadline != manual || got.DeadlineSetOn != setOn {
			t.Errorf("after moving: %+v set on %s, want manual set on %s", got.Deadline, got.DeadlineSetOn, setOn)
		}

		// A document with a new deadline for the task wins.
		changed := samplePlan()
		doc := plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, time.August, 15), Text: "Trước ngày 15/8/2023"}
		changed.Tasks[0].Deadline = doc
		res, err = db.SavePlan(ctx, changed)
		if err != nil {
			t.Fatal(err)
		}
		if res != (plan.SaveResult{Updated: 1}) {
			t.Errorf("changed document: %+v", res)
		}
		if got := deadline(); got != doc {
			t.Errorf("after changed document: %+v, want %+v", got, doc)
		}
		if got := task().DeadlineSetOn; !got.IsZero() {
			t.Errorf("after changed document: deadline set on %s, want none", got)
		}
		if got := changed.Task("1.a").DeadlineSetOn; !got.IsZero() {
			t.Errorf("SavePlan reported a document deadline set on %s", got)
		}
	})
}

func TestErrors(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		p := samplePlan()
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		ok := plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, time.July, 1)}
		day := plan.NewDate(2023, time.June, 6)
		dup := samplePlan()
		dup.Tasks[1].Code = dup.Tasks[0].Code
		noCode := samplePlan()
		noCode.Tasks[2].Code = ""
		otherOrg := samplePlan()
		otherOrg.OrgID = 42
		removed := samplePlan()
		removed.Number = "57/KH-UBND"
		if _, err := db.SavePlan(ctx, removed); err != nil {
			t.Fatal(err)
		}
		removed.Tasks = removed.Tasks[:1]
		if _, err := db.SavePlan(ctx, removed); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name string
			code string
			run  func() error
		}{
			{"plan by unknown id", plan.ENotFound, func() error { _, err := db.PlanByID(ctx, p.ID+1000); return err }},
			{"deadline of unknown plan", plan.ENotFound, func() error { return db.SetDeadline(ctx, p.ID+1000, "1.a", ok, day) }},
			{"deadline of unknown task", plan.ENotFound, func() error { return db.SetDeadline(ctx, p.ID, "9.z", ok, day) }},
			{"deadline of removed task", plan.ENotFound, func() error { return db.SetDeadline(ctx, removed.ID, "2", ok, day) }},
			{"deadline of unknown kind", plan.EInvalid, func() error { return db.SetDeadline(ctx, p.ID, "1.a", plan.Deadline{Kind: "soon"}, day) }},
			{"deadline ending before it starts", plan.EInvalid, func() error {
				return db.SetDeadline(ctx, p.ID, "1.b", plan.Deadline{Kind: plan.DeadlineRange, Start: plan.NewDate(2023, 9, 1), Due: plan.NewDate(2023, 8, 1)}, day)
			}},
			{"deadline without the day it was set", plan.EInvalid, func() error { return db.SetDeadline(ctx, p.ID, "1.a", ok, plan.Date{}) }},
			{"duplicate task codes", plan.EInvalid, func() error { _, err := db.SavePlan(ctx, dup); return err }},
			{"task without code", plan.EInvalid, func() error { _, err := db.SavePlan(ctx, noCode); return err }},
			{"unknown organisation", plan.ENotFound, func() error { _, err := db.SavePlan(ctx, otherOrg); return err }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.run()
				var pe *plan.Error
				if !errors.As(err, &pe) || pe.Code != tt.code || pe.Message == "" {
					t.Fatalf("error = %v, want *plan.Error with code %s", err, tt.code)
				}
			})
		}
		// Failed saves changed nothing.
		got, err := db.PlanByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Tasks) != len(p.Tasks) || got.Task("1.a").Deadline != p.Tasks[0].Deadline {
			t.Errorf("plan changed by failed calls: %+v", got)
		}
	})
}

func TestSaveUnits(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.SavePlan(ctx, samplePlan()); err != nil {
			t.Fatal(err)
		}
		in := []plan.Unit{
			{Name: congAn, Aliases: []string{"CA phường", "Công an"}},
			{Name: phuNu, Aliases: []string{"Hội LHPN"}},
		}
		if err := db.SaveUnits(ctx, plan.DefaultOrg, in); err != nil {
			t.Fatal(err)
		}
		units, err := db.Units(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]plan.Unit{}
		for _, u := range units {
			byName[u.Name] = u
		}
		if len(units) != 5 {
			t.Errorf("%d units, want 5", len(units))
		}
		for _, u := range in {
			if got := byName[u.Name]; !reflect.DeepEqual(got, u) || u.ID == 0 {
				t.Errorf("unit %q = %+v, want %+v", u.Name, got, u)
			}
		}
		if err := db.SaveUnits(ctx, plan.DefaultOrg, []plan.Unit{{}}); plan.ErrorCode(err) != plan.EInvalid {
			t.Errorf("unit without name: %v", err)
		}
	})
}

// TestSavePlanConcurrent saves plans from several goroutines at once: on
// SQLite this fails with "database is locked" unless transactions begin
// IMMEDIATE; on PostgreSQL two imports of a new plan must not both create
// it.
func TestSavePlanConcurrent(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const workers, rounds = 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds*2)
		var mu sync.Mutex
		created := 0
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range rounds {
					// Every worker saves the shared plan and a plan of its own.
					shared := samplePlan()
					if r%2 == 1 {
						shared.Tasks = shared.Tasks[:3]
					}
					res, err := db.SavePlan(ctx, shared)
					if err != nil {
						errs <- fmt.Errorf("worker %d round %d shared: %w", w, r, err)
						continue
					}
					if res.Created {
						mu.Lock()
						created++
						mu.Unlock()
					}
					own := samplePlan()
					own.Number = fmt.Sprintf("%d/KH-UBND", 100+w)
					if _, err := db.SavePlan(ctx, own); err != nil {
						errs <- fmt.Errorf("worker %d round %d own: %w", w, r, err)
					}
					if _, err := db.Plans(ctx, plan.DefaultOrg); err != nil {
						errs <- fmt.Errorf("worker %d round %d read: %w", w, r, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if created != 1 {
			t.Errorf("shared plan created %d times, want 1", created)
		}
		all, err := db.Plans(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != workers+1 {
			t.Errorf("%d plans, want %d", len(all), workers+1)
		}
	})
}
