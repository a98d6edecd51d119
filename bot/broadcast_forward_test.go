package bot_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// downloadingSender is a fakeSender whose transport can fetch files.
type downloadingSender struct {
	*fakeSender
	files map[string][]byte
}

func (d *downloadingSender) Download(_ context.Context, fileID string) ([]byte, error) {
	b, ok := d.files[fileID]
	if !ok {
		return nil, errors.New("Bad Request: invalid file_id")
	}
	return b, nil
}

// broadcastItems claims the queued announcement items, by chat.
func broadcastItems(t *testing.T, e *env) map[string]plan.OutboxItem {
	t.Helper()
	items, err := e.db.Claim(context.Background(), "test", e.clock.Now(), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]plan.OutboxItem{}
	for _, it := range items {
		if it.Context.Kind == plan.ReplyBroadcast {
			out[it.Address.ChatID] = it
		}
	}
	return out
}

func TestBroadcastForwardsRepliedMessage(t *testing.T) {
	pdf := []byte("%PDF-1.4 kế hoạch")
	tests := []struct {
		name     string
		text     string
		replyTo  string
		doc      *bot.InboundDocument
		download bool
		chats    []string
		want     []string // in every item's text
		notWant  string
		attached bool
	}{
		{name: "text to all", text: "/thongbao", replyTo: "Họp giao ban <14h> thứ Sáu",
			chats: []string{"ca", "tp"}, want: []string{"Họp giao ban &lt;14h&gt; thứ Sáu"}},
		{name: "text to one unit", text: "/thongbao Công an phường:", replyTo: "Rà soát dữ liệu dân cư",
			chats: []string{"ca"}, want: []string{"Rà soát dữ liệu dân cư"}},
		{name: "typed text wins", text: "/thongbao all Nội dung mới", replyTo: "Nội dung cũ",
			chats: []string{"ca", "tp"}, want: []string{"Nội dung mới"}, notWant: "Nội dung cũ"},
		{name: "document is attached", text: "/thongbao", replyTo: "Kế hoạch số 56",
			doc:      &bot.InboundDocument{FileID: "f1", Name: "ke-hoach-56.pdf", MIME: "application/pdf", Size: int64(len(pdf))},
			download: true, chats: []string{"ca", "tp"}, want: []string{"Kế hoạch số 56", "📎 Tài liệu gửi kèm: ke-hoach-56.pdf"}, attached: true},
		{name: "document that cannot be fetched", text: "/thongbao all",
			doc:   &bot.InboundDocument{FileID: "gone", Name: "mat.pdf", MIME: "application/pdf", Size: 10},
			chats: []string{"ca", "tp"}, want: []string{"mat.pdf", "chưa chuyển tiếp được"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, telegramCaps)
			if tc.download {
				d := e.core.Deps()
				d.Senders["telegram"] = &downloadingSender{fakeSender: e.tg, files: map[string][]byte{"f1": pdf}}
				core, err := bot.New(d)
				if err != nil {
					t.Fatal(err)
				}
				e.core = core
			}
			bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db})
			e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
			e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
			e.register("tp", "Trần Thị Hà", "Tư pháp - Hộ tịch", plan.RoleOfficer)

			ms := e.do(&bot.Event{UserID: "sec", Text: tc.text, ReplyToID: "77", ReplyToText: tc.replyTo, ReplyToDocument: tc.doc})
			if len(ms) != 1 || !strings.Contains(ms[0].Text, "Đã gửi thông báo") {
				t.Fatalf("reply %+v", ms)
			}
			items := broadcastItems(t, e)
			if len(items) != len(tc.chats) {
				t.Fatalf("items for %d chats, want %v: %+v", len(items), tc.chats, items)
			}
			for _, chat := range tc.chats {
				it, ok := items[chat]
				if !ok {
					t.Fatalf("no item to %s", chat)
				}
				wantContains(t, it.Message.Text, tc.want...)
				if tc.notWant != "" && strings.Contains(it.Message.Text, tc.notWant) {
					t.Errorf("item to %s holds %q: %s", chat, tc.notWant, it.Message.Text)
				}
				switch doc := it.Message.Document; {
				case tc.attached && (doc == nil || !bytes.Equal(doc.Data, pdf) || doc.Name != tc.doc.Name || doc.MIME != tc.doc.MIME):
					t.Errorf("item to %s: document %+v, want %s", chat, doc, tc.doc.Name)
				case !tc.attached && doc != nil:
					t.Errorf("item to %s has a document it should not: %s", chat, doc.Name)
				}
			}
		})
	}
}

// A reply with nothing to forward and no text is refused with the usage.
func TestBroadcastReplyToNothing(t *testing.T) {
	e := newEnv(t, telegramCaps)
	bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	ms := e.do(&bot.Event{UserID: "sec", Text: "/thongbao", ReplyToID: "12"})
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "Vui lòng nhập nội dung") {
		t.Fatalf("reply %+v", ms)
	}
	if items := broadcastItems(t, e); len(items) != 0 {
		t.Errorf("queued %d items", len(items))
	}
}
