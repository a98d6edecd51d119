package texts

// Pages of the download links (web).
const (
	DownloadForged  = "Đường liên kết không đúng. Đồng chí vui lòng mở đúng đường liên kết bot đã gửi."
	DownloadExpired = "Đường liên kết đã hết hạn. Đồng chí gõ lại lệnh trong bot (ví dụ /tonghop) để nhận đường liên kết mới."
	DownloadFailed  = "Chưa tải được tệp do lỗi máy chủ. Đồng chí vui lòng thử lại sau ít phút."
)
