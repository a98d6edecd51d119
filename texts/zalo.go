package texts

// Texts of the Zalo transport (package bot/zalo). Zalo shows plain text:
// the transport strips the tags and decodes the entities, so these are
// written as HTML like every other text.

// ZaloTextOnly answers a photo, a sticker, a voice message or anything
// else but text: the bot on Zalo reads only typed text.
const ZaloTextOnly = "Bot chỉ đọc được tin nhắn chữ. Đồng chí vui lòng gõ số liệu bằng chữ, ví dụ: <b>1.c 80%</b>. Gõ /huongdan để xem cách báo cáo."
