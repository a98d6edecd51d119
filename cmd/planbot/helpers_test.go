package main

import (
	"context"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
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
