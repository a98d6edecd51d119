// Package scheduler decides when planbot reminds units of their tasks and
// sends those reminders, exactly once, through the outbox.
//
// It has two halves. Policy is pure: from a plan, what the units have
// reported and the working calendar it computes every reminder due in a
// window of time (Policy.Due); it reads no clock and touches no store, so
// `planbot schedule preview` and the tests see exactly what the bot would
// send. Scheduler is the runner: a robfig/cron job that, on each tick and
// only on the replica that holds the lead (Leader), computes the
// reminders due since the last few days, claims them in the reminder
// ledger, groups them into one message per officer per day and puts
// those in the outbox (plan.Outbox), whose dispatcher delivers them.
//
// # Never miss, never double
//
// Every reminder has a key (plan.Reminder.Key). The ledger's Record
// returns only reminders it had not seen, so two replicas ticking at once
// split the work instead of both sending. A recorded reminder stays
// pending until the message carrying it is in the outbox; a tick that
// dies between the two leaves it pending, and the next tick re-sends it
// under the same deterministic outbox key, which the outbox ignores if
// the first attempt did get in. A running bot's tick whose reminders are
// all new to it records them and queues their messages in one step
// (Ledger.RecordQueued), which writes nothing if any of them was recorded
// meanwhile; the tick then takes the two steps. Reminders missed while
// the bot was down are sent late when at most CatchUp late; older ones
// are listed once to the secretariat.
//
// # Who gets what
//
// A unit's reminders go to its active officer (plan.RoleOfficer); its
// deputy (plan.RoleDeputy) gets them only when the unit has no reachable
// officer. A reminder for a unit nobody is registered for stays pending:
// an officer who registers within the catch-up period still gets it;
// after that it is listed to the secretariat with the missed ones.
// Escalations go to the secretariat (plan.RoleSecretariat). The chairman
// (plan.RoleChairman) gets, with a copy to the secretariat, a weekly
// digest of the tasks still escalated on the first working day of the
// week (Scheduler.WeeklyDigest), one message per week.
//
// # Report requests
//
// On the report day each lead or executing unit is asked, in its digest
// of the day, for the period's results of its recurring tasks and of its
// dated and range tasks under way and not yet past due; two working days
// later only the units that have not reported on a task are chased.
package scheduler
