package matching

import "time"

// MeetingNotice is how far ahead of now a first meeting is proposed at
// the earliest.
const MeetingNotice = 24 * time.Hour

// Proposal is a proposed meeting: one stretch of time given in UTC and in
// each side's own zone.
type Proposal struct {
	Start, End   time.Time // UTC
	LearnerStart time.Time // Start in the learner's zone
	TutorStart   time.Time // Start in the tutor's zone
}

// ProposeMeeting finds the first stretch of length inside the hours both
// sides have in common, starting on a quarter hour at least MeetingNotice
// after now and within AverageWeeks weeks after that. When no common
// stretch is that long it proposes the first common stretch (shorter);
// false when there are no common hours at all.
func ProposeMeeting(learner, tutor Side, now time.Time, length time.Duration) (Proposal, bool) {
	const quarter = 15 * time.Minute
	from := now.Add(MeetingNotice)
	if r := from.Truncate(quarter); !r.Equal(from) {
		from = r.Add(quarter)
	}
	common := Common(learner, tutor, from, from.Add(AverageWeeks*7*24*time.Hour))
	if len(common) == 0 {
		return Proposal{}, false
	}
	pick := common[0]
	for _, iv := range common {
		if iv.End.Sub(iv.Start) >= length {
			pick = iv
			break
		}
	}
	end := pick.Start.Add(length)
	if end.After(pick.End) {
		end = pick.End
	}
	return Proposal{
		Start: pick.Start.UTC(), End: end.UTC(),
		LearnerStart: pick.Start.In(learner.Loc), TutorStart: pick.Start.In(tutor.Loc),
	}, true
}
