package texts

import (
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

// Pages of the download links (web).
const (
	DownloadForged  = "Đường liên kết không đúng. Đồng chí vui lòng mở đúng đường liên kết bot đã gửi."
	DownloadExpired = "Đường liên kết đã hết hạn. Đồng chí gõ lại lệnh trong bot (ví dụ /tonghop) để nhận đường liên kết mới."
	DownloadFailed  = "Chưa tải được tệp do lỗi máy chủ. Đồng chí vui lòng thử lại sau ít phút."
)

// FileLink offers a file as a download link where the messenger cannot
// carry it (Zalo).
func FileLink(name, url string) string {
	return fmt.Sprintf("📎 Tải tệp %s: %s\n(đường liên kết chỉ dùng được trong vài ngày)", plan.EscapeHTML(name), plan.EscapeHTML(url))
}

// The web pages' sign-in.
const (
	WebSignInTitle   = "Đăng nhập trang theo dõi kế hoạch"
	WebSignInButton  = "Đăng nhập"
	WebSignInBad     = "Đường liên kết đăng nhập không đúng. Đồng chí gõ /web trong bot để nhận đường liên kết mới."
	WebSignInUsed    = "Đường liên kết đăng nhập đã dùng hoặc đã hết hạn (mỗi đường liên kết dùng một lần, trong 10 phút). Đồng chí gõ /web trong bot để nhận đường liên kết mới."
	WebSignInNeeded  = "Đồng chí chưa đăng nhập hoặc phiên đã hết hạn. Gõ /web trong bot để nhận đường liên kết đăng nhập."
	WebNotRegistered = "Đồng chí không còn đăng ký trong bot, nên không đăng nhập được."
	WebCSRF          = "Yêu cầu không hợp lệ (thiếu mã bảo vệ). Đồng chí tải lại trang rồi thử lại."
	WebSignedOut     = "Đã đăng xuất."
	WebNoPublicURL   = "Trang web chưa được cấu hình (PLANBOT_PUBLIC_URL), Văn phòng liên hệ người quản trị."
)

// WebLink answers /web: the one-time sign-in link.
func WebLink(link string, until string) string {
	return fmt.Sprintf("🔗 Đường liên kết đăng nhập trang theo dõi (dùng một lần, đến %s):\n%s\nKhông chuyển đường liên kết này cho người khác.", until, plan.EscapeHTML(link))
}

// CmdWeb describes /web.
const (
	CmdWeb   = "Mở trang theo dõi trên máy tính / điện thoại"
	CmdWebEN = "Open the dashboard in a browser"
)

// Pages' refusals.
const (
	WebNoSuchTask  = "Không tìm thấy nhiệm vụ này."
	WebNoSuchUnit  = "Không tìm thấy đơn vị này trong các kế hoạch đang chạy."
	WebNotYourTask = "Nhiệm vụ này không giao cho đơn vị của đồng chí."
	WebNotYourUnit = "Đồng chí chỉ xem được trang của đơn vị mình."
	WebNoSuchPlan  = "Không tìm thấy kế hoạch này trong các kế hoạch đang chạy."
)

// WebNotInGroup refuses /web in a group: the link signs in whoever opens it.
const WebNotInGroup = "Đường liên kết đăng nhập chỉ gửi trong tin nhắn riêng với bot. Đồng chí nhắn /web cho bot."

// WebReturnNeedsReason refuses "Trả lại" without a reason.
const WebReturnNeedsReason = "Cần ghi lý do trả lại để đơn vị biết cần bổ sung gì."
