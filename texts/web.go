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
