// Package summary judges how far each task of a plan has come and compiles
// the period summaries the chairman receives: totals by status, tables per
// section and per unit, targets against the latest figures, the overdue
// list, the units that did not report and the blockers in the officers'
// own words. It is pure: callers pass the plan, the progress reports, the
// day to judge by and a working-day calendar.
//
// # Statuses
//
// Every task is judged for each of its responsible units (plan.Task
// Responsible: the lead units, then executing units), as of a day. The
// stable keys (used in JSON and by the xlsx adapter) are:
//
//	done_on_time          Đã hoàn thành đúng hạn: "done" reported on or before the due day
//	done_late             Đã hoàn thành quá hạn: "done" reported after the due day
//	in_progress           Đang thực hiện trong hạn: open, reported, more than DueSoonDays working days left
//	due_soon              Sắp đến hạn: open, at most DueSoonDays working days left (3 by default)
//	overdue               Quá hạn: open after the due day
//	not_reported          Chưa báo cáo: open, within its deadline, no report in the period
//	ongoing_reported      Thường xuyên, đã báo cáo: a recurring task reported in every elapsed month of the period
//	ongoing_not_reported  Thường xuyên, chưa báo cáo: a recurring task with a month of the period unreported
//	waiting               Chờ điều kiện: a conditional task nobody has reported on yet
//
// A lead unit's "done" waits for the secretariat (/xacnhan) or comes back
// with a reason (/tralai). While it waits the unit counts as done (on time
// or late, by the day it reported) and the row carries Pending, shown as
// "(chờ xác nhận)". A returned "done" does not count: the unit is judged as
// if it had reported progress, and the row carries the reason.
//
// A task's own status is the worst of its responsible units' statuses, in
// the order of severity: overdue, not_reported, ongoing_not_reported,
// due_soon, in_progress, waiting, done_late, ongoing_reported,
// done_on_time. A task is done only when every responsible unit is.
//
// A conditional task ("Sau khi …") waits until some responsible unit
// reports on it; from then on its condition counts as met and units
// without reports are not_reported.
//
// Days late are working days (the calendar's): the working days after the
// due day up to the day judged (overdue) or the day "done" was reported
// (done_late). Texts label them "ngày làm việc".
package summary
