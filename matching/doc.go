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
// Keys (all through store.Keys):
//
//	{u:<tutor>}:profile:tutor       tutor profile (JSON)
//	{u:<learner>}:profile:learner   learner profile (JSON)
//	{u:<tutor>}:match:mentees       set of mentorship ids holding the tutor's capacity
//	{u:<learner>}:match:req:<id>    one request (hash)
//	{u:<learner>}:match:open        hash skill -> id of the open request
//	{u:<learner>}:match:declined:<skill>  tutors who declined this learner for skill
//	{u:<learner>}:match:ment:<id>   one mentorship (hash)
//	{u:<learner>}:match:ments       set of the learner's mentorship ids
//	{u:<learner>}:match:seq         request id counter
//	{g}:match:tutors                set of tutor users (for a full load)
//	{g}:match:changes               stream of changed tutors (keeps indexes in step)
//	{g}:match:learners              set of learner users (for a cohort)
//	{g}:match:opened                stream of opened requests (for the engine)
package matching
