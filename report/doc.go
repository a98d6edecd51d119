// Package report drafts the báo cáo the chairman signs: the ward's
// periodic report on a plan, in the form of Nghị định 30/2020/NĐ-CP,
// built from the same numbers as the summary (package summary). It is
// pure: Build turns a summary, its plan and the letterhead into a Draft
// of headings and sentences; adapters lay it out (package docx) and the
// tests read it as text.
//
// The draft says only what the figures say. What the bot cannot know —
// the document's number, the signer's name when not configured, the
// causes of a difficulty, the ward's proposals — is a visible
// placeholder for the secretariat to complete, never invented.
package report
