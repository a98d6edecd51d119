package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// The memory scenario runs the real `planbot serve`, a process of its
// own, against a fake Bot API in this one, and reads its resident memory
// from /proc: idle, once it is ready, and at its peak while it sends a
// load as big as the delivery scenario's.
//
// The load is put in the outbox before serve starts, due a few seconds
// after it is ready: another process cannot wake serve's dispatcher, which
// otherwise finds items it did not queue itself only at its next poll (up
// to 30 s). The dispatcher sleeps until the first item is due, so the
// idle figure is taken with the load waiting in the database, as a
// report-day morning's queue waits for 08:00.

func benchMemory(ctx context.Context, e *env) (figures, error) {
	chats := e.scale(1000, 100)
	perChat := 3
	// How long serve runs ready and idle before idle_mb is read, and the
	// time it has to get ready before the load is due.
	idleFor := time.Duration(e.scale(3, 1)) * time.Second
	startIn := time.Duration(e.scale(7, 4)) * time.Second
	items := chats * perChat

	bin, err := memPlanbot(ctx, e)
	if err != nil {
		return nil, err
	}
	// A binary the linker has just written sits in the page cache in the
	// large pages it was written in, and the kernel maps its code 2 MB at
	// a time: 41 MB idle instead of 31 MB on the development machine,
	// against a binary read from disk as a deployment starts it. The
	// scenario measures the latter.
	if err := evictFromPageCache(bin); err != nil {
		return nil, fmt.Errorf("start planbot from disk: %w", err)
	}
	// serve's own database: always a SQLite file, the embedded default
	// whose footprint the targets are about (on PostgreSQL the database's
	// memory is another process's).
	dbPath := filepath.Join(e.dir, "memory.db")
	officers, err := memSeed(ctx, e, dbPath)
	if err != nil {
		return nil, err
	}

	api := telegramtest.NewServer(telegramtest.WithUsername("chanhlo_bot"))
	defer api.Close()
	listen, err := memFreeAddr()
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(e.dir, "memory.yaml")
	// 300 messages/s as in the delivery scenario (Telegram's 30/s would
	// make the load a hundred seconds of waiting); a short long-poll so
	// that the stop does not wait for one.
	cfg := fmt.Sprintf(`db: %q
log_level: warn
telegram:
  api: %q
  poll_timeout: 2s
http:
  listen: %q
delivery:
  per_second: 300
  per_chat_per_second: 1
`, dbPath, api.URL(), listen)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, fmt.Errorf("write serve's configuration: %w", err)
	}

	// Due well after serve is ready and has idled: the start is timed
	// below, and a slow start fails the run instead of blurring idle and
	// load.
	due := time.Now().Add(startIn + idleFor)
	if err := memEnqueue(ctx, dbPath, chats, perChat, due); err != nil {
		return nil, err
	}

	logPath := filepath.Join(e.dir, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("serve's log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "--config", cfgPath, "serve")
	cmd.Env = append(memEnv(), "PLANBOT_TELEGRAM_TOKEN="+api.Token())
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Dir = e.dir
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start planbot serve: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			<-exited
		}
	}()
	fail := func(err error) (figures, error) {
		return nil, fmt.Errorf("%w (serve's log: %s)", err, memTail(logPath))
	}

	start := time.Now()
	if err := memReady(ctx, "http://"+listen+"/readyz", exited, 30*time.Second); err != nil {
		return fail(err)
	}
	readyIn := time.Since(start)
	if !memSleep(ctx, idleFor) {
		return nil, ctx.Err()
	}
	idle, err := memStatus(cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}
	idlePMD := memFilePMD(cmd.Process.Pid)
	if !time.Now().Before(due) {
		return fail(fmt.Errorf("serve was ready in %s: too late to measure it idle before the load (due %s)", readyIn.Round(time.Millisecond), due.Format(time.TimeOnly)))
	}

	e.say("memory: serve idle at %.1f MB; %d messages to %d chats due at %s …", idle.hwm, items, chats, due.Format(time.TimeOnly))
	// The limits allow the load in (items/300 s, perChat-1 s at least);
	// ten times that and a poll interval is a hang, not a slow run.
	waitCtx, cancel := context.WithTimeout(ctx, time.Until(due)+10*time.Duration(items/300+perChat)*time.Second+30*time.Second)
	stopSampling := make(chan struct{})
	peakAnon := memPeakAnon(cmd.Process.Pid, stopSampling)
	err = api.WaitSent(waitCtx, items)
	cancel()
	close(stopSampling)
	loadAnon := <-peakAnon
	sent := len(api.AllSent())
	if err != nil {
		return fail(fmt.Errorf("the load: %d of %d messages sent: %w", sent, items, err))
	}
	sentIn := time.Since(due)
	load, err := memStatus(cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}

	// A clean stop: SIGTERM, and exit status 0.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fail(fmt.Errorf("stop serve: %w", err))
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			return fail(fmt.Errorf("serve stopped with %w after SIGTERM", err))
		}
	case <-time.After(30 * time.Second):
		return fail(errors.New("serve did not stop within 30 s of SIGTERM"))
	}
	if n := len(api.AllSent()); n != items {
		return fail(fmt.Errorf("%d messages sent for %d queued", n, items))
	}

	return figures{
		"engine":   "sqlite",
		"officers": officers,
		"chats":    chats,
		"sent":     sent,
		// The targets' figures: the resident set's peak (VmHWM).
		"idle_mb": round3(idle.hwm),
		"load_mb": round3(load.hwm),
		// What they are made of: the process's own memory, and the
		// mapped files (its binary), of which file_pmd_mb in 2 MB pages.
		"idle_anon_mb":     round3(idle.anon),
		"idle_file_mb":     round3(idle.file),
		"idle_file_pmd_mb": round3(idlePMD),
		"load_anon_mb":     round3(max(loadAnon, load.anon)),
		"ready_ms":         ms(readyIn),
		"load_s":           round3(sentIn.Seconds()),
	}, nil
}

// memPlanbot returns the planbot binary to run: e.planbot, or one built
// from this module into the run's directory.
func memPlanbot(ctx context.Context, e *env) (string, error) {
	if e.planbot != "" {
		return e.planbot, nil
	}
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module (go env GOMOD): %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("build planbot: not inside the planbot module; run from it or pass --planbot")
	}
	bin := filepath.Join(e.dir, "planbot")
	e.say("memory: building planbot …")
	// Built as the Dockerfile builds it.
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/planbot")
	build.Dir = filepath.Dir(mod)
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/planbot: %w\n%s", err, out)
	}
	return bin, nil
}

// memSeed makes serve's database: the sample plan and an officer
// registered for each of its units. It returns how many officers.
func memSeed(ctx context.Context, e *env, path string) (int, error) {
	db, err := storage.Open(ctx, path, storage.WithLogger(e.log))
	if err != nil {
		return 0, fmt.Errorf("serve's database: %w", err)
	}
	defer db.Close()
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		return 0, fmt.Errorf("sample plan: %w", err)
	}
	if _, err := db.SavePlan(ctx, p); err != nil {
		return 0, fmt.Errorf("save the sample plan: %w", err)
	}
	store := db.OfficerStore()
	now := time.Now()
	for i, unit := range p.Units {
		inv, err := bot.CreateInvite(ctx, store, db, bot.InviteSpec{Unit: unit, Role: plan.RoleOfficer}, now)
		if err != nil {
			return 0, err
		}
		chat := strconv.Itoa(900000 + i)
		o := &plan.Officer{OrgID: plan.DefaultOrg, Name: "Cán bộ " + chat, Unit: unit, Role: plan.RoleOfficer, UserID: chat,
			Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
		if _, err := store.RedeemInvite(ctx, inv.Code, o, now); err != nil {
			return 0, fmt.Errorf("register the officer of %s: %w", unit, err)
		}
	}
	return len(p.Units), nil
}

// memEnqueue puts perChat messages for each of chats chats in the
// outbox, due at due. Each is the size of a report request digest.
func memEnqueue(ctx context.Context, path string, chats, perChat int, due time.Time) error {
	db, err := storage.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("serve's database: %w", err)
	}
	defer db.Close()
	body := strings.Repeat("1.b Triển khai thực hiện hiệu quả Nghị định số 104/2022/NĐ-CP — đề nghị báo cáo kết quả tháng 5/2023; hạn 30/6/2023.\n", 4)
	var batch []plan.OutboxItem
	for i := range perChat {
		for c := range chats {
			batch = append(batch, plan.OutboxItem{
				OrgID:     plan.DefaultOrg,
				Key:       fmt.Sprintf("planbench-memory|%d|%d", c, i),
				Address:   plan.Address{Transport: "telegram", ChatID: strconv.Itoa(1000 + c)},
				Message:   plan.Message{Text: fmt.Sprintf("Tin %d/%d\n%s", i+1, perChat, body)},
				Context:   plan.ReplyContext{Kind: plan.ReplyBroadcast},
				NotBefore: due,
			})
		}
	}
	n, err := db.Enqueue(ctx, batch...)
	if err != nil {
		return fmt.Errorf("queue the load: %w", err)
	}
	if n != len(batch) {
		return fmt.Errorf("queue the load: %d of %d items added", n, len(batch))
	}
	return nil
}

// memEnv is this process's environment without PLANBOT_* variables, so
// that serve runs on the scenario's configuration alone (no Redis, no
// other database or token from the shell).
func memEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLANBOT_") {
			env = append(env, kv)
		}
	}
	return env
}

// memFreeAddr returns a loopback address with a port free a moment ago.
func memFreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// memReady polls url until it answers 200, serve exits, or within runs out.
func memReady(ctx context.Context, url string, exited <-chan error, within time.Duration) error {
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("serve exited before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("serve not ready within %s (%s)", within, url)
		}
	}
}

// memSleep waits d, or until ctx ends; it reports whether d passed.
func memSleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// memUse is a process's resident memory in MB, from /proc/<pid>/status:
// now (rss: anon + file), at its peak (hwm, the kernel's VmHWM), and
// now split into the process's own memory (anon: heap, stacks) and the
// pages of files it maps (file: mostly its own binary).
type memUse struct{ rss, hwm, anon, file float64 }

// memStatus reads VmRSS, VmHWM, RssAnon and RssFile from
// /proc/<pid>/status.
func memStatus(pid int) (memUse, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memUse{}, fmt.Errorf("memory of serve: %w", err)
	}
	defer f.Close()
	var m memUse
	fields := map[string]*float64{"VmRSS": &m.rss, "VmHWM": &m.hwm, "RssAnon": &m.anon, "RssFile": &m.file}
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		dst := fields[k]
		if !ok || dst == nil {
			continue
		}
		kb, err := memKB(v)
		if err != nil {
			return memUse{}, fmt.Errorf("memory of serve: %s: %w", k, err)
		}
		*dst = kb / 1024
		found++
	}
	if err := sc.Err(); err != nil {
		return memUse{}, fmt.Errorf("memory of serve: %w", err)
	}
	if found != len(fields) {
		return memUse{}, errors.New("memory of serve: /proc/<pid>/status lacks VmRSS, VmHWM, RssAnon or RssFile (not Linux?)")
	}
	return m, nil
}

// memKB parses "  12345 kB".
func memKB(v string) (float64, error) {
	f := strings.Fields(v)
	if len(f) != 2 || f[1] != "kB" {
		return 0, fmt.Errorf("%q is not a size in kB", v)
	}
	return strconv.ParseFloat(f[0], 64)
}

// memFilePMD returns how much of the process's file-backed memory the
// kernel maps in 2 MB pages (FilePmdMapped in smaps_rollup), in MB; 0
// when it cannot tell. A kernel that keeps the binary in large page-cache
// folios maps 2 MB of it for one touched page: resident, but clean and
// shared, and how much depends on the file system the binary lies on.
func memFilePMD(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "FilePmdMapped:"); ok {
			if kb, err := memKB(v); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// memPeakAnon samples the process's anonymous memory every 50 ms until
// stop is closed and sends the highest reading, in MB: the kernel keeps
// the peak of the whole resident set only (VmHWM).
func memPeakAnon(pid int, stop <-chan struct{}) <-chan float64 {
	out := make(chan float64, 1)
	go func() {
		peak := 0.0
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if m, err := memStatus(pid); err == nil {
				peak = max(peak, m.anon)
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// memTail returns the end of serve's log, for errors.
func memTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	if s := strings.TrimSpace(string(b)); s != "" {
		return s
	}
	return "empty"
}
