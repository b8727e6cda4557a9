// Package matching pairs learners with tutors across countries.
//
// It holds the profiles of tutors and learners (skills, languages, country,
// IANA zone, weekly availability in local time, capacity), the pure scoring
// and ranking functions that explain themselves, the time arithmetic that
// finds the hours two people share (in UTC, across each side's daylight
// saving dates), mentoring requests and mentorships kept in Redis, and an
// exact batch assignment of a whole cohort.
//
// Nothing here writes chat text except the English form of a Reason; the
// engine localises from the Reason's fields.
//
// A learner's requests and mentorships live under a pseudonym (a random
// name kept under the learner's own hash tag and deleted with them), so
// that request, mentorship, event and job ids name no user and nothing
// left after a deletion leads back to them; see Requests.
//
// Keys (all through store.Keys):
//
//	{u:<tutor>}:profile:tutor       tutor profile (JSON)
//	{u:<learner>}:profile:learner   learner profile (JSON)
//	{u:<learner>}:match:pseud       the learner's pseudonym <p> (random; deleted with them)
//	{u:<tutor>}:match:mentees       set of mentorship ids holding the tutor's capacity
//	{u:<tutor>}:match:offered       set of request ids ever offered to the tutor
//	{u:<p>}:match:req:<n>           one request (hash); <p> is the learner's pseudonym
//	{u:<p>}:match:open              hash skill -> id of the open request
//	{u:<p>}:match:declined:<skill>  tutors who declined this learner for skill
//	{u:<p>}:match:ment:<id>         one mentorship (JSON)
//	{u:<p>}:match:ments             set of the learner's mentorship ids
//	{u:<p>}:match:seq               request id counter
//	{g}:match:tutors                set of tutor users (for a full load)
//	{g}:match:changes               stream of changed tutors (keeps indexes in step);
//	                                an entry {"reload": "1"} follows a deleted tutor
//	{g}:match:learners              set of learner users (for a cohort)
//	{g}:match:opened                stream of opened requests (for the engine)
package matching
