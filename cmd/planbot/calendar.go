package main

import (
	"fmt"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/scheduler"
)

// workCalendar is the ward's working calendar: the computed public
// holidays with the configured adjustments (calendar: in the config file:
// the Tết span, the Quốc khánh day, days off and make-up working days),
// which configs.Load has validated.
func workCalendar(cfg configs.Config) *calendar.Calendar {
	return calendar.New(cfg.Calendar)
}

// reminderPolicy converts the reminders: section of the config into the
// scheduler's policy.
func reminderPolicy(r configs.Reminders) (scheduler.Policy, error) {
	at, err := calendar.ParseTimeOfDay(r.At)
	if err != nil {
		return scheduler.Policy{}, fmt.Errorf("reminders.at: %w", err)
	}
	start, err := calendar.ParseTimeOfDay(r.OfficeStart)
	if err != nil {
		return scheduler.Policy{}, fmt.Errorf("reminders.office_start: %w", err)
	}
	end, err := calendar.ParseTimeOfDay(r.OfficeEnd)
	if err != nil {
		return scheduler.Policy{}, fmt.Errorf("reminders.office_end: %w", err)
	}
	office := calendar.OfficeHours{Start: start, End: end}
	if err := office.Validate(); err != nil {
		return scheduler.Policy{}, fmt.Errorf("reminders.office_start/office_end: %w", err)
	}
	return scheduler.Policy{
		At:                at,
		BeforeDays:        append([]int(nil), r.BeforeDays...),
		OverdueEveryDays:  r.OverdueEveryDays,
		EscalateAfterDays: r.EscalateAfterDays,
		ReportDay:         r.ReportDay,
		ChaserAfterDays:   r.ChaserAfterDays,
		Office:            office,
	}, nil
}

// schedulerOptions are the runner options the config sets.
func schedulerOptions(r configs.Reminders) []scheduler.Option {
	opts := []scheduler.Option{scheduler.WithCatchUp(r.CatchUpDays)}
	if r.Tick != "" {
		opts = append(opts, scheduler.WithTick(r.Tick))
	}
	return opts
}
