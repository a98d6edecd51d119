// Package plan holds planbot's domain: implementation plans (kế hoạch),
// their tasks, units, deadlines and targets, the officers who answer for
// units, the progress they report, and the small interfaces through which
// the rest of planbot stores and delivers them.
//
// It imports only the standard library. Adapters (storage, bot transports,
// Redis) and services (importer, scheduler, summary) depend on it; it depends
// on none of them.
package plan
