/*
 * msg_parse.h - the MIME tree of one message, built with GMime 3, with
 * the byte offsets of every leaf part in the input.
 */
#ifndef PB_MSG_PARSE_H
#define PB_MSG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "plainbounce.h"

/* One MIME entity, in pre-order.  Offsets are into the parsed buffer;
 * -1 when unknown.  A message/rfc822 or message/global part is a leaf:
 * the returned original is never descended into. */
struct pb_part {
	char *type;          /* lower case, e.g. "text" (never NULL) */
	char *subtype;       /* lower case, e.g. "plain" (never NULL) */
	char *charset;       /* lower case charset parameter, or NULL */
	char *report_type;   /* lower case report-type parameter, or NULL */
	char *cte;           /* lower case Content-Transfer-Encoding, or NULL */
	bool has_ctype;      /* a Content-Type header was present */
	int parent;          /* index of the enclosing multipart, -1 at top */
	unsigned depth;      /* 0 for the top-level entity */
	long long hdr_start; /* first byte of the part's header, or -1 */
	long long body_start; /* first byte of the content (leaf parts) */
	long long body_end;   /* end of the content, before the line end
	                         that precedes the next boundary */
	void *obj;            /* view: the GMimeObject, owned by pb_msg */
};

struct pb_msg {
	const char *buf; /* view: the parsed bytes */
	size_t len;
	size_t body_off; /* where the top-level body starts (after the blank
	                    line), len when there is none */
	const char *eol; /* "\r\n" when the header uses CRLF, else "\n" */
	struct pb_part *parts;
	size_t nparts;
	unsigned defects; /* PB_DEFECT_* */
	void *root;       /* the top GMimeObject: all top-level header fields */
};

/*
 * pb_msg_parse - parse buf[0..len) (borrowed: it must outlive the
 * result).  PB_OK: *out is new, free with pb_msg_free().  Unparseable
 * input still gives PB_OK with an empty tree and PB_DEFECT_MIME.
 * PB_ENOMEM: *out NULL.
 */
enum pb_status pb_msg_parse(const char *buf, size_t len,
                            const struct pb_limits *lim, struct pb_msg **out);

void pb_msg_free(struct pb_msg *msg);

/* pb_msg_header - returns new: the top-level header's unfolded value
 * with surrounding white space removed, or NULL when absent or on
 * ENOMEM. */
char *pb_msg_header(const struct pb_msg *msg, const char *name);

/* pb_msg_has_header - is the top-level header present? */
bool pb_msg_has_header(const struct pb_msg *msg, const char *name);

/*
 * pb_msg_part_decode - the content of leaf part idx with its transfer
 * encoding undone (charset untouched).  PB_OK: *out is new (NUL-
 * terminated, free()), *outlen its length.  Returns PB_ELIMIT when the
 * decoded content would exceed cap, PB_EINVAL for a non-leaf part.
 */
enum pb_status pb_msg_part_decode(const struct pb_msg *msg, size_t idx,
                                  size_t cap, char **out, size_t *outlen);

/*
 * pb_msg_part_text - pb_msg_part_decode() for a text part, converted to
 * UTF-8 from its charset when that charset is another one and the
 * conversion works (else the bytes as they are).  Same results.
 */
enum pb_status pb_msg_part_text(const struct pb_msg *msg, size_t idx,
                                size_t cap, char **out, size_t *outlen);

/* pb_gmime_init - start GMime once per process (thread-safe), with
 * message/rfc822, message/global and message/news registered as plain
 * parts: pb_msg_parse() relies on it; false when that fails */
bool pb_gmime_init(void);

/* pb_to_utf8 - returns new: s[0..n) converted from charset cs to UTF-8
 * (*outlen its length), NULL when the conversion fails, s holds a NUL
 * byte, or on ENOMEM */
char *pb_to_utf8(const char *s, size_t n, const char *cs, size_t *outlen);

/* pb_msg_part_raw - are the bytes of leaf part idx its content (no
 * Content-Transfer-Encoding, or 7bit, 8bit, binary)?  Then *p and *n
 * are that range of the message (a view). */
bool pb_msg_part_raw(const struct pb_msg *msg, size_t idx, const char **p,
                     size_t *n);

/* pb_msg_is_type - does part idx have this type and subtype? */
bool pb_msg_is_type(const struct pb_msg *msg, size_t idx, const char *type,
                    const char *subtype);

#endif /* PB_MSG_PARSE_H */
