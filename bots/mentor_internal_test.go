package bots

import (
	"strconv"
	"testing"
)

// TestMentorButtonDataFits checks that mentoring button payloads stay
// within the 48 bytes a Button allows for the longest user keys (a
// Discord snowflake of 20 digits) and many requests.
func TestMentorButtonDataFits(t *testing.T) {
	req := "dc:18446744073709551615#99999"
	ment := req + ".9"
	mins := strconv.FormatInt(int64(4102444800/60), 36) // year 2100
	for _, d := range []string{"mt:a:" + req, "mt:d:" + req, "mt:q:" + req, "mt:r:" + req,
		"mt:w:" + req, "mt:ms:" + mins + ":" + ment, "mt:mv:" + ment, "mt:mc:" + ment,
		"mt:ey:" + ment, "mt:s:" + ment, "mt:m:" + ment, "mt:tl:sensors.signal-conditioning"} {
		if len(d) > 48 {
			t.Errorf("button data %q is %d bytes, more than 48", d, len(d))
		}
	}
}
