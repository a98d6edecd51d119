package texts

import (
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the command line (cmd/planbot) that a secretary at the
// terminal reads: what went wrong with a file or the database, in
// Vietnamese. Plain text.

// FileNotFound, FileDenied, FileIsDir and FileUnreadable describe why a
// file could not be read or written.
func FileNotFound(path string) string { return fmt.Sprintf("không tìm thấy tệp %s", path) }

// FileDenied says the file's permissions refuse the operation.
func FileDenied(path string) string {
	return fmt.Sprintf("không có quyền đọc hoặc ghi tệp %s", path)
}

// FileIsDir says a folder was given where a file was expected.
func FileIsDir(path string) string {
	return fmt.Sprintf("%s là thư mục, không phải tệp", path)
}

// FileFailed is any other I/O failure, with the system's reason.
func FileFailed(path string, err error) string {
	return fmt.Sprintf("không đọc/ghi được tệp %s (%v)", path, err)
}

// NoDatabase says a read-only command found no database where it looked,
// and did not create one.
func NoDatabase(path string) string {
	return fmt.Sprintf("chưa có cơ sở dữ liệu %s (lệnh này chỉ đọc, không tạo mới). Nhập kế hoạch trước: planbot --db %s plan import TỆP --save, hoặc chỉ đúng tệp bằng --db.", path, path)
}

// InviteNoLink stands for the link when the bot's username is unknown.
func InviteNoLink(code string) string {
	return fmt.Sprintf("(chưa biết tên bot: đặt telegram.username trong cấu hình hoặc PLANBOT_TELEGRAM_TOKEN; người được mời gõ cho bot: /start %s)", code)
}

// InviteGetMeFailed says the bot's username could not be asked of
// Telegram.
const InviteGetMeFailed = "Không hỏi được tên bot từ Telegram (getMe); mã mời vẫn dùng được."

// DBNotWritable stops serve on a database it cannot write to.
func DBNotWritable(err error) string {
	return fmt.Sprintf("cơ sở dữ liệu không ghi được (%v): kiểm tra quyền ghi tệp/thư mục hoặc quyền của tài khoản PostgreSQL. The database is not writable; planbot stops.", err)
}

// TransportStopped ends serve when a transport stopped on its own.
func TransportStopped(err error) string {
	return fmt.Sprintf("kênh nhận tin đã dừng (%v): bot không còn nghe được tin nhắn nên planbot dừng; kiểm tra cấu hình (token, webhook, cổng) rồi chạy lại. A transport stopped; planbot exits.", err)
}

// InviteTypedCLI is what `planbot invite --messenger zalo` prints: what
// to hand the person, and where they type it.
func InviteTypedCLI(unit string, role plan.Role, botName, code, expires string) string {
	who := role.Vietnamese()
	if unit != "" {
		who += " của " + unit
	}
	where := "bot Zalo của phường"
	if botName != "" {
		where = "bot Zalo «" + botName + "»"
	}
	return fmt.Sprintf("Mã đăng ký Zalo cho %s: DK %s\nNgười được mời tìm %s trong Zalo, nhắn cho bot và gõ: DK %s\nHạn dùng: %s (dùng một lần; đọc qua điện thoại hoặc in ra giấy đều được).",
		who, code, where, code, expires)
}

// NoBotToken stops serve when no messenger is configured.
const NoBotToken = "chưa có mã bot: đặt PLANBOT_TELEGRAM_TOKEN (Telegram) và/hoặc PLANBOT_ZALO_TOKEN (Zalo); chạy `planbot demo` để xem thử không cần mã"

// HTTPListenFailed stops serve when its HTTP server cannot listen.
func HTTPListenFailed(addr string, err error) string {
	return fmt.Sprintf("không mở được máy chủ HTTP tại %s (cổng đã có chương trình khác dùng?): %v; đổi http.listen hoặc PLANBOT_HTTP_LISTEN", addr, err)
}
