package bots

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/skills"
	"github.com/talentjourney/talentbot/store"
)

// Stats is how the programme is going. Counts by role and country and
// activity come from the shared user index; quiz accuracy from the users'
// states (read in pipelined batches: about 10,000 users a second); requests
// from package matching's request keys (found by SCAN).
type Stats struct {
	// Learners and Tutors count users by country code ("" unknown).
	Learners map[string]int
	Tutors   map[string]int
	// Coordinators counts users with the coordinator role in the index.
	Coordinators int
	// Active7 and Active30 count users seen in the last 7 and 30 days.
	Active7, Active30 int
	// Lessons is the number of lessons completed by everyone.
	Lessons int
	// Accuracy holds first answers per track id.
	Accuracy map[string]lessons.Tally
	// Requests counts mentoring requests by state ("open", "accepted",
	// "expired", ...).
	Requests map[string]int
	// MedianAnswer is the median time from a request to a tutor's answer
	// (accept or decline), over Answered requests; zero when none.
	MedianAnswer time.Duration
	Answered     int
}

// ComputeStats counts the programme's figures at now.
func ComputeStats(ctx context.Context, st *store.Store, now time.Time) (Stats, error) {
	s := Stats{Learners: map[string]int{}, Tutors: map[string]int{},
		Accuracy: map[string]lessons.Tally{}, Requests: map[string]int{}}
	var users []string
	today := now.Unix() / 86400
	err := eachSummary(ctx, st, func(user string, u Summary) {
		users = append(users, user)
		switch u.Role {
		case RoleTutor:
			s.Tutors[u.Country]++
		case RoleCoordinator:
			s.Coordinators++
		default:
			s.Learners[u.Country]++
		}
		if u.Seen >= today-7 {
			s.Active7++
		}
		if u.Seen >= today-30 {
			s.Active30++
		}
		s.Lessons += u.Lessons
	})
	if err != nil {
		return s, err
	}
	err = eachState(ctx, st, users, func(stt *State) {
		for track, tl := range stt.Progress.Accuracy().Tracks {
			a := s.Accuracy[track]
			a.Right += tl.Right
			a.Total += tl.Total
			s.Accuracy[track] = a
		}
	})
	if err != nil {
		return s, err
	}
	return s, requestStats(ctx, st, &s)
}

// eachSummary calls f for each entry of the user index.
func eachSummary(ctx context.Context, st *store.Store, f func(user string, u Summary)) error {
	iter := st.Client.HScan(ctx, st.Keys.Global("users"), 0, "", 1000).Iterator()
	for iter.Next(ctx) {
		user := iter.Val()
		if !iter.Next(ctx) {
			break
		}
		var u Summary
		if json.Unmarshal([]byte(iter.Val()), &u) != nil {
			continue
		}
		f(user, u)
	}
	return iter.Err()
}

// eachState reads the states of users in pipelined batches.
func eachState(ctx context.Context, st *store.Store, users []string, f func(*State)) error {
	for i := 0; i < len(users); i += 500 {
		batch := users[i:min(i+500, len(users))]
		pipe := st.Client.Pipeline()
		cmds := make([]*redis.StringCmd, len(batch))
		for j, u := range batch {
			cmds[j] = pipe.Get(ctx, st.Keys.User(u, "state"))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		for j, c := range cmds {
			raw, err := c.Result()
			if err != nil {
				continue
			}
			s, err := decodeState(batch[j], raw)
			if err == nil {
				f(s)
			}
		}
	}
	return nil
}

// scanKeys calls f for every key matching pattern, on every master of a
// cluster.
func scanKeys(ctx context.Context, rdb redis.UniversalClient, pattern string,
	f func(key string)) error {
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			f(iter.Val())
		}
		return iter.Err()
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return scan(ctx, m)
		})
	}
	return scan(ctx, rdb)
}

// eachRequest calls f for every mentoring request stored by package
// matching.
func eachRequest(ctx context.Context, st *store.Store, f func(matching.Request)) error {
	rs := matching.NewRequests(st, nil, matching.RequestConfig{})
	var ids []string
	prefix := st.Keys.Base() + "{u:"
	err := scanKeys(ctx, st.Client, prefix+"*}:match:req:*", func(key string) {
		learner, n, ok := strings.Cut(strings.TrimPrefix(key, prefix), "}:match:req:")
		if ok {
			ids = append(ids, learner+"#"+n)
		}
	})
	if err != nil {
		return err
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, err := rs.Get(ctx, id)
		if errors.Is(err, matching.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		f(r)
	}
	return nil
}

func requestStats(ctx context.Context, st *store.Store, s *Stats) error {
	var waits []time.Duration
	err := eachRequest(ctx, st, func(r matching.Request) {
		s.Requests[string(r.State)]++
		if !r.AnsweredAt.IsZero() && r.AnsweredAt.After(r.CreatedAt) {
			waits = append(waits, r.AnsweredAt.Sub(r.CreatedAt))
		}
	})
	if len(waits) > 0 {
		slices.Sort(waits)
		s.MedianAnswer = waits[len(waits)/2]
		if len(waits)%2 == 0 {
			s.MedianAnswer = (waits[len(waits)/2-1] + waits[len(waits)/2]) / 2
		}
		s.Answered = len(waits)
	}
	return err
}

// cmdStats shows the programme's figures to a coordinator.
func (e *Engine) cmdStats(t *Turn) error {
	s, err := ComputeStats(t.Ctx, e.st, t.Now)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(t.T("stats.title") + "\n")
	countries := map[string]bool{}
	for c := range s.Learners {
		countries[c] = true
	}
	for c := range s.Tutors {
		countries[c] = true
	}
	for _, c := range slices.Sorted(maps.Keys(countries)) {
		name := t.countryName(c)
		if c == "" {
			name = "?"
		}
		b.WriteString(t.T("stats.country", "Country", name, "Learners", s.Learners[c],
			"Tutors", s.Tutors[c]) + "\n")
	}
	b.WriteString(t.T("stats.active", "Week", s.Active7, "Month", s.Active30) + "\n")
	b.WriteString(t.T("stats.lessons", "Lessons", s.Lessons) + "\n")
	for _, tr := range skills.Tracks() {
		if a := s.Accuracy[tr.ID]; a.Total > 0 {
			b.WriteString(t.T("stats.accuracy", "Track", skills.TrackName(tr.ID, t.State.lang()),
				"Percent", a.Percent(), "Total", a.Total) + "\n")
		}
	}
	b.WriteString(t.T("stats.requests", "Open", s.Requests["open"],
		"Accepted", s.Requests["accepted"], "Expired", s.Requests["expired"]) + "\n")
	if s.Answered > 0 {
		b.WriteString(t.T("stats.answer", "Time", formatWait(s.MedianAnswer)))
	}
	t.Say(Text{{Text: strings.TrimRight(b.String(), "\n")}})
	return nil
}

// formatWait writes a duration as hours and minutes.
func formatWait(d time.Duration) string {
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}
