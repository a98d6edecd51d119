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
//	done_on_time          Đã hoàn thành đúng hạn: "done" reported by the due day (see Lateness)
//	done_late             Đã hoàn thành quá hạn: "done" reported after the due day
//	in_progress           Đang thực hiện trong hạn: open, reported, more than DueSoonDays working days left
//	due_soon              Sắp đến hạn: open, at most DueSoonDays working days left (3 by default)
//	overdue               Quá hạn: open after the due day
//	not_reported          Chưa báo cáo: open, within its deadline, no report in the period
//	ongoing_reported      Thường xuyên, đã báo cáo: a recurring task reported in every elapsed reporting slot of the period
//	ongoing_not_reported  Thường xuyên, chưa báo cáo: a recurring task with a slot of the period unreported
//	waiting               Chờ điều kiện: a conditional task whose condition is not met, or a task whose
//	                      deadline the plan's words did not give (plan.DeadlineOpen) nobody reported on
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
// A conditional task ("Sau khi …") waits until a responsible unit reports
// on it with anything but "chưa thực hiện" (a supporting unit's report
// does not count); from then on its condition counts as met and
// responsible units without reports are not_reported. A deadline the
// secretariat set with /sethan applies from the day it was set
// (plan.Task.DeadlineSetOn): a period judged as of an earlier day (the
// summary of a month that ended before it) still sees the task waiting,
// on the same rule, so a summary computed again later says what it said
// when it was sent.
//
// # Periods
//
// A report counts for the month it answers (plan.Progress.Period), not
// the month it was sent in: a unit answering April's request on 4/5
// reported for April. A summary of a finished period takes such late
// replies; one judged as of a day inside its period takes only what was
// sent by then. Months before the plan was imported (plan.Plan.CreatedAt)
// expect no report. A recurring task expects one report per month
// (ongoing, monthly), per quarter (plan.RecurQuarterly) or per year
// (plan.RecurYearly): ExpectedMonths and ReportedMonths count those slots.
//
// # Lateness
//
// A task due on a working day is on time when done by the end of that
// day; one due on a day off is on time when done by the end of the first
// working day after it (30/4/2023 and the holidays to 3/5: "done" on 2/5
// or 4/5 is on time). Days late are working days after that last on-time
// day, up to the day judged (overdue) or the day "done" was reported
// (done_late). Texts label them "ngày làm việc". A task finished late
// counts in the unit table's overdue column only in the period its "done"
// answers for; later it is only done.
//
// # Results and blockers
//
// "Kết quả" and the target (đạt / chưa đạt) use each responsible unit's
// latest report that carries a figure (a percentage, a count, or "done"
// not returned): a later "vướng" or "đang thực hiện" does not hide it.
// With several responsible units the weakest of their figures (the lowest
// percentage) stands for the task: a task is only as far along as its
// slowest unit. Blockers are listed apart: each unit's latest report of
// the period on a task — lead, executing or supporting — that names a
// difficulty, in the officer's words, with the unit's name.
//
// # Province
//
// RollUpProvince puts the wards' own summaries side by side for the
// level above (Công an tỉnh, Văn phòng UBND tỉnh): nothing is judged
// again. A ward's reporting rate counts units (those that reported over
// those a report was due from), its blocked tasks are those with a
// blocker in the period, its weakest figures are its open tasks short of
// their target or past their due day, most missing first. Wards are
// ordered worst first (ProvinceRank). Wards whose plans differ are
// compared only on what they share: the sections whose titles match once
// case, diacritics, numbering and punctuation are set aside, or the
// indicators of the province's ProvinceMapping; task codes are never
// matched across plans.
package summary
