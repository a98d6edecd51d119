package main

import (
	"context"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// enrol registers a person as /start CODE would: an invite for the unit
// and role, redeemed at now by the user whose id is chat, reached on
// transport.
func enrol(t testing.TB, officers plan.OfficerStore, now time.Time, transport, chat, unit string, role plan.Role) *plan.Officer {
	t.Helper()
	ctx := context.Background()
	code := "enrol-" + transport + "-" + chat
	if err := officers.CreateInvite(ctx, &plan.Invite{Code: code, OrgID: plan.DefaultOrg, Unit: unit, Role: role,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	o := &plan.Officer{OrgID: plan.DefaultOrg, Name: "Cán bộ " + chat, Unit: unit, Role: role, UserID: chat,
		Address: plan.Address{Transport: transport, ChatID: chat}, Active: true}
	if _, err := officers.RedeemInvite(ctx, code, o, now); err != nil {
		t.Fatalf("enrol %s (%s, %s): %v", chat, unit, role, err)
	}
	return o
}

// oneTaskWard stores a plan with one task, 1.c of Công an phường due
// 30/4/2023 (a Sunday and a holiday), and enrols the chairman (chat 1),
// the secretariat (2) and the police officer (3) on transport.
func oneTaskWard(t testing.TB, db *storage.DB, now time.Time, transport string) plan.OfficerStore {
	t.Helper()
	p := &plan.Plan{OrgID: plan.DefaultOrg, Number: "/KH-UBND", Year: 2023, Title: "Thực hiện Đề án 06 năm 2023", Units: []string{"Công an phường"},
		Tasks: []plan.Task{{Code: "1.c", Title: "Đăng ký nhiệm vụ", Lead: []string{"Công an phường"},
			Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 30)}}}}
	if _, err := db.SavePlan(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	officers := db.OfficerStore()
	enrol(t, officers, now, transport, "1", "", plan.RoleChairman)
	enrol(t, officers, now, transport, "2", "", plan.RoleSecretariat)
	enrol(t, officers, now, transport, "3", "Công an phường", plan.RoleOfficer)
	return officers
}
