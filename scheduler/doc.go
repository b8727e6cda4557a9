// Package scheduler runs one-off and recurring jobs at each person's local
// time, durably in Redis and once across processes.
//
// The rules about time are pure functions: ParseSpec and NextAfter compute
// the occurrences of a cron spec in an IANA zone (a local time that clocks
// jump over fires at the first instant after the jump; a local time that
// happens twice fires once, at its first occurrence), QuietHours and
// IsHoliday say when a person should not be disturbed, and NextAllowed moves
// an instant out of both. A Policy per Kind says whether a job may move and
// how late it may still fire after downtime.
//
// The Scheduler stores jobs in Redis: due times in small sorted sets, job
// data in a hash beside them, both in shards whose keys share a hash tag
// ({sched:N}), plus an index of each user's job ids among the user's keys.
// Run claims due jobs atomically under a lease (owner token and deadline,
// compared with the caller's Clock), keeps the lease alive while the handler
// runs, and reschedules or removes the job when the handler succeeds. An
// occurrence is identified by Due.Key ("jobID@unixsec"); a handler makes its
// effect once per key, since an occurrence whose process died runs again
// after its lease expires.
package scheduler
