/*
 * smtp_command.c - find the SMTP command a delivery failure answered in
 *                  the text of a bounce.
 *
 * Input:     diagnostic or notice text (borrowed).
 * Output:    a static command name or "".
 * Status:    none.
 * Limits:    one pass per phrase of the table below: linear in the text.
 *
 * Why: the same "User unknown" means the address does not exist when it
 * answers RCPT TO, but that a filter refused the message when it answers
 * the end of DATA (Sisimai calls the latter "filtered").  Postfix writes
 * "(in reply to end of DATA command)", Exim "after end of data", the
 * DragonFly agent "did not like our final DATA", Sendmail a transcript
 * with ">>> DATA" before the "<<<" answer.
 */
#include "config.h"

#include <string.h>

#include "pb_int.h"
#include "smtp_command.h"

static const struct {
	const char *phrase; /* lower case */
	const char *command;
} phrases[] = {
	{"in reply to rcpt to command", "RCPT"},
	{"in reply to end of data command", "DATA"},
	{"in reply to data command", "DATA"},
	{"in reply to mail from command", "MAIL"},
	{"in reply to initial greeting", "CONN"},
	{"in reply to ehlo command", "HELO"},
	{"in reply to helo command", "HELO"},
	{"after rcpt to", "RCPT"},
	{"after rcpt command", "RCPT"},
	{"after end of data", "DATA"},
	{"after data", "DATA"},
	{"after mail from", "MAIL"},
	{"after initial connection", "CONN"},
	{"after ehlo", "HELO"},
	{"after helo", "HELO"},
	{"did not like our rcpt to", "RCPT"},
	{"did not like our final data", "DATA"},
	{"did not like our data", "DATA"},
	{"did not like our mail from", "MAIL"},
	{"smtp command data", "DATA"},
	{"smtp command rcpt", "RCPT"},
	{"refused to talk to me", "CONN"},
	{">>> data", "DATA"},
	{">>> rcpt to", "RCPT"},
	{">>> mail from", "MAIL"},
	{">>> ehlo", "HELO"},
	{">>> helo", "HELO"},
};

const char *
pb_smtp_command_find(const char *text, size_t n)
{
	const char *best = "", *hit;
	size_t i, at = 0;

	for (i = 0; i < PB_NELEM(phrases); i++) {
		hit = pb_ascii_casestr(text, n, phrases[i].phrase);
		if (hit != NULL && (best[0] == '\0' || (size_t)(hit - text) >= at)) {
			/* the phrase named last is the one that failed */
			const char *next = hit;
			while ((next = pb_ascii_casestr(next + 1,
				    n - (size_t)(next + 1 - text),
				    phrases[i].phrase)) != NULL)
				hit = next;
			if (best[0] == '\0' || (size_t)(hit - text) >= at) {
				best = phrases[i].command;
				at = (size_t)(hit - text);
			}
		}
	}
	return best;
}
