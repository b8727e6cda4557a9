package bots

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/store"
)

// ExportOptions configures Export.
type ExportOptions struct {
	// Names writes user keys and display names instead of pseudonyms.
	Names bool
	// Salt is mixed into the pseudonyms; empty means a random salt kept in
	// Redis, so that pseudonyms stay the same from one export to the next.
	Salt string
	// Now is the time of the export; zero means time.Now().
	Now time.Time
}

// Export files, written into the export folder.
const (
	ExportLearners   = "learners.csv"
	ExportRequests   = "requests.csv"
	ExportBroadcasts = "broadcasts.csv"
	ExportDeliveries = "deliveries.csv"
)

// Export writes CSV files for partner reports into dir: learner progress,
// mentoring requests, broadcasts and their delivery. Users appear as a
// salted hash of their key unless opt.Names is set. It returns the paths
// written.
func Export(ctx context.Context, st *store.Store, dir string, opt ExportOptions) ([]string, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	salt, err := exportSalt(ctx, st, opt.Salt)
	if err != nil {
		return nil, err
	}
	who := func(user string) string {
		if opt.Names || user == "" {
			return user
		}
		h := sha256.Sum256([]byte(salt + "\x00" + user))
		return hex.EncodeToString(h[:8])
	}
	steps := []struct {
		name  string
		write func(w *csv.Writer) error
	}{
		{ExportLearners, func(w *csv.Writer) error { return exportLearners(ctx, st, w, who, opt) }},
		{ExportRequests, func(w *csv.Writer) error { return exportRequests(ctx, st, w, who) }},
		{ExportBroadcasts, func(w *csv.Writer) error { return exportBroadcasts(ctx, st, w, who) }},
		{ExportDeliveries, func(w *csv.Writer) error { return exportDeliveries(ctx, st, w, who) }},
	}
	var paths []string
	for _, s := range steps {
		p := filepath.Join(dir, s.name)
		if err := writeCSV(p, s.write); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeCSV(path string, write func(w *csv.Writer) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	err = write(w)
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// exportSalt returns salt, or the salt kept in Redis (made on first use).
func exportSalt(ctx context.Context, st *store.Store, salt string) (string, error) {
	if salt != "" {
		return salt, nil
	}
	key := st.Keys.Global("export:salt")
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	if err := st.Client.SetNX(ctx, key, hex.EncodeToString(b), 0).Err(); err != nil {
		return "", err
	}
	return st.Client.Get(ctx, key).Result()
}

func exportLearners(ctx context.Context, st *store.Store, w *csv.Writer,
	who func(string) string, opt ExportOptions) error {
	head := []string{"user", "role", "country", "language", "platform", "cohort", "tracks",
		"lessons_done", "quiz_right", "quiz_total", "last_seen", "inactive"}
	if opt.Names {
		head = append(head, "name")
	}
	if err := w.Write(head); err != nil {
		return err
	}
	sums := map[string]Summary{}
	var users []string
	if err := eachSummary(ctx, st, func(user string, u Summary) {
		sums[user] = u
		users = append(users, user)
	}); err != nil {
		return err
	}
	var werr error
	err := eachState(ctx, st, users, func(s *State) {
		u := sums[s.User]
		right, total := 0, 0
		for _, tl := range s.Progress.Accuracy().Tracks {
			right += tl.Right
			total += tl.Total
		}
		row := []string{who(s.User), u.Role, u.Country, u.Lang, u.Platform, u.Cohort,
			strings.Join(u.Tracks, " "), strconv.Itoa(s.Progress.LessonsDone()),
			strconv.Itoa(right), strconv.Itoa(total), time.Unix(u.Seen*86400, 0).UTC().Format("2006-01-02"),
			strconv.FormatBool(u.Inactive)}
		if opt.Names {
			row = append(row, s.Name)
		}
		if err := w.Write(row); err != nil && werr == nil {
			werr = err
		}
	})
	return errors.Join(err, werr)
}

func exportRequests(ctx context.Context, st *store.Store, w *csv.Writer,
	who func(string) string) error {
	if err := w.Write([]string{"request", "learner", "skill", "state", "tutor", "created",
		"answered", "answer_minutes"}); err != nil {
		return err
	}
	var werr error
	err := eachRequest(ctx, st, func(r matching.Request) {
		_, n, _ := strings.Cut(r.ID, "#")
		answered, mins := "", ""
		if !r.AnsweredAt.IsZero() {
			answered = r.AnsweredAt.UTC().Format(time.RFC3339)
			mins = strconv.Itoa(int(r.AnsweredAt.Sub(r.CreatedAt).Minutes()))
		}
		row := []string{who(r.Learner) + "#" + n, who(r.Learner), r.Skill, string(r.State),
			who(r.Tutor), r.CreatedAt.UTC().Format(time.RFC3339), answered, mins}
		if err := w.Write(row); err != nil && werr == nil {
			werr = err
		}
	})
	return errors.Join(err, werr)
}

func exportBroadcasts(ctx context.Context, st *store.Store, w *csv.Writer,
	who func(string) string) error {
	if err := w.Write([]string{"broadcast", "by", "status", "at", "recipients", "sent",
		"blocked", "unreachable", "failed", "gone", "segment", "languages"}); err != nil {
		return err
	}
	return eachBroadcast(ctx, st, func(r BroadcastReport) error {
		var langs []string
		for l := range r.Texts {
			if l != "" {
				langs = append(langs, l)
			}
		}
		sort.Strings(langs)
		seg, _ := json.Marshal(r.Segment)
		return w.Write([]string{r.ID, who(r.By), r.Status, r.At.Format(time.RFC3339),
			strconv.Itoa(r.Total), strconv.Itoa(r.Counts[DeliverySent]),
			strconv.Itoa(r.Counts[DeliveryBlocked]), strconv.Itoa(r.Counts[DeliveryUnreachable]),
			strconv.Itoa(r.Counts[DeliveryFailed]), strconv.Itoa(r.Gone), string(seg),
			strings.Join(langs, " ")})
	})
}

func exportDeliveries(ctx context.Context, st *store.Store, w *csv.Writer,
	who func(string) string) error {
	if err := w.Write([]string{"broadcast", "recipient", "status"}); err != nil {
		return err
	}
	return eachBroadcast(ctx, st, func(r BroadcastReport) error {
		iter := st.Client.HScan(ctx, st.Keys.Global("bc:"+r.ID+":s"), 0, "", 1000).Iterator()
		for iter.Next(ctx) {
			user := iter.Val()
			if !iter.Next(ctx) {
				break
			}
			if err := w.Write([]string{r.ID, who(user), iter.Val()}); err != nil {
				return err
			}
		}
		return iter.Err()
	})
}

// eachBroadcast calls f with the report of each broadcast, oldest first.
func eachBroadcast(ctx context.Context, st *store.Store, f func(BroadcastReport) error) error {
	ids, err := st.Client.ZRange(ctx, st.Keys.Global("bcs"), 0, -1).Result()
	if err != nil {
		return err
	}
	for _, id := range ids {
		r, err := readReport(ctx, st.Client, st.Keys.Global("bc:"+id), id)
		if errors.Is(err, redis.Nil) {
			continue
		} else if err != nil {
			return err
		}
		if err := f(r); err != nil {
			return err
		}
	}
	return nil
}
