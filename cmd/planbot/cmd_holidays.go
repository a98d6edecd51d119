package main

import (
	"context"
	"fmt"
	"strconv"
)

func init() {
	register(Command{
		Name:    "holidays",
		Usage:   "YEAR [--json]",
		Summary: "liệt kê các ngày nghỉ lễ, Tết, nghỉ bù và ngày nghỉ theo cấu hình trong năm",
		Run:     runHolidays,
	})
}

type holidayJSON struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

func runHolidays(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "holidays")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("cần đúng một năm, ví dụ: planbot holidays 2023")
	}
	year, err := strconv.Atoi(pos[0])
	if err != nil || year < 1900 || year > 2199 {
		return usageErrorf("năm %q không hợp lệ (1900–2199)", pos[0])
	}
	cal := workCalendar(env.Config)
	out := []holidayJSON{}
	for _, h := range cal.Holidays(year) {
		// A holiday on a weekend is listed too (its compensatory day
		// refers to it); a day worked after all is not.
		if cal.IsWorkingDay(h.Date) {
			continue
		}
		out = append(out, holidayJSON{Date: h.Date.String(), Name: h.Name})
	}
	if *asJSON {
		return writeJSON(env.Stdout, out)
	}
	for _, h := range out {
		fmt.Fprintf(env.Stdout, "%s  %s\n", h.Date, h.Name)
	}
	return nil
}
