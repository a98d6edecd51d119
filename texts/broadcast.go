package texts

import (
	"fmt"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Broadcast texts. Arguments named html are already escaped.
const (
	BroadcastAckLabel    = "Đã nhận"
	BroadcastReplyOne    = "Trả lời 1 để xác nhận đã nhận."
	BroadcastAcked       = "✅ Đã ghi nhận đồng chí đã nhận thông báo."
	BroadcastAckedBefore = "Đồng chí đã xác nhận thông báo này trước đó."
	BroadcastNoText      = "Vui lòng nhập nội dung thông báo, ví dụ: /thongbao Họp giao ban Đề án 06 lúc 14h thứ Sáu 12/5/2023 tại phòng họp UBND phường.\nGửi riêng một số đơn vị: /thongbao Công an phường, Trạm y tế phường: nội dung."
	BroadcastNoOne       = "Không có cán bộ nào đã đăng ký để nhận thông báo này."
	BroadcastNone        = "Chưa có thông báo nào."
	BroadcastBadButton   = "Nút bấm này không còn dùng được."
)

// Commands of announcements (Telegram's command menu and /huongdan).
const (
	CmdBroadcast   = "Gửi thông báo tới cán bộ các đơn vị"
	CmdBroadcastEN = "Send an announcement to the units' officers"
	UsageBroadcast = "[all | ĐƠN VỊ, ĐƠN VỊ:] nội dung"
	// The province's: to the wards' Văn phòng and Chủ tịch.
	CmdBroadcastWards    = "Gửi thông báo tới Văn phòng và Chủ tịch các xã, phường"
	CmdBroadcastWardsEN  = "Send an announcement to the wards' secretariats and chairmen"
	UsageBroadcastWards  = "[tất cả | XÃ/PHƯỜNG, XÃ/PHƯỜNG:] nội dung"
	CmdBroadcastStatus   = "Xem ai đã nhận các thông báo gần đây"
	CmdBroadcastStatusEN = "Who received the latest announcements"
)

// Notes under an announcement that forwards a document. The name is
// escaped here.

// ForwardedDocument names the file that goes with the announcement.
func ForwardedDocument(name string) string {
	return "📎 Tài liệu gửi kèm: " + plan.EscapeHTML(name)
}

// ForwardedDocumentMissing tells a recipient the announcement came with a
// file the bot could not pass on (too large, not fetched, or a transport
// without files).
func ForwardedDocumentMissing(name string) string {
	return fmt.Sprintf("📎 Có tài liệu kèm theo (%s) nhưng chưa chuyển tiếp được qua bot; đồng chí liên hệ Văn phòng UBND phường để nhận.", plan.EscapeHTML(name))
}

// ForwardedDocumentUnnamed names a forwarded file that came without a
// name.
const ForwardedDocumentUnnamed = "tệp"

// BroadcastRecord is the announcement as recorded (what /tinhhinh and
// the chaser show): its text and, when a file went with it, the file's
// name on a line of its own. Plain text.
func BroadcastRecord(text, docName string) string {
	if docName == "" {
		return text
	}
	return strings.TrimSpace(text + "\n📎 " + docName)
}

// BroadcastLabel names an announcement in /tinhhinh by when it was sent
// and how it begins: "12/5 14h00 “Họp giao ban Đề án 06 lúc 14h…”". at
// is in the office's zone; text is plain and escaped here.
func BroadcastLabel(at time.Time, text string) string {
	return fmt.Sprintf("%d/%d %s “%s”", at.Day(), int(at.Month()), at.Format("15h04"), plan.EscapeHTML(Shorten(text, 40)))
}

// BroadcastMessage is the announcement as officers receive it. html is
// the escaped announcement.
func BroadcastMessage(html string) string {
	return "📢 Thông báo của Văn phòng UBND phường:\n" + html
}

// BroadcastChaser reminds an officer who has not acknowledged.
func BroadcastChaser(html string) string {
	return "📢 Nhắc lại thông báo của Văn phòng UBND phường (đồng chí chưa xác nhận đã nhận):\n" + html
}

// BroadcastQueued tells the secretariat the announcement is on its way.
func BroadcastQueued(n int, units []string) string {
	if len(units) == 0 {
		return fmt.Sprintf("Đã gửi thông báo tới %d cán bộ. Gõ /tinhhinh để xem ai đã nhận.", n)
	}
	return fmt.Sprintf("Đã gửi thông báo tới %d cán bộ của %s. Gõ /tinhhinh để xem ai đã nhận.", n, plan.EscapeHTML(strings.Join(units, ", ")))
}

// BroadcastStatus is one line of /tinhhinh: "Thông báo 12/5 14h: 11 trên
// 13 cán bộ đã nhận · 1 chưa xem (Đoàn phường) · 1 không gửi được (Trạm y
// tế phường — đã chặn bot)" ("11/13" would read as a date). label and the
// unit lists are escaped.
func BroadcastStatus(label string, acked, total int, unseen, sending, unreachable []string) string {
	s := fmt.Sprintf("Thông báo %s: %d trên %d cán bộ đã nhận", label, acked, total)
	if len(unseen) > 0 {
		s += fmt.Sprintf(" · %d chưa xem (%s)", len(unseen), strings.Join(unseen, ", "))
	}
	if len(sending) > 0 {
		s += fmt.Sprintf(" · %d đang gửi (%s)", len(sending), strings.Join(sending, ", "))
	}
	if len(unreachable) > 0 {
		s += fmt.Sprintf(" · %d không gửi được (%s)", len(unreachable), strings.Join(unreachable, ", "))
	}
	return s
}

// UnreachableReason names why a message could not be delivered, from the
// transport's error.
func UnreachableReason(failure string) string {
	f := strings.ToLower(failure)
	switch {
	case strings.Contains(f, "blocked"):
		return "đã chặn bot"
	case strings.Contains(f, "deactivated"), strings.Contains(f, "not found"):
		return "tài khoản không còn"
	}
	return "lỗi gửi"
}

// Confirmation texts (/xacnhan, /tralai).
const (
	ConfirmUsage  = "Cách dùng: /xacnhan MÃ (ví dụ: /xacnhan 1.c)."
	ReturnUsage   = "Cách dùng: /tralai MÃ lý do (ví dụ: /tralai 1.c chưa có văn bản kèm theo)."
	ReturnNoNote  = "Vui lòng ghi lý do trả lại, ví dụ: /tralai 1.c chưa có văn bản kèm theo."
	SummaryByRole = "Chỉ Chủ tịch UBND phường và Văn phòng được xem tổng hợp."
)

// Commands of confirmation (Telegram's command menu and /huongdan).
const (
	CmdConfirm   = "Xác nhận một nhiệm vụ đã hoàn thành"
	CmdConfirmEN = "Confirm a task reported done"
	UsageConfirm = "MÃ"
	CmdReturn    = "Trả lại báo cáo hoàn thành kèm lý do"
	CmdReturnEN  = "Return a done report with a reason"
	UsageReturn  = "MÃ lý do"
)

// NothingToConfirm: no "done" of the task awaits the secretariat.
func NothingToConfirm(code string) string {
	return fmt.Sprintf("Nhiệm vụ <b>%s</b> không có báo cáo hoàn thành nào đang chờ xác nhận.", plan.EscapeHTML(code))
}

// Confirmed tells the secretariat what it confirmed.
func Confirmed(code string, units []string) string {
	return fmt.Sprintf("✅ Đã xác nhận hoàn thành <b>%s</b> — %s.", plan.EscapeHTML(code), plan.EscapeHTML(strings.Join(units, ", ")))
}

// Returned tells the secretariat what it returned.
func Returned(code string, units []string) string {
	return fmt.Sprintf("Đã trả lại báo cáo hoàn thành <b>%s</b> — %s. Đơn vị đã được báo.", plan.EscapeHTML(code), plan.EscapeHTML(strings.Join(units, ", ")))
}

// ConfirmedToUnit tells the unit's officer the secretariat confirmed.
// by is who confirmed: "Văn phòng UBND phường" or the standing body.
func ConfirmedToUnit(by, code, title string) string {
	return fmt.Sprintf("✅ %s đã xác nhận hoàn thành nhiệm vụ <b>%s</b> %s.", plan.EscapeHTML(by), plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, 80)))
}

// ReturnedToUnit tells the unit's officer their "done" came back.
func ReturnedToUnit(by, code, title, reason string) string {
	return fmt.Sprintf("↩️ %s trả lại báo cáo hoàn thành nhiệm vụ <b>%s</b> %s.\nLý do: %s\nĐồng chí vui lòng bổ sung rồi báo cáo lại.",
		plan.EscapeHTML(by), plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, 80)), plan.EscapeHTML(reason))
}

// Unreached is the last line of /tinhhinh: every unit of the plan the bot
// cannot reach now, and why. Escaped.
func Unreached(blocked, noOfficer []string) string {
	var parts []string
	if len(blocked) > 0 {
		parts = append(parts, fmt.Sprintf("đã chặn bot (%d): %s", len(blocked), plan.EscapeHTML(strings.Join(blocked, ", "))))
	}
	if len(noOfficer) > 0 {
		parts = append(parts, fmt.Sprintf("chưa có cán bộ đăng ký (%d): %s", len(noOfficer), plan.EscapeHTML(strings.Join(noOfficer, ", "))))
	}
	if len(parts) == 0 {
		return "Bot liên lạc được với tất cả các đơn vị."
	}
	return fmt.Sprintf("Không liên lạc được %d đơn vị — %s.", len(blocked)+len(noOfficer), strings.Join(parts, "; "))
}

// BroadcastNeedAudience refuses a /thongbao that says neither "all" nor
// which units. Plain text.
const BroadcastNeedAudience = "Đồng chí ghi rõ người nhận trước nội dung: /thongbao all NỘI DUNG (gửi tất cả), hoặc /thongbao Công an phường, Tư pháp - Hộ tịch: NỘI DUNG. Chưa gửi thông báo nào."

// UnknownWard refuses a ward the province's announcement names that is
// none of the deployment's, or more than one.
func UnknownWard(name string, known []string, ambiguous bool) string {
	if ambiguous {
		return fmt.Sprintf("Tên %q khớp nhiều xã, phường: %s. Vui lòng ghi đủ tên.", name, strings.Join(known, ", "))
	}
	return fmt.Sprintf("Không nhận ra xã, phường %q. Các xã, phường: %s.", name, strings.Join(known, ", "))
}
