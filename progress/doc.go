// Package progress understands what officers type when they report: the
// figures of a progress reply ("80%", "85,5%", "1.200/1.500 hồ sơ",
// "xong", "đang thực hiện", "chưa", "vướng: …") and task codes as people
// write them ("2.đ", "2.dd", "III.2.đ", "2đ", "2 đ").
//
// Numbers are read the Vietnamese way: "." groups thousands and ","
// marks decimals ("1.200" is twelve hundred, "85,5" is 85.5). Keywords are
// also recognised without diacritics ("xong", "dang thuc hien",
// "vuong: …"), since many phones type without them.
package progress
