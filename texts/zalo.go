package texts

import (
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the Zalo transport (package bot/zalo). Zalo shows plain text:
// the transport strips the tags and decodes the entities, so these are
// written as HTML like every other text.

// ZaloTextOnly answers a photo, a sticker, a voice message or anything
// else but text: the bot on Zalo reads only typed text.
const ZaloTextOnly = "Bot chỉ đọc được tin nhắn chữ. Đồng chí vui lòng gõ số liệu bằng chữ, ví dụ: <b>1.c 80%</b>. Gõ /huongdan để xem cách báo cáo."

// ZaloDownloadLink replaces a file Zalo cannot carry with a link to
// download it.
func ZaloDownloadLink(name, url string) string {
	return fmt.Sprintf("📎 Tải tệp %s tại: %s", plan.EscapeHTML(name), plan.EscapeHTML(url))
}
