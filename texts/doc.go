// Package texts holds every user-facing Vietnamese text of planbot, one
// file per area (bot.go for the chat core, reminders.go, summary.go …).
//
// Texts are written the way officials write to each other: short lines
// that read well on a phone, "đồng chí" as the address, dates as 28/4/2023,
// at most one emoji per message as a status marker. Texts that are sent as
// chat messages are HTML (the small subset of plan.Message); functions
// that take values from plans or people escape them.
package texts
