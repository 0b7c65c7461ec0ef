/*
 * process.c - the one entry point: run parse -> detect -> extract ->
 *             classify -> explain -> rewrite on one message.
 *
 * Input:     an immutable struct pb_ctx and the message bytes (borrowed).
 * Output:    struct pb_result (new; pb_result_free()).
 * Status:    PB_OK for every message, odd or not; PB_ENOMEM, PB_ELIMIT
 *            (message over limits.max_message_size), PB_EINVAL,
 *            PB_EINTERNAL: no result, the caller passes the message on.
 * Limits:    all of struct pb_limits, applied by the stages.
 *
 * A message already carrying the X-Plainbounce header is analysed but
 * never changed again.  CR-only line ends are turned into LF for GMime
 * and back again in the new body.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "pb_int.h"
#include "catalog.h"
#include "classify.h"
#include "dsn_detect.h"
#include "dsn_parse.h"
#include "dsn_text.h"
#include "explain.h"
#include "msg_parse.h"
#include "rewrite.h"

/* Defaults: generous for real bounces, small enough to bound work. */
#define PB_DEFAULT_MAX_MESSAGE (64u << 20)
#define PB_DEFAULT_MAX_DEPTH 32
#define PB_DEFAULT_MAX_PARTS 1000
#define PB_DEFAULT_MAX_RCPTS 10000
#define PB_DEFAULT_MAX_FIELD 4096

struct pb_ctx {
	struct pb_options opt;
	char *lang;
	struct pb_catalog *catalog;
};

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

/* gmime_start - initialise GMime once per process */
static void
gmime_start(void)
{
	g_mime_init();
}

void
pb_options_init(struct pb_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->limits.max_message_size = PB_DEFAULT_MAX_MESSAGE;
	opt->limits.max_mime_depth = PB_DEFAULT_MAX_DEPTH;
	opt->limits.max_parts = PB_DEFAULT_MAX_PARTS;
	opt->limits.max_rcpts = PB_DEFAULT_MAX_RCPTS;
	opt->limits.max_field_len = PB_DEFAULT_MAX_FIELD;
	opt->mode = PB_MODE_REWRITE;
	opt->lang = "en";
}

enum pb_status
pb_ctx_new(const struct pb_options *opt, struct pb_ctx **out)
{
	struct pb_ctx *ctx;
	enum pb_status st;
	size_t line;

	*out = NULL;
	if (opt == NULL || opt->limits.max_field_len < 64 ||
	    opt->limits.max_parts == 0 || opt->limits.max_mime_depth == 0 ||
	    opt->limits.max_rcpts == 0)
		return PB_EINVAL;
	/* only the built-in English catalog exists so far */
	if (opt->lang != NULL && strcmp(opt->lang, "en") != 0)
		return PB_ECATALOG;
	if (pthread_once(&gmime_once, gmime_start) != 0)
		return PB_EINTERNAL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return PB_ENOMEM;
	ctx->opt = *opt;
	if ((ctx->lang = strdup("en")) == NULL) {
		pb_ctx_free(ctx);
		return PB_ENOMEM;
	}
	ctx->opt.lang = ctx->lang;
	st = pb_catalog_parse(pb_catalog_builtin_en, pb_catalog_builtin_en_len,
	                      &ctx->catalog, &line);
	if (st != PB_OK) {
		pb_ctx_free(ctx);
		return st;
	}
	*out = ctx;
	return PB_OK;
}

void
pb_ctx_free(struct pb_ctx *ctx)
{
	if (ctx == NULL)
		return;
	pb_catalog_free(ctx->catalog);
	free(ctx->lang);
	free(ctx);
}

void
pb_result_free(struct pb_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nrcpts; i++) {
		free(res->rcpts[i].explained_by);
		pb_rcpt_fini(&res->rcpts[i]);
	}
	free(res->rcpts);
	for (i = 0; i < res->nedits; i++) {
		free(res->edits[i].name);
		free(res->edits[i].value);
	}
	free(res->edits);
	free(res->reporting_mta);
	free(res->body);
	free(res->marker);
	free(res);
}

/* is_cr_only - are the line ends bare CRs? */
static bool
is_cr_only(const char *msg, size_t len)
{
	return memchr(msg, '\n', len) == NULL && memchr(msg, '\r', len) != NULL;
}

static void take_report(struct pb_result *res, struct pb_dsn_report *rep);

/* read_report - extract the recipients of the report part */
static enum pb_status
read_report(const struct pb_msg *msg, const struct pb_detect *det,
            const struct pb_limits *lim, struct pb_result *res)
{
	struct pb_dsn_report *rep;
	enum pb_status st;
	char *text;
	size_t len;

	st = pb_msg_part_decode(msg, (size_t)det->report, lim->max_message_size,
	                        &text, &len);
	if (st == PB_EINVAL || st == PB_EINTERNAL || st == PB_ELIMIT) {
		res->defects |= PB_DEFECT_ENCODING;
		return PB_OK;
	}
	if (st != PB_OK)
		return st;
	st = pb_dsn_parse(text, len, lim, &rep);
	free(text);
	if (st != PB_OK)
		return st;
	take_report(res, rep);
	return PB_OK;
}

/* read_text - the recipients of a mailer's notice without a usable
 * report; sets det->cls to PB_DETECT_TEXT when there are some */
static enum pb_status
read_text(const struct pb_msg *msg, struct pb_detect *det,
          const struct pb_limits *lim, struct pb_result *res)
{
	struct pb_dsn_report *rep;
	enum pb_status st;

	if ((st = pb_dsn_text_fallback(msg, det, lim, &rep)) != PB_OK)
		return st;
	if (rep == NULL)
		return PB_OK;
	if (rep->nrcpts == 0) {
		pb_dsn_report_free(rep);
		return PB_OK;
	}
	det->cls = PB_DETECT_TEXT;
	take_report(res, rep);
	return PB_OK;
}

/* take_report - move rep's recipients and Reporting-MTA into res; takes
 * rep */
static void
take_report(struct pb_result *res, struct pb_dsn_report *rep)
{
	size_t i;

	for (i = 0; i < res->nrcpts; i++)
		pb_rcpt_fini(&res->rcpts[i]);
	free(res->rcpts);
	free(res->reporting_mta);
	res->reporting_mta = rep->reporting_mta;
	res->rcpts = rep->rcpts;
	res->nrcpts = rep->nrcpts;
	res->defects |= rep->defects;
	rep->reporting_mta = NULL;
	rep->rcpts = NULL;
	rep->nrcpts = 0;
	pb_dsn_report_free(rep);
}

/* decide_kind - the kind from the detection and the recipients */
static enum pb_kind
decide_kind(const struct pb_detect *det, const struct pb_result *res)
{
	bool failed = false, delayed = false, delivered = false;
	size_t i;

	switch (det->cls) {
	case PB_DETECT_FEEDBACK:
		return PB_KIND_FEEDBACK;
	case PB_DETECT_MDN:
		return PB_KIND_MDN;
	case PB_DETECT_VACATION:
		return PB_KIND_VACATION;
	case PB_DETECT_NONE:
		return PB_KIND_NONE;
	default:
		break;
	}
	for (i = 0; i < res->nrcpts; i++) {
		const struct pb_rcpt *r = &res->rcpts[i];
		if (r->failed && r->hard && strcmp(r->action, "delayed") != 0)
			failed = true;
		else if (r->failed)
			delayed = true;
		else
			delivered = true;
	}
	if (failed)
		return PB_KIND_FAILURE;
	if (delayed)
		return PB_KIND_DELAY;
	return delivered ? PB_KIND_DELIVERED : PB_KIND_NONE;
}

/* analyse - the pipeline on a buffer GMime can read */
static enum pb_status
analyse(const struct pb_ctx *ctx, const char *buf, size_t len,
        struct pb_result *res)
{
	const struct pb_limits *lim = &ctx->opt.limits;
	struct pb_msg *msg = NULL;
	struct pb_detect det;
	struct pb_explanation ex;
	enum pb_status st;
	size_t i;

	memset(&ex, 0, sizeof(ex));
	if ((st = pb_msg_parse(buf, len, lim, &msg)) != PB_OK)
		return st;
	res->defects |= msg->defects;
	res->already_marked = pb_msg_has_header(msg, PB_MARKER_HEADER);
	pb_dsn_detect(msg, &det);
	if (det.cls == PB_DETECT_DSN &&
	    (st = read_report(msg, &det, lim, res)) != PB_OK)
		goto out;
	if ((det.cls == PB_DETECT_NONE ||
	     (det.cls == PB_DETECT_DSN && res->nrcpts == 0)) &&
	    (st = read_text(msg, &det, lim, res)) != PB_OK)
		goto out;
	for (i = 0; i < res->nrcpts; i++)
		pb_classify(&res->rcpts[i]);
	res->kind = decide_kind(&det, res);
	res->bounce =
	    res->kind == PB_KIND_FAILURE || res->kind == PB_KIND_DELAY;
	if (res->reporting_mta == NULL &&
	    (res->reporting_mta = strdup("")) == NULL) {
		st = PB_ENOMEM;
		goto out;
	}
	if (!res->bounce)
		goto out;
	if ((st = pb_explain(ctx->catalog, res->rcpts, res->nrcpts,
	                     res->reporting_mta, &ex)) != PB_OK)
		goto out;
	if (res->already_marked)
		goto out;
	if ((res->marker = pb_rewrite_marker(res)) == NULL) {
		st = PB_ENOMEM;
		goto out;
	}
	st = pb_rewrite(msg, &det, &ex, ctx->opt.mode, res);
out:
	pb_explanation_fini(&ex);
	pb_msg_free(msg);
	return st;
}

enum pb_status
pb_process(const struct pb_ctx *ctx, const char *msg, size_t len,
           struct pb_result **out)
{
	struct pb_result *res;
	enum pb_status st;
	char *work = NULL;
	size_t i;

	if (out == NULL)
		return PB_EINVAL;
	*out = NULL;
	if (ctx == NULL || (msg == NULL && len > 0))
		return PB_EINVAL;
	if (len > ctx->opt.limits.max_message_size)
		return PB_ELIMIT;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return PB_ENOMEM;
	if (is_cr_only(msg, len)) {
		if ((work = malloc(len)) == NULL) {
			free(res);
			return PB_ENOMEM;
		}
		for (i = 0; i < len; i++)
			work[i] = msg[i] == '\r' ? '\n' : msg[i];
		res->defects |= PB_DEFECT_CR_ONLY;
	}
	st = analyse(ctx, work ? work : (msg ? msg : ""), len, res);
	free(work);
	if (st == PB_OK && work != NULL && res->body != NULL)
		for (i = 0; i < res->body_len; i++)
			if (res->body[i] == '\n')
				res->body[i] = '\r';
	if (st != PB_OK) {
		pb_result_free(res);
		return st;
	}
	*out = res;
	return PB_OK;
}
