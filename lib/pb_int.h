/*
 * pb_int.h - private helpers shared by the modules of libplainbounce.
 *
 * Nothing here is part of the public interface; tests may use it.
 */
#ifndef PB_INT_H
#define PB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plainbounce.h"

#define PB_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PB_UNUSED __attribute__((unused))
#else
#define PB_PRINTF(f, a)
#define PB_UNUSED
#endif

/* A growable byte buffer.  Always NUL-terminated when data != NULL. */
struct pb_buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed: the content is incomplete */
};

void pb_buf_init(struct pb_buf *b);
void pb_buf_fini(struct pb_buf *b);
/* pb_buf_add - append n bytes; on failure set b->failed */
void pb_buf_add(struct pb_buf *b, const char *p, size_t n);
void pb_buf_adds(struct pb_buf *b, const char *s);
void pb_buf_addc(struct pb_buf *b, char c);
/* pb_buf_take - returns new: the data (or "" when empty); b is reset */
char *pb_buf_take(struct pb_buf *b);

/* pb_strndup_cap - returns new: copy of p[0..n), cut at cap bytes, NULL on
 * ENOMEM; *cut (may be NULL) set when the copy was cut */
char *pb_strndup_cap(const char *p, size_t n, size_t cap, bool *cut);

/* pb_ascii_casestr - case-insensitive substring search in hay[0..n);
 * returns view into hay or NULL.  Linear in n times strlen(needle). */
const char *pb_ascii_casestr(const char *hay, size_t n, const char *needle);

/* pb_ascii_is_digit, pb_ascii_is_alpha - ASCII digit, ASCII letter
 * (locale-independent) */
static inline bool
pb_ascii_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
pb_ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* pb_ascii_lower - ASCII lower case of c, locale-independent */
static inline unsigned char
pb_ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* pb_utf8_len - length of the valid UTF-8 sequence at s (n bytes left,
 * n > 0), or 0 when it is invalid (overlong forms and surrogates too) */
size_t pb_utf8_len(const unsigned char *s, size_t n);

/* pb_ascii_lower_inplace - lower-case ASCII letters of s */
void pb_ascii_lower_inplace(char *s);

/* pb_trim - strip ASCII white space at both ends of [*p, *p+*n) */
void pb_trim(const char **p, size_t *n);

/* pb_is_status_code - does s[0..n) look like an RFC 3463 code
 * class.subject.detail with class 2, 4 or 5 (1-3 digits each part)? */
bool pb_is_status_code(const char *s, size_t n);

/* pb_ascii_starts_any - does t[0..n) start with one of the np
 * prefixes pfx[] (lower case; compared case-insensitively)?  Returns
 * the prefix, or NULL. */
const char *pb_ascii_starts_any(const char *t, size_t n,
                                const char *const *pfx, size_t np);

/* pb_eol_of - the line end of buf[0..len): where it has an LF, the one
 * that ends its first line ("\n" or "\r\n"); in a message without any
 * LF, "\r" if it has a CR, else "\n" */
const char *pb_eol_of(const char *buf, size_t len);

/* pb_header_end - offset of the empty line that ends the header of
 * buf[0..len) (len when there is none), its length in *blank (0 then).
 * Lines end at LF or CRLF, mixed as they come; in a message without any
 * LF, at CR.  A lone CR that ends the input is an empty line cut short.
 * The one rule for the parser and the renderer. */
size_t pb_header_end(const char *buf, size_t len, size_t *blank);

#endif /* PB_INT_H */
