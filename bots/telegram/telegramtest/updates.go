package telegramtest

import (
	"strconv"
	"time"
)

// User returns a Telegram user object.
func User(id int64, firstName, username, lang string) map[string]any {
	u := map[string]any{"id": id, "is_bot": false, "first_name": firstName}
	if username != "" {
		u["username"] = username
	}
	if lang != "" {
		u["language_code"] = lang
	}
	return u
}

// Chat returns a chat object: private for a positive id, supergroup for a
// negative one.
func Chat(id int64) map[string]any {
	if id < 0 {
		return map[string]any{"id": id, "type": "supergroup", "title": "Group"}
	}
	return map[string]any{"id": id, "type": "private"}
}

// Message returns a message object from user in chat; a text starting
// with "/" gets its bot_command entity.
func Message(id int, from map[string]any, chat int64, text string) map[string]any {
	m := map[string]any{"message_id": id, "date": time.Now().Unix(), "from": from, "chat": Chat(chat), "text": text}
	if len(text) > 1 && text[0] == '/' {
		n := 0
		for n < len(text) && text[n] != ' ' {
			n++
		}
		m["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": n}}
	}
	return m
}

// TextUpdate is an update with a message of text from the private chat of
// user id.
func TextUpdate(id int64, text string) map[string]any {
	return map[string]any{"message": Message(1, User(id, "Ana", "", "en"), id, text)}
}

// CallbackUpdate is a button press of user id on a message in chat.
func CallbackUpdate(id int64, chat int64, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{
		"id": "cq" + time.Now().Format("150405.000000000"), "from": User(id, "Ana", "", "en"),
		"message": Message(7, User(123456, "Bot", "", ""), chat, "question"), "chat_instance": "1", "data": data,
	}}
}

// PollAnswerUpdate is an answer of user id to poll, choosing options.
func PollAnswerUpdate(id int64, poll string, options ...int) map[string]any {
	return map[string]any{"poll_answer": map[string]any{"poll_id": poll, "user": User(id, "Ana", "", "en"), "option_ids": options}}
}

// MyChatMemberUpdate says the bot's status in the private chat of user id
// changed from old to new ("member", "kicked").
func MyChatMemberUpdate(id int64, old, new string) map[string]any {
	bot := User(123456, "Bot", "talentjourney_test_bot", "")
	bot["is_bot"] = true
	return map[string]any{"my_chat_member": map[string]any{
		"chat": Chat(id), "from": User(id, "Ana", "", "en"), "date": time.Now().Unix(),
		"old_chat_member": map[string]any{"status": old, "user": bot},
		"new_chat_member": map[string]any{"status": new, "user": bot, "until_date": 0},
	}}
}

// EditedUpdate is an edited_message update of user id.
func EditedUpdate(id int64, text string) map[string]any {
	m := Message(1, User(id, "Ana", "", "en"), id, text)
	m["edit_date"] = time.Now().Unix()
	return map[string]any{"edited_message": m}
}

// ChatID formats a chat id as the fake records it in Call.Params.
func ChatID(id int64) string { return strconv.FormatInt(id, 10) }
