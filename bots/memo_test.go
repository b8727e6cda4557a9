package bots

import "testing"

func TestMemoGivesBackOnlyTheStoredForm(t *testing.T) {
	m := newMemo[int](3)
	m.put("a", `{"x":1}`, 1)
	if _, ok := m.take("a", `{"x":2}`); ok {
		t.Fatal("a value stored in another form was given back")
	}
	if _, ok := m.take("a", `{"x":1}`); ok {
		t.Fatal("a value was kept after a take that did not match")
	}
	m.put("a", `{"x":1}`, 1)
	if v, ok := m.take("a", `{"x":1}`); !ok || v != 1 {
		t.Fatalf("take = %d, %v; want 1, true", v, ok)
	}
	if _, ok := m.take("a", `{"x":1}`); ok {
		t.Fatal("a value was given back twice")
	}
	for i, k := range []string{"a", "b", "c", "d"} {
		m.put(k, k, i)
	}
	if len(m.m) > 3 {
		t.Fatalf("memo holds %d entries; at most 3", len(m.m))
	}
	if v, ok := m.take("d", "d"); !ok || v != 3 {
		t.Fatalf("newest entry: %d, %v; want 3, true", v, ok)
	}
}

func TestStoredMessageID(t *testing.T) {
	for raw, want := range map[string]string{
		`{"id":"tg:1#a","p":"tg"}`:     "tg:1#a",
		`{"id":"term:a\"b#1","p":"x"}`: `term:a\`,
		`{"p":"tg"}`:                   "",
		``:                             "",
	} {
		if got := storedMessageID(raw); got != want {
			t.Errorf("storedMessageID(%q) = %q; want %q", raw, got, want)
		}
	}
}

func TestUserKeysAreTheStoreKeys(t *testing.T) {
	e := &Engine{}
	for _, user := range []string{"tg:1", "term:ana", "dc:9"} {
		k := e.userKeys(user)
		got := []string{k.q, k.seen, k.lease, k.state, k.out, k.outlease, k.fx}
		for i, part := range userKeyParts {
			if want := e.keys.User(user, part); got[i] != want {
				t.Errorf("%s %s: %q, want %q", user, part, got[i], want)
			}
		}
	}
}

func TestNameStartingASentenceIsCapitalised(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.text("en", "mentor.ended_by", -1, "Name", "a learner"); got != "A learner has ended your mentorship. Thank you!" {
		t.Errorf("ended_by: %q", got)
	}
	if got := c.text("en", "mentor.meeting_moved_by", -1, "Name", "a tutor", "When", "18:00"); got[:2] != "A " {
		t.Errorf("meeting_moved_by: %q", got)
	}
}
