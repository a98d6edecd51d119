// Package calendar is planbot's Vietnamese working calendar: the lunar
// calendar, public holidays, working days and office hours of a ward's
// offices. It is pure (no I/O, no clock) and safe for concurrent use.
//
// # Lunar calendar
//
// SolarToLunar and LunarToSolar convert between the Gregorian and the
// Vietnamese lunar calendar (âm lịch) with Hồ Ngọc Đức's astronomical
// algorithm: new moons and solar terms after Jean Meeus, reckoned for
// UTC+7. A lunar month starts on the day of the new moon in Hà Nội; month
// 11 contains the winter solstice; in a year of thirteen months the first
// month without a major solar term is the leap month. Because China
// reckons the same rules for UTC+8, the two calendars differ whenever a
// new moon or a solar term falls between 16:00 and 17:00 UT: Tết 1985 was
// 21/1 in Vietnam and 20/2 in China, Tết 2007 17/2 and 18/2, Tết 2030 2/2
// and 3/2. Chinese libraries therefore must not be used for Vietnamese
// dates. The conversion differs from the published reference code in one
// respect: it finds the start of the month by stepping back as far as
// needed, where the reference steps back once and returns day 0 for
// 7/5/2054. Tests walk every day of 1900–2100.
//
// # Holidays
//
// A Calendar knows the public holidays of the Labor Code 2019, art. 112,
// for any year:
//
//   - Tết Dương lịch, 1/1;
//   - Tết Nguyên Đán, five days: the last day of the lunar year (29 or 30
//     of month 12) and the first four of the new one;
//   - Giỗ Tổ Hùng Vương, 10/3 lunar;
//   - Ngày Chiến thắng, 30/4, and Ngày Quốc tế Lao động, 1/5;
//   - Quốc khánh, 2/9 and one adjacent day.
//
// Earlier laws apply to earlier years: Tết had four days before 2014 (the
// last day and three), Quốc khánh one day before 2021, and Giỗ Tổ Hùng
// Vương is a holiday from 2007. A holiday falling on a Saturday or Sunday,
// or on another holiday, gives a compensatory day off (nghỉ bù) on the
// next working day, in date order: 29/4/2023 (Saturday, Giỗ Tổ) and
// 30/4/2023 (Sunday) were made up on 2/5 and 3/5. Holidays that fall on a
// weekend are listed too, so that a reader sees why the next Monday is
// off.
//
// The government decides each year's exact Tết break and the day added to
// Quốc khánh, and often swaps a working day for a Saturday. Adjustments
// carry those announcements from the config file:
//
//	calendar:
//	  tet:                       # the whole break as announced
//	    - {from: 2024-02-08, to: 2024-02-14}
//	  national_day: [2024-09-03] # 1/9 or 3/9
//	  days_off:                  # bridge days (nghỉ hoán đổi)
//	    - {date: 2024-04-29, name: Nghỉ hoán đổi}
//	  working_days: [2024-05-04] # Saturdays worked (làm bù)
//
// Without them the rules above decide. Checked against the announcements
// for civil servants, the default is right for 1/1, Giỗ Tổ, 30/4, 1/5 and
// 2/9 of 2023–2025, but: the Tết break comes out one day late in 2023
// (21–27/1 instead of 20–26/1) and 2024 (9–15/2 instead of 8–14/2, the
// government giving 29 tháng Chạp rather than a compensatory day after
// the break); in 2025 the default gives 28/1–1/2 and 3/2 where the
// announcement gave 25/1–2/2 with 27/1 swapped for Saturday 8/2; and the
// swaps of 29/4/2024 (for 4/5) and 2/5/2025 (for 26/4) are not guessed.
// The test TestHolidaysOfficial shows the adjustments that fix each of
// these. The default day added to 2/9 is the one that joins the break to
// a weekend (DefaultNationalDayExtra), which is what the government chose
// every year from 2021 to 2025.
//
// # Working days and office hours
//
// IsWorkingDay is Monday to Friday minus holidays, plus the announced
// working Saturdays. NextWorkingDay, PrevWorkingDay, AddWorkingDays and
// WorkingDaysBetween count in working days: a task due on Sunday
// 30/4/2023 is really due on Friday 28/4/2023. Adjust moves an instant
// into office hours (07:30–17:00 by default, Asia/Ho_Chi_Minh) of a
// working day, earlier for reminders that must come before a deadline or
// later for those that may wait.
//
// The package imports the tzdata database, so Location loads
// Asia/Ho_Chi_Minh even where the system has no zone files.
package calendar
