/*
 * util.c - small string and buffer helpers used across libplainbounce.
 *
 * Input:     byte spans; nothing here keeps a pointer it was given.
 * Output:    new strings (caller frees) or views into the caller's input.
 * Status:    allocation failures show as NULL or as pb_buf.failed.
 * Limits:    none of its own; callers pass caps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_int.h"

void
pb_buf_init(struct pb_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void
pb_buf_fini(struct pb_buf *b)
{
	free(b->data);
	pb_buf_init(b);
}

/* grow - make room for n more bytes plus NUL; false on failure */
static bool
grow(struct pb_buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return false;
	if (n > SIZE_MAX - b->len - 1) {
		b->failed = true;
		return false;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void
pb_buf_add(struct pb_buf *b, const char *p, size_t n)
{
	if (!grow(b, n))
		return;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
pb_buf_adds(struct pb_buf *b, const char *s)
{
	pb_buf_add(b, s, strlen(s));
}

void
pb_buf_addc(struct pb_buf *b, char c)
{
	/* the common case, room for c and the NUL, without grow() */
	if (!b->failed && b->cap - b->len >= 2) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	pb_buf_add(b, &c, 1);
}

char *
pb_buf_take(struct pb_buf *b)
{
	char *p;

	if (b->failed) {
		pb_buf_fini(b);
		return NULL;
	}
	p = b->data ? b->data : strdup("");
	pb_buf_init(b);
	return p;
}

char *
pb_strndup_cap(const char *p, size_t n, size_t cap, bool *cut)
{
	char *s;

	if (cut != NULL)
		*cut = n > cap;
	if (n > cap)
		n = cap;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* next_of - the first c in [p, end), or NULL */
static const char *
next_of(const char *p, const char *end, unsigned char c)
{
	return p < end ? memchr(p, c, (size_t)(end - p)) : NULL;
}

/*
 * The first byte of the needle is looked for with memchr(), once in
 * each case, and each of the two positions is searched again only once
 * it has been passed: most bytes of the text are then skipped by
 * memchr()'s word-at-a-time scan instead of being compared one by one.
 */
const char *
pb_ascii_casestr(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), j;
	unsigned char lo, up;
	const char *end, *a, *b, *p;

	if (m == 0)
		return hay;
	if (m > n)
		return NULL;
	lo = pb_ascii_lower((unsigned char)needle[0]);
	up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
	end = hay + (n - m) + 1; /* the last possible start, plus one */
	a = next_of(hay, end, lo);
	b = up != lo ? next_of(hay, end, up) : NULL;
	while (a != NULL || b != NULL) {
		p = (a != NULL && (b == NULL || a < b)) ? a : b;
		for (j = 1; j < m; j++)
			if (pb_ascii_lower((unsigned char)p[j]) !=
			    pb_ascii_lower((unsigned char)needle[j]))
				break;
		if (j == m)
			return p;
		if (p == a)
			a = next_of(a + 1, end, lo);
		else
			b = next_of(b + 1, end, up);
	}
	return NULL;
}

void
pb_ascii_lower_inplace(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)pb_ascii_lower((unsigned char)*s);
}

/* is_space - ASCII white space */
static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

void
pb_trim(const char **p, size_t *n)
{
	while (*n > 0 && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*p)[*n - 1]))
		(*n)--;
}

/* digits - count of ASCII digits at s[0..n), at most max+1 */
static size_t
digits(const char *s, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i <= max && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i;
}

bool
pb_is_status_code(const char *s, size_t n)
{
	size_t d;

	if (n < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return false;
	s += 2;
	n -= 2;
	d = digits(s, n, 3);
	if (d < 1 || d > 3 || d >= n || s[d] != '.')
		return false;
	s += d + 1;
	n -= d + 1;
	d = digits(s, n, 3);
	return d >= 1 && d <= 3 && d == n;
}

size_t
pb_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0; /* overlong */
	if (len == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0; /* surrogate */
	if (len == 4 &&
	    ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return len;
}

const char *
pb_ascii_starts_any(const char *t, size_t n, const char *const *pfx,
                    size_t np)
{
	size_t i, m;

	for (i = 0; i < np; i++)
		if (n >= (m = strlen(pfx[i])) && strncasecmp(t, pfx[i], m) == 0)
			return pfx[i];
	return NULL;
}

const char *
pb_eol_of(const char *buf, size_t len)
{
	const char *nl = len > 0 ? memchr(buf, '\n', len) : NULL;

	if (nl == NULL)
		return len > 0 && memchr(buf, '\r', len) != NULL ? "\r" : "\n";
	return nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

size_t
pb_header_end(const char *buf, size_t len, size_t *blank)
{
	const char *eol = pb_eol_of(buf, len);
	char nl = eol[strlen(eol) - 1]; /* LF, or CR in a CR-only message */
	const char *e;
	size_t i = 0;

	while (i < len) { /* i is the start of a line */
		if (buf[i] == nl) {
			*blank = 1;
			return i;
		}
		/* an empty CRLF line; or at the very end a lone CR, the
		 * start of one cut short, which a line end would complete */
		if (nl == '\n' && buf[i] == '\r' &&
		    (i + 1 == len || buf[i + 1] == '\n')) {
			*blank = i + 1 == len ? 1 : 2;
			return i;
		}
		if ((e = memchr(buf + i, nl, len - i)) == NULL)
			break;
		i = (size_t)(e - buf) + 1;
	}
	*blank = 0;
	return len;
}
