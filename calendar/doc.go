// Package calendar is planbot's Vietnamese working calendar.
package calendar
