package telegram

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot"
)

func TestToEventReplyTo(t *testing.T) {
	chat := &tgbotapi.Chat{ID: 5, Type: "private"}
	from := &tgbotapi.User{ID: 5, FirstName: "Thư", LastName: "Ký"}
	doc := &tgbotapi.Document{FileID: "f-1", FileName: "ke-hoach.pdf", MimeType: "application/pdf", FileSize: 1234}
	tests := []struct {
		name    string
		replyTo *tgbotapi.Message
		text    string
		doc     *bot.InboundDocument
	}{
		{"text", &tgbotapi.Message{MessageID: 40, Chat: chat, Text: "Họp giao ban lúc 14h"}, "Họp giao ban lúc 14h", nil},
		{"caption of a document", &tgbotapi.Message{MessageID: 41, Chat: chat, Caption: "Kế hoạch mới", Document: doc}, "Kế hoạch mới",
			&bot.InboundDocument{FileID: "f-1", Name: "ke-hoach.pdf", MIME: "application/pdf", Size: 1234}},
		{"document alone", &tgbotapi.Message{MessageID: 42, Chat: chat, Document: doc}, "",
			&bot.InboundDocument{FileID: "f-1", Name: "ke-hoach.pdf", MIME: "application/pdf", Size: 1234}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := toEvent(tgbotapi.Update{UpdateID: 9, Message: &tgbotapi.Message{
				MessageID: 50, Chat: chat, From: from, Text: "/thongbao", ReplyToMessage: tc.replyTo,
			}}, "chanhlo_bot")
			if e == nil {
				t.Fatal("no event")
			}
			if e.ReplyToID != strconv.Itoa(tc.replyTo.MessageID) || e.ReplyToText != tc.text {
				t.Errorf("reply to %q %q, want %d %q", e.ReplyToID, e.ReplyToText, tc.replyTo.MessageID, tc.text)
			}
			switch {
			case tc.doc == nil && e.ReplyToDocument != nil:
				t.Errorf("reply-to document %+v, want none", e.ReplyToDocument)
			case tc.doc != nil && (e.ReplyToDocument == nil || *e.ReplyToDocument != *tc.doc):
				t.Errorf("reply-to document %+v, want %+v", e.ReplyToDocument, tc.doc)
			}
			if e.Document != nil {
				t.Errorf("the message itself has no document, got %+v", e.Document)
			}
		})
	}
}

func TestDownload(t *testing.T) {
	h := newHarness(t, nil)
	data := bytes.Repeat([]byte("PK\x03\x04 tài liệu "), 500)
	h.srv.PushDocument(5, 5, "bao-cao.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, "Báo cáo")
	got, err := h.tr.Download(testCtx(t), "file-1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("downloaded %d bytes, want the %d sent", len(got), len(data))
	}
	_, err = h.tr.Download(testCtx(t), "file-404")
	if err == nil {
		t.Fatal("Download of an unknown file id succeeded")
	}
	if strings.Contains(err.Error(), h.srv.Token()) {
		t.Errorf("error holds the token: %v", err)
	}
}

// In a group, an event says whether it mentions the bot or replies to
// it, so the core can leave the group's chatter alone.
func TestGroupEvents(t *testing.T) {
	group := &tgbotapi.Chat{ID: -100123, Type: "supergroup"}
	from := &tgbotapi.User{ID: 7, FirstName: "Công"}
	botUser := &tgbotapi.User{ID: 1, IsBot: true, UserName: "chanhlo_bot"}
	other := &tgbotapi.User{ID: 2, IsBot: true, UserName: "other_bot"}
	tests := []struct {
		name                       string
		m                          *tgbotapi.Message
		group, mentioned, replyBot bool
	}{
		{"private", &tgbotapi.Message{Chat: &tgbotapi.Chat{ID: 7, Type: "private"}, From: from, Text: "80%"}, false, false, false},
		{"chatter", &tgbotapi.Message{Chat: group, From: from, Text: "Chiều nay họp nhé"}, true, false, false},
		{"mention entity", &tgbotapi.Message{Chat: group, From: from, Text: "Đã xong @ChanhLo_bot ạ",
			Entities: []tgbotapi.MessageEntity{{Type: "mention", Offset: 8, Length: 12}}}, true, true, false},
		{"reply to the bot", &tgbotapi.Message{Chat: group, From: from, Text: "1.c 80%", ReplyToMessage: &tgbotapi.Message{MessageID: 3, From: botUser}}, true, false, true},
		{"reply to another bot", &tgbotapi.Message{Chat: group, From: from, Text: "ok", ReplyToMessage: &tgbotapi.Message{MessageID: 4, From: other}}, true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := toEvent(tgbotapi.Update{UpdateID: 1, Message: tc.m}, "chanhlo_bot")
			if e.Group != tc.group || e.Mentioned != tc.mentioned || e.ReplyToBot != tc.replyBot {
				t.Errorf("group %v mentioned %v reply to bot %v; want %v %v %v", e.Group, e.Mentioned, e.ReplyToBot, tc.group, tc.mentioned, tc.replyBot)
			}
		})
	}
}

// An update missing what a handler needs (a callback with no sender, a
// message with no chat or sender) is no event: acknowledged, ignored,
// never retried.
func TestIncompleteUpdatesIgnored(t *testing.T) {
	for name, u := range map[string]tgbotapi.Update{
		"callback without a sender": {UpdateID: 1, CallbackQuery: &tgbotapi.CallbackQuery{ID: "q", Data: "ack:1"}},
		"message without a sender":  {UpdateID: 2, Message: &tgbotapi.Message{Chat: &tgbotapi.Chat{ID: 5, Type: "private"}, Text: "80%"}},
		"message without a chat":    {UpdateID: 3, Message: &tgbotapi.Message{From: &tgbotapi.User{ID: 5}, Text: "80%"}},
	} {
		if e := toEvent(u, "chanhlo_bot"); e != nil {
			t.Errorf("%s: event %+v", name, e)
		}
	}
}
