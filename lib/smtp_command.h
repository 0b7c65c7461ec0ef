/*
 * smtp_command.h - which SMTP command a failure answered.
 */
#ifndef PB_SMTP_COMMAND_H
#define PB_SMTP_COMMAND_H

#include <stddef.h>

/*
 * pb_smtp_command_find - the SMTP command that the text of a failure
 * names ("in reply to end of DATA command", "after RCPT TO",
 * "did not like our final DATA", a ">>> DATA" transcript line, ...):
 * a static string "CONN", "HELO", "MAIL", "RCPT" or "DATA", or "" when
 * the text names none.  The last one named wins for transcripts.
 * Linear in n.
 */
const char *pb_smtp_command_find(const char *text, size_t n);

#endif /* PB_SMTP_COMMAND_H */
