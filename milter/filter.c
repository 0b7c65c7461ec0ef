/*
 * filter.c - the libmilter callbacks: decide early, buffer candidates,
 *            run libplainbounce at end of message, apply its edits.
 *
 * Input:     milter events from libmilter's threads (one thread per MTA
 *            connection at a time).
 * Output:    header edits, then one body replacement, via smfi_*.
 * Ownership: struct mf_conn per connection (smfi_setpriv): a shared,
 *            never written record of what the MTA granted until the
 *            connection has a candidate message, then its own copy,
 *            freed at close; struct mf_msg per candidate message, made at MAIL
 *            FROM and freed at end of message, abort or close.  Each
 *            message holds a reference to the configuration in force
 *            when it began (live.c), so a reload never changes it.
 * Status:    every callback answers through verdict(), the one place
 *            that maps outcomes to SMFIS_* codes; it knows no REJECT,
 *            TEMPFAIL or DISCARD.  Any failure lets the message go on
 *            unchanged, with a line at err and a counter.
 * Limits:    MaxMessageSize bytes of header plus body per message;
 *            MF_MAX_CTYPE bytes of Content-Type kept for the screen.
 *
 * Decisions (DESIGN.md section 6):
 *   MAIL FROM  non-null sender not in BounceSenders -> ACCEPT.
 *   EOH        already marked, or a report that is not about delivery
 *              (read receipt, abuse report) -> ACCEPT.
 *   body       over MaxMessageSize -> ACCEPT (passes unchanged).
 *   EOM        pb_process(); header edits first, then the whole body
 *              in one smfi_replacebody() as the last step (Postfix
 *              refuses body replacement mixed with other edits).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libmilter/mfapi.h>

#include "plainbounce.h"
#include "filter.h"
#include "live.h"
#include "log.h"
#include "mf.h"
#include "stats.h"

#define MF_MAX_CTYPE 1024
#define MF_QID_MAX 64

/* What a callback wants the MTA to do next; verdict() maps it. */
enum mf_verdict {
	MF_MORE,  /* keep sending this message */
	MF_LEAVE, /* nothing more to do: the message goes on as it is */
};

/* The step a verdict answers, for NOREPLY negotiation. */
enum mf_step {
	MF_STEP_OTHER,
	MF_STEP_HEADER,
};

/* Per connection: what the MTA granted, and the message in progress. */
struct mf_conn {
	unsigned long actions; /* SMFIF_* granted */
	unsigned long steps;   /* SMFIP_* agreed (of those read below) */
	bool own;              /* this connection's own copy (heap) */
	struct mf_msg *msg;    /* NULL between messages; always NULL when
	                          not own */
};

/*
 * Ordinary mail is accepted at MAIL FROM, so most connections never need
 * state of their own: their private pointer is one of these shared
 * records, one for each combination of the grants read later, never
 * written.  A connection gets its own copy (conn_own) only when a
 * candidate message begins.  This saves an allocation and a free per
 * SMTP session on the path of ordinary mail (doc/performance.md).
 */
#define MF_GRANT(i)                                                          \
	{                                                                    \
		.actions = (((i)&1) ? SMFIF_ADDHDRS : 0) |                   \
		           (((i)&2) ? SMFIF_CHGHDRS : 0) |                   \
		           (((i)&4) ? SMFIF_CHGBODY : 0),                    \
		.steps = (((i)&8) ? SMFIP_NR_HDR : 0) |                      \
		         (((i)&16) ? SMFIP_HDR_LEADSPC : 0),                 \
		.own = false, .msg = NULL,                                   \
	}
#define MF_GRANT4(i) MF_GRANT(i), MF_GRANT(i + 1), MF_GRANT(i + 2), MF_GRANT(i + 3)
static struct mf_conn shared_grants[32] = {
    MF_GRANT4(0),  MF_GRANT4(4),  MF_GRANT4(8),  MF_GRANT4(12),
    MF_GRANT4(16), MF_GRANT4(20), MF_GRANT4(24), MF_GRANT4(28),
};
#define MF_GRANT_V2 7 /* no negotiation (old MTA): the v2 actions */

/* shared_grant - the shared record for these grants */
static struct mf_conn *
shared_grant(unsigned long actions, unsigned long steps)
{
	unsigned i = ((actions & SMFIF_ADDHDRS) ? 1 : 0) |
	             ((actions & SMFIF_CHGHDRS) ? 2 : 0) |
	             ((actions & SMFIF_CHGBODY) ? 4 : 0) |
	             ((steps & SMFIP_NR_HDR) ? 8 : 0) |
	             ((steps & SMFIP_HDR_LEADSPC) ? 16 : 0);

	return &shared_grants[i];
}

/* Per candidate message. */
struct mf_msg {
	struct mf_live *live; /* reference taken at MAIL FROM */
	char qid[MF_QID_MAX]; /* MTA queue id (macro i) or "NOQUEUE" */
	char *buf;            /* header section, then the body */
	size_t len, cap;
	bool in_body;  /* end of headers seen */
	bool marked;   /* carries X-Plainbounce */
	bool given_up; /* logged and counted: will pass unchanged */
	char *ctype;   /* first Content-Type value, or NULL */
};

static atomic_ulong inflight;
static atomic_bool stopping;

#ifdef MF_TESTING
/* Test-only fault hook: PLAINBOUNCE_TEST_FAULT=process|addheader|
 * chgheader|replacebody makes that step fail as if the library or the
 * MTA had failed.  Compiled into the test build only. */
static const char *fault;

/* miltertest reads each reply into a 1 KiB stack buffer and overflows
 * on the 64 KiB body pieces libmilter sends; the test build can cut
 * the replacement into smaller smfi_replacebody() calls instead
 * (PLAINBOUNCE_TEST_BODY_PIECE=bytes).  On the wire this is the same
 * as libmilter's own cutting, only in smaller pieces. */
static size_t body_piece = (size_t)0x7fffffff;

void
mf_filter_fault_init(void)
{
	const char *p = getenv("PLAINBOUNCE_TEST_BODY_PIECE");

	fault = getenv("PLAINBOUNCE_TEST_FAULT");
	if (p != NULL && atol(p) > 0)
		body_piece = (size_t)atol(p);
}

/* faulty - should the named step fail in this test run? */
static bool
faulty(const char *step)
{
	return fault != NULL && strcmp(fault, step) == 0;
}
#else
void
mf_filter_fault_init(void)
{
}

#define faulty(step) false

/* the whole body in one smfi_replacebody() call */
static const size_t body_piece = (size_t)0x7fffffff;
#endif

void
mf_filter_stop_new(void)
{
	atomic_store(&stopping, true);
}

unsigned long
mf_filter_inflight(void)
{
	return atomic_load(&inflight);
}

/* verdict - the one mapping from our outcomes to SMFIS_* codes */
static sfsistat
verdict(const struct mf_conn *c, enum mf_step step, enum mf_verdict v)
{
	if (v == MF_LEAVE)
		return SMFIS_ACCEPT;
	if (step == MF_STEP_HEADER && c != NULL &&
	    (c->steps & SMFIP_NR_HDR) != 0)
		return SMFIS_NOREPLY;
	return SMFIS_CONTINUE;
}

/* mf_log_msg - log one line about message m, prefixed by its queue id */
static void MF_PRINTF(3, 4)
    mf_log_msg(const struct mf_msg *m, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mf_vlog_id(m != NULL && m->qid[0] != '\0' ? m->qid : "NOQUEUE", level,
	           fmt, ap);
	va_end(ap);
}

/* msg_free - release a message's state and its configuration reference */
static void
msg_free(struct mf_msg *m)
{
	if (m == NULL)
		return;
	mf_live_release(m->live);
	free(m->buf);
	free(m->ctype);
	free(m);
	atomic_fetch_sub(&inflight, 1);
}

/* conn_get - the connection state: its own, or the shared record of
 * its grants (without negotiation, an old MTA: the v2 defaults); only
 * an own record may be written */
static struct mf_conn *
conn_get(SMFICTX *ctx)
{
	struct mf_conn *c = smfi_getpriv(ctx);

	return c != NULL ? c : &shared_grants[MF_GRANT_V2];
}

/* conn_own - the connection's own state, copied from c (its current
 * state) on first use; NULL on ENOMEM */
static struct mf_conn *
conn_own(SMFICTX *ctx, struct mf_conn *c)
{
	struct mf_conn *own;

	if (c->own)
		return c;
	if ((own = calloc(1, sizeof(*own))) == NULL)
		return NULL;
	own->actions = c->actions;
	own->steps = c->steps;
	own->own = true;
	if (smfi_setpriv(ctx, own) != MI_SUCCESS) {
		free(own);
		return NULL;
	}
	return own;
}

/* msg_end - forget the message in progress on c */
static void
msg_end(struct mf_conn *c)
{
	if (c != NULL && c->msg != NULL) {
		msg_free(c->msg);
		c->msg = NULL;
	}
}

/* leave - give up on a message: it goes on unchanged; returns ACCEPT */
static sfsistat
leave(struct mf_conn *c)
{
	msg_end(c);
	return verdict(c, MF_STEP_OTHER, MF_LEAVE);
}

/* order_error - a callback came when no message was in progress */
static sfsistat
order_error(struct mf_conn *c, const char *where)
{
	mf_stats_add(MF_STAT_ORDER);
	mf_log(LOG_ERR, "NOQUEUE: pass-through: %s without MAIL FROM", where);
	return leave(c);
}

/* take_qid - copy the queue id macro into m when the MTA sent it */
static void
take_qid(SMFICTX *ctx, struct mf_msg *m)
{
	static char macro_i[] = "i";
	const char *q = smfi_getsymval(ctx, macro_i);
	size_t i;

	if (q == NULL || *q == '\0')
		return;
	for (i = 0; q[i] != '\0' && i + 1 < sizeof(m->qid); i++)
		m->qid[i] = isgraph((unsigned char)q[i]) ? q[i] : '?';
	m->qid[i] = '\0';
}

/* append - add n bytes to m's buffer within MaxMessageSize; 0 or -1
 * (too big or out of memory: *oversize says which) */
static int
append(struct mf_msg *m, const char *p, size_t n, bool *oversize)
{
	size_t max = m->live->cfg->max_message_size, cap;
	char *nb;

	*oversize = false;
	if (n > max || m->len > max - n) {
		*oversize = true;
		return -1;
	}
	if (m->len + n > m->cap) {
		cap = m->cap != 0 ? m->cap : 16384;
		while (cap < m->len + n)
			cap = cap > max / 2 ? max : cap * 2;
		if ((nb = realloc(m->buf, cap)) == NULL)
			return -1;
		m->buf = nb;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, p, n);
	m->len += n;
	return 0;
}

/* append_crlf - append text with every bare LF or CR turned into CRLF,
 * so the reassembled header has the wire's line ends; 0 or -1 */
static int
append_crlf(struct mf_msg *m, const char *s, bool *oversize)
{
	size_t n;
	int rc = 0;

	while (rc == 0 && *s != '\0') {
		n = strcspn(s, "\r\n");
		rc = append(m, s, n, oversize);
		s += n;
		if (*s == '\0' || rc != 0)
			break;
		rc = append(m, "\r\n", 2, oversize);
		if (s[0] == '\r' && s[1] == '\n')
			s++;
		s++;
	}
	return rc;
}

/* give_up - log and count a message over MaxMessageSize (or out of
 * memory); it will pass unchanged */
static void
give_up(struct mf_msg *m, bool oversize)
{
	if (oversize) {
		mf_stats_add(MF_STAT_PASS_OVERSIZE);
		mf_log_msg(
		    m, LOG_ERR,
		    "pass-through: message larger than MaxMessageSize=%zu",
		    m->live->cfg->max_message_size);
	} else {
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log_msg(m, LOG_ERR, "pass-through: out of memory");
	}
	m->given_up = true;
	free(m->buf);
	m->buf = NULL;
	m->len = m->cap = 0;
}

/* too_big - give up on c's message and let it go: ACCEPT */
static sfsistat
too_big(struct mf_conn *c, bool oversize)
{
	give_up(c->msg, oversize);
	return leave(c);
}

/* mf_negotiate - ask only for what is used: header and body edits;
 * no connect, HELO, RCPT, DATA or unknown-command events; no replies
 * to single headers; header values with their leading space */
static sfsistat
mf_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
             unsigned long f2 MF_UNUSED, unsigned long f3 MF_UNUSED,
             unsigned long *pf0, unsigned long *pf1, unsigned long *pf2,
             unsigned long *pf3)
{
	unsigned long want_steps =
	    SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NORCPT | SMFIP_NODATA |
	    SMFIP_NOUNKNOWN | SMFIP_NR_HDR | SMFIP_HDR_LEADSPC;

	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY);
	*pf1 = f1 & want_steps;
	*pf2 = 0;
	*pf3 = 0;
	/* a renegotiation on a connection with its own record is not
	 * expected; it keeps that record */
	if (!conn_get(ctx)->own)
		(void)smfi_setpriv(ctx, shared_grant(*pf0, *pf1));
	if ((*pf0 & SMFIF_CHGBODY) == 0 || (*pf0 & SMFIF_ADDHDRS) == 0)
		mf_log(LOG_WARNING, "MTA does not allow header and body "
		                    "changes: bounces will pass unexplained");
	return SMFIS_CONTINUE;
}

/* bare_sender - the envelope sender s without <> and blanks: returns
 * where it starts in s, its length in *n */
static const char *
bare_sender(const char *s, size_t *n)
{
	const char *gt;

	while (*s == ' ' || *s == '<')
		s++;
	*n = (gt = strchr(s, '>')) != NULL ? (size_t)(gt - s) : strlen(s);
	while (*n > 0 && s[*n - 1] == ' ')
		(*n)--;
	return s;
}

/* mf_envfrom - start of a message: ACCEPT unless a bounce sender */
static sfsistat
mf_envfrom(SMFICTX *ctx, char **argv)
{
	struct mf_conn *c = conn_get(ctx);
	struct mf_live *live;
	struct mf_msg *m;
	const char *sender;
	size_t n;

	mf_stats_add(MF_STAT_MESSAGES);
	msg_end(c); /* a message without EOM or abort: forget it */
	if ((live = mf_live_acquire()) == NULL) {
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log(LOG_ERR, "NOQUEUE: pass-through: no configuration");
		return leave(c);
	}
	if (atomic_load(&stopping)) {
		mf_live_release(live);
		mf_log(LOG_INFO, "NOQUEUE: pass-through: shutting down");
		return leave(c);
	}
	/* smtpd hands "<>"; Postfix's own bounces arrive as "" */
	sender = bare_sender(argv != NULL && argv[0] != NULL ? argv[0] : "", &n);
	if (n > 0 && !mf_config_is_bounce_sender(live->cfg, sender, n)) {
		mf_live_release(live);
		mf_stats_add(MF_STAT_ACCEPT_SENDER);
		return leave(c);
	}
	if ((c = conn_own(ctx, c)) == NULL ||
	    (m = calloc(1, sizeof(*m))) == NULL) {
		mf_live_release(live);
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log(LOG_ERR, "NOQUEUE: pass-through: out of memory");
		return leave(conn_get(ctx));
	}
	atomic_fetch_add(&inflight, 1);
	m->live = live;
	c->msg = m;
	take_qid(ctx, m);
	mf_stats_add(MF_STAT_CANDIDATES);
	mf_log_msg(m, LOG_DEBUG, "candidate sender=%s",
	           n > 0 ? "bounce-sender" : "null");
	return verdict(c, MF_STEP_OTHER, MF_MORE);
}

/* mf_header - keep one header field as "name:value" CRLF.  With
 * SMFIP_NR_HDR libmilter turns any answer here into "no reply", so a
 * message given up on is only marked, and let go at end of headers. */
static sfsistat
mf_header(SMFICTX *ctx, char *name, char *value)
{
	struct mf_conn *c = conn_get(ctx);
	struct mf_msg *m = c != NULL ? c->msg : NULL;
	bool oversize = false;
	const char *v = value != NULL ? value : "";

	if (m == NULL)
		return order_error(c, "header");
	if (m->given_up)
		return verdict(c, MF_STEP_HEADER, MF_MORE);
	if (m->in_body || name == NULL) {
		mf_stats_add(MF_STAT_ORDER);
		mf_log_msg(m, LOG_ERR, "pass-through: header out of order");
		m->given_up = true;
		return verdict(c, MF_STEP_HEADER, MF_MORE);
	}
	if (strcasecmp(name, PB_MARKER_HEADER) == 0)
		m->marked = true;
	if (m->ctype == NULL && strcasecmp(name, "Content-Type") == 0)
		m->ctype = strndup(v, MF_MAX_CTYPE);
	/* without HDR_LEADSPC the MTA dropped the blank after the colon */
	if (append(m, name, strlen(name), &oversize) != 0 ||
	    append(m, ":", 1, &oversize) != 0 ||
	    ((c->steps & SMFIP_HDR_LEADSPC) == 0 &&
	     append(m, " ", 1, &oversize) != 0) ||
	    append_crlf(m, v, &oversize) != 0 ||
	    append(m, "\r\n", 2, &oversize) != 0) {
		give_up(m, oversize);
		return verdict(c, MF_STEP_HEADER, MF_MORE);
	}
	return verdict(c, MF_STEP_HEADER, MF_MORE);
}

/* mf_eoh - end of headers: let go of what cannot be a bounce */
static sfsistat
mf_eoh(SMFICTX *ctx)
{
	struct mf_conn *c = conn_get(ctx);
	struct mf_msg *m = c != NULL ? c->msg : NULL;
	bool oversize = false;

	if (m == NULL)
		return order_error(c, "end of headers");
	take_qid(ctx, m);
	m->in_body = true;
	if (m->given_up)
		return leave(c);
	if (m->marked) {
		mf_stats_add(MF_STAT_PASS_MARKED);
		mf_stats_add(MF_STAT_ACCEPT_HEADERS);
		mf_log_msg(m, LOG_INFO, "pass-through: already marked");
		return leave(c);
	}
	if (pb_is_other_report(m->ctype)) {
		mf_stats_add(MF_STAT_ACCEPT_HEADERS);
		mf_log_msg(m, LOG_INFO, "pass-through: not a delivery report");
		return leave(c);
	}
	if (append(m, "\r\n", 2, &oversize) != 0)
		return too_big(c, oversize);
	return verdict(c, MF_STEP_OTHER, MF_MORE);
}

/* mf_body - buffer one body chunk */
static sfsistat
mf_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct mf_conn *c = conn_get(ctx);
	struct mf_msg *m = c != NULL ? c->msg : NULL;
	bool oversize = false;

	if (m == NULL)
		return order_error(c, "body");
	if (!m->in_body) {
		mf_stats_add(MF_STAT_ORDER);
		mf_log_msg(m, LOG_ERR,
		           "pass-through: body before end of "
		           "headers");
		return leave(c);
	}
	if (append(m, (const char *)chunk, len, &oversize) != 0)
		return too_big(c, oversize);
	return verdict(c, MF_STEP_OTHER, MF_MORE);
}

/* summary - "reasons=... status=..." for the log line (from the library:
 * reason names and well-formed codes only) and the number of failed
 * recipients */
static void
summary(const struct pb_result *res, char *buf, size_t size, unsigned *nfailed)
{
	char *reasons, *statuses;
	size_t i;

	*nfailed = 0;
	for (i = 0; i < res->nrcpts; i++)
		if (res->rcpts[i].failed)
			(*nfailed)++;
	if (pb_result_summary(res, &reasons, &statuses) != PB_OK) {
		snprintf(buf, size, "reasons=? status=?");
		return;
	}
	snprintf(buf, size, "reasons=%s status=%s",
	         reasons[0] != '\0' ? reasons : "none",
	         statuses[0] != '\0' ? statuses : "none");
	free(reasons);
	free(statuses);
}

/* count_reasons - add each failed recipient's reason to the counters */
static void
count_reasons(const struct pb_result *res)
{
	size_t i;

	for (i = 0; i < res->nrcpts; i++)
		if (res->rcpts[i].failed)
			mf_stats_reason(res->rcpts[i].reason);
}

/* allowed - did the MTA grant every action res needs? */
static bool
allowed(const struct mf_conn *c, const struct pb_result *res)
{
	size_t i;

	for (i = 0; i < res->nedits; i++) {
		unsigned long need = res->edits[i].op == PB_EDIT_ADD
		                         ? SMFIF_ADDHDRS
		                         : SMFIF_CHGHDRS;
		if ((c->actions & need) == 0)
			return false;
	}
	return !res->body_replaced || (c->actions & SMFIF_CHGBODY) != 0;
}

/* apply - send the header edits in order, then the body in one
 * replacement; 0, or -1 after the first failing call (logged) */
static int
apply(SMFICTX *ctx, const struct mf_conn *c, struct mf_msg *m,
      const struct pb_result *res)
{
	const struct pb_edit *e;
	char *v, *heap = NULL;
	char small[1024];
	size_t i, n;
	int rc;

	for (i = 0; i < res->nedits; i++) {
		e = &res->edits[i];
		/* with HDR_LEADSPC the MTA inserts no blank after the colon */
		v = e->value;
		if ((c->steps & SMFIP_HDR_LEADSPC) != 0) {
			n = strlen(e->value) + 2;
			v = n <= sizeof(small) ? small : (heap = malloc(n));
			if (v == NULL) {
				mf_log_msg(m, LOG_ERR,
				           "edit failed: out of "
				           "memory; stopped editing");
				return -1;
			}
			snprintf(v, n, " %s", e->value);
		}
		if (e->op == PB_EDIT_ADD)
			rc = faulty("addheader")
			         ? MI_FAILURE
			         : smfi_addheader(ctx, e->name, v);
		else
			rc = faulty("chgheader")
			         ? MI_FAILURE
			         : smfi_chgheader(ctx, e->name, 1, v);
		free(heap);
		heap = NULL;
		if (rc != MI_SUCCESS) {
			mf_log_msg(m, LOG_ERR, "%s %s failed; stopped editing",
			           e->op == PB_EDIT_ADD ? "smfi_addheader"
			                                : "smfi_chgheader",
			           e->name);
			return -1;
		}
	}
	if (!res->body_replaced)
		return 0;
	/* the last step: the whole new body, normally in one call (the
	 * test build may cut it, see body_piece) */
	for (i = 0; i < res->body_len || i == 0; i += n) {
		n = res->body_len - i < body_piece ? res->body_len - i
		                                   : body_piece;
		if (faulty("replacebody") ||
		    smfi_replacebody(ctx, (unsigned char *)res->body + i,
		                     (int)n) != MI_SUCCESS) {
			mf_log_msg(m, LOG_ERR,
			           "smfi_replacebody failed after "
			           "the header edits");
			return -1;
		}
		if (n == 0)
			break;
	}
	return 0;
}

/* mf_eom - run the library on the whole message and apply its result */
static sfsistat
mf_eom(SMFICTX *ctx)
{
	struct mf_conn *c = conn_get(ctx);
	struct mf_msg *m = c != NULL ? c->msg : NULL;
	struct pb_result *res = NULL;
	enum pb_status st;
	unsigned nfailed;
	char sum[600];

	if (m == NULL)
		return order_error(c, "end of message");
	take_qid(ctx, m);
	if (m->buf == NULL || m->len > (size_t)0x7fffffff) {
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log_msg(m, LOG_ERR, "pass-through: nothing buffered");
		return leave(c);
	}
	mf_stats_add(MF_STAT_ANALYSED);
	st = faulty("process") ? PB_EINTERNAL
	                       : pb_process(m->live->ctx, m->buf, m->len, &res);
	if (st != PB_OK) {
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log_msg(m, LOG_ERR, "pass-through: %s", pb_strerror(st));
		return leave(c);
	}
	summary(res, sum, sizeof(sum), &nfailed);
	if (res->already_marked) {
		mf_stats_add(MF_STAT_PASS_MARKED);
		mf_log_msg(m, LOG_INFO, "pass-through: already marked");
	} else if (!res->bounce) {
		mf_stats_add(MF_STAT_PASS_NOT_BOUNCE);
		mf_log_msg(m, LOG_INFO, "pass-through: not a bounce kind=%s",
		           pb_kind_name(res->kind));
	} else if (!res->changed) {
		if (m->live->cfg->mode == PB_MODE_DRY_RUN) {
			mf_stats_add(MF_STAT_DRY_RUN);
			count_reasons(res);
		} else
			mf_stats_add(MF_STAT_PASS_NOT_BOUNCE);
		mf_log_msg(m, LOG_NOTICE, "%s kind=%s rcpts=%u %s action=none",
		           m->live->cfg->mode == PB_MODE_DRY_RUN
		               ? "dry-run: would explain"
		               : "not explained",
		           pb_kind_name(res->kind), nfailed, sum);
	} else if (!allowed(c, res)) {
		mf_stats_add(MF_STAT_PASS_ERROR);
		mf_log_msg(m, LOG_ERR,
		           "pass-through: the MTA did not grant "
		           "the header and body changes needed");
	} else if (apply(ctx, c, m, res) != 0) {
		mf_stats_add(MF_STAT_EDIT_FAILED);
	} else {
		mf_stats_add(MF_STAT_EXPLAINED);
		count_reasons(res);
		mf_log_msg(m, LOG_NOTICE,
		           "explained kind=%s rcpts=%u %s "
		           "action=%s",
		           pb_kind_name(res->kind), nfailed, sum,
		           mf_config_mode_name(m->live->cfg->mode));
	}
	pb_result_free(res);
	msg_end(c);
	return verdict(c, MF_STEP_OTHER, MF_MORE);
}

/* mf_abort - the MTA dropped the message: forget it */
static sfsistat
mf_abort(SMFICTX *ctx)
{
	struct mf_conn *c = smfi_getpriv(ctx);

	if (c != NULL && c->msg != NULL) {
		mf_stats_add(MF_STAT_ABORTED);
		msg_end(c);
	}
	return verdict(c, MF_STEP_OTHER, MF_MORE);
}

/* mf_close - the connection ends: free everything */
static sfsistat
mf_close(SMFICTX *ctx)
{
	struct mf_conn *c = smfi_getpriv(ctx);

	if (c != NULL) {
		msg_end(c);
		smfi_setpriv(ctx, NULL);
		if (c->own)
			free(c);
	}
	return verdict(NULL, MF_STEP_OTHER, MF_MORE);
}

static char filter_name[] = "plainbounce";

struct smfiDesc mf_filter_desc = {
    .xxfi_name = filter_name,
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY,
    .xxfi_connect = NULL,
    .xxfi_helo = NULL,
    .xxfi_envfrom = mf_envfrom,
    .xxfi_envrcpt = NULL,
    .xxfi_header = mf_header,
    .xxfi_eoh = mf_eoh,
    .xxfi_body = mf_body,
    .xxfi_eom = mf_eom,
    .xxfi_abort = mf_abort,
    .xxfi_close = mf_close,
    .xxfi_unknown = NULL,
    .xxfi_data = NULL,
    .xxfi_negotiate = mf_negotiate,
};
