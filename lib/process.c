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
 * Recipients come from the delivery report, else from the notice's text
 * (dsn_text.c), else, for a mail system's failure notice, from the
 * bounce it encloses (read_enclosed), else the failure is explained for
 * one recipient of unknown address "" (read_unnamed).  A message already
 * carrying the X-Plainbounce header is analysed but never changed
 * again.  CR-only line ends are turned into LF for GMime and back again
 * in the new body.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "pb_int.h"
#include "backscatter.h"
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
	struct pb_options opt; /* borrowed strings replaced by copies */
	struct pb_catalog_set *cats;
	struct pb_explain_opts xo; /* the branding, pointing into copies */
	char *lang;                /* the default language */
	char *catalog_dir, *catalog_overrides;
	char *org, *support, *max_size;
	struct pb_lang_map *map; /* strings copied */
	size_t nmap;
	struct pb_help_url *help; /* strings copied */
	size_t nhelp;
	char **typo;
	size_t ntypo;
	char **hosts, **msgid_domains; /* backscatter identity, copied */
	size_t nhosts, nmsgid_domains;
};

/* copy_list - *dst becomes a new array of copies of the non-empty
 * strings of src[0..n); false on ENOMEM */
static bool
copy_list(const char *const *src, size_t n, char ***dst, size_t *ndst)
{
	size_t i;

	*ndst = 0;
	if ((*dst = calloc(n + 1, sizeof(**dst))) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (src[i] == NULL || src[i][0] == '\0')
			continue;
		if (((*dst)[*ndst] = strdup(src[i])) == NULL)
			return false;
		(*ndst)++;
	}
	return true;
}

/* free_list - release a copy_list() array */
static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; list != NULL && i < n; i++)
		free(list[i]);
	free(list);
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

/* copy_str - returns new copy of s, or NULL for NULL; *ok false on ENOMEM */
static char *
copy_str(const char *s, bool *ok)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*ok = false;
	return d;
}

/* format_size - returns new: bytes as "25 MB" (binary units), NULL on
 * ENOMEM; "" for 0 */
static char *
format_size(size_t bytes)
{
	char buf[64];
	const size_t mib = 1024u * 1024u;

	if (bytes == 0)
		buf[0] = '\0';
	else if (bytes % mib == 0)
		snprintf(buf, sizeof(buf), "%zu MB", bytes / mib);
	else if (bytes >= mib)
		snprintf(buf, sizeof(buf), "%.1f MB", (double)bytes / mib);
	else
		snprintf(buf, sizeof(buf), "%zu KB", (bytes + 1023) / 1024);
	return strdup(buf);
}

/* copy_opts - copy the strings of opt into ctx; false on ENOMEM */
static bool
copy_opts(struct pb_ctx *ctx, const struct pb_options *opt)
{
	bool ok = true;

	ctx->lang = copy_str(opt->lang ? opt->lang : "en", &ok);
	ctx->catalog_dir = copy_str(opt->catalog_dir, &ok);
	ctx->catalog_overrides = copy_str(opt->catalog_overrides, &ok);
	ctx->org = copy_str(opt->org_name, &ok);
	ctx->support = copy_str(opt->support, &ok);
	if ((ctx->max_size = format_size(opt->max_message_size)) == NULL)
		ok = false;
	if (!ok ||
	    (ctx->map = calloc(opt->nlang_map + 1, sizeof(*ctx->map))) ==
	        NULL ||
	    (ctx->help = calloc(opt->nhelp_urls + 1, sizeof(*ctx->help))) ==
	        NULL)
		return false;
	for (; ctx->nmap < opt->nlang_map; ctx->nmap++) {
		ctx->map[ctx->nmap].domain =
		    copy_str(opt->lang_map[ctx->nmap].domain, &ok);
		ctx->map[ctx->nmap].lang =
		    copy_str(opt->lang_map[ctx->nmap].lang, &ok);
	}
	for (; ctx->nhelp < opt->nhelp_urls; ctx->nhelp++) {
		ctx->help[ctx->nhelp].reason =
		    copy_str(opt->help_urls[ctx->nhelp].reason, &ok);
		ctx->help[ctx->nhelp].url =
		    copy_str(opt->help_urls[ctx->nhelp].url, &ok);
	}
	return ok &&
	       copy_list(opt->typo_domains, opt->ntypo_domains, &ctx->typo,
	                 &ctx->ntypo) &&
	       copy_list(opt->local_hosts, opt->nlocal_hosts, &ctx->hosts,
	                 &ctx->nhosts) &&
	       copy_list(opt->local_msgid_domains, opt->nlocal_msgid_domains,
	                 &ctx->msgid_domains, &ctx->nmsgid_domains);
}

/* check_opts - PB_EINVAL with a reason in *why for unusable options */
static enum pb_status
check_opts(const struct pb_options *opt, const char **why)
{
	size_t i;

	*why = NULL;
	if (opt->limits.max_field_len < 64 || opt->limits.max_parts == 0 ||
	    opt->limits.max_mime_depth == 0 || opt->limits.max_rcpts == 0)
		return PB_EINVAL;
	if ((opt->nlang_map > 0 && opt->lang_map == NULL) ||
	    (opt->nhelp_urls > 0 && opt->help_urls == NULL) ||
	    (opt->ntypo_domains > 0 && opt->typo_domains == NULL) ||
	    (opt->nlocal_hosts > 0 && opt->local_hosts == NULL) ||
	    (opt->nlocal_msgid_domains > 0 && opt->local_msgid_domains == NULL))
		return PB_EINVAL;
	for (i = 0; i < opt->nlang_map; i++)
		if (opt->lang_map[i].domain == NULL ||
		    opt->lang_map[i].domain[0] == '\0' ||
		    opt->lang_map[i].lang == NULL) {
			*why = "language map entry without domain or language";
			return PB_EINVAL;
		}
	for (i = 0; i < opt->nhelp_urls; i++)
		if (opt->help_urls[i].reason == NULL ||
		    opt->help_urls[i].url == NULL) {
			*why = "help URL entry without reason or URL";
			return PB_EINVAL;
		}
	return PB_OK;
}

/* load_catalogs - the catalog set of the default language and of every
 * language of the map */
static enum pb_status
load_catalogs(struct pb_ctx *ctx, char **err)
{
	const char **langs;
	enum pb_status st;
	size_t i;

	if ((langs = calloc(ctx->nmap + 1, sizeof(*langs))) == NULL)
		return PB_ENOMEM;
	langs[0] = ctx->lang;
	for (i = 0; i < ctx->nmap; i++)
		langs[i + 1] = ctx->map[i].lang;
	st = pb_catalog_set_new(ctx->catalog_dir, ctx->catalog_overrides, langs,
	                        ctx->nmap + 1, &ctx->cats, err);
	free(langs);
	return st;
}

enum pb_status
pb_ctx_new_err(const struct pb_options *opt, struct pb_ctx **out, char **err)
{
	struct pb_ctx *ctx;
	enum pb_status st;
	const char *why;

	if (err != NULL)
		*err = NULL;
	if (out == NULL)
		return PB_EINVAL;
	*out = NULL;
	if (opt == NULL)
		return PB_EINVAL;
	if ((st = check_opts(opt, &why)) != PB_OK) {
		if (why != NULL && err != NULL)
			*err = strdup(why);
		return st;
	}
	if (!pb_gmime_init())
		return PB_EINTERNAL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return PB_ENOMEM;
	ctx->opt = *opt;
	if (!copy_opts(ctx, opt)) {
		pb_ctx_free(ctx);
		return PB_ENOMEM;
	}
	if ((st = load_catalogs(ctx, err)) != PB_OK) {
		pb_ctx_free(ctx);
		return st;
	}
	ctx->opt.lang = ctx->lang;
	ctx->opt.catalog_dir = ctx->catalog_dir;
	ctx->opt.catalog_overrides = ctx->catalog_overrides;
	ctx->opt.org_name = ctx->org;
	ctx->opt.support = ctx->support;
	ctx->opt.lang_map = ctx->map;
	ctx->opt.help_urls = ctx->help;
	ctx->opt.typo_domains = (const char *const *)ctx->typo;
	ctx->opt.ntypo_domains = ctx->ntypo;
	ctx->opt.local_hosts = (const char *const *)ctx->hosts;
	ctx->opt.nlocal_hosts = ctx->nhosts;
	ctx->opt.local_msgid_domains = (const char *const *)ctx->msgid_domains;
	ctx->opt.nlocal_msgid_domains = ctx->nmsgid_domains;
	ctx->xo.org = ctx->org;
	ctx->xo.support = ctx->support;
	ctx->xo.max_size = ctx->max_size;
	ctx->xo.help_urls = ctx->help;
	ctx->xo.nhelp_urls = ctx->nhelp;
	ctx->xo.typo_domains = (const char *const *)ctx->typo;
	ctx->xo.ntypo_domains = ctx->ntypo;
	*out = ctx;
	return PB_OK;
}

enum pb_status
pb_ctx_new(const struct pb_options *opt, struct pb_ctx **out)
{
	return pb_ctx_new_err(opt, out, NULL);
}

void
pb_ctx_free(struct pb_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	pb_catalog_set_free(ctx->cats);
	for (i = 0; ctx->map != NULL && i < ctx->nmap; i++) {
		free((char *)(uintptr_t)ctx->map[i].domain);
		free((char *)(uintptr_t)ctx->map[i].lang);
	}
	for (i = 0; ctx->help != NULL && i < ctx->nhelp; i++) {
		free((char *)(uintptr_t)ctx->help[i].reason);
		free((char *)(uintptr_t)ctx->help[i].url);
	}
	free(ctx->map);
	free(ctx->help);
	free_list(ctx->typo, ctx->ntypo);
	free_list(ctx->hosts, ctx->nhosts);
	free_list(ctx->msgid_domains, ctx->nmsgid_domains);
	free(ctx->lang);
	free(ctx->catalog_dir);
	free(ctx->catalog_overrides);
	free(ctx->org);
	free(ctx->support);
	free(ctx->max_size);
	free(ctx);
}

/* domain_of - returns view: the domain of rcpt (after the last '@', or
 * all of it), *n its length without a closing '>' or white space */
static const char *
domain_of(const char *rcpt, size_t *n)
{
	const char *at = strrchr(rcpt, '@'), *d = at ? at + 1 : rcpt;

	*n = strcspn(d, "> \t\r\n;,");
	return d;
}

/* domain_matches - is d[0..n) dom or a subdomain of it (ASCII case
 * ignored)? */
static bool
domain_matches(const char *d, size_t n, const char *dom)
{
	size_t m = strlen(dom);

	if (m == 0 || m > n)
		return false;
	if (pb_ascii_casestr(d + (n - m), m, dom) == NULL)
		return false;
	return m == n || d[n - m - 1] == '.';
}

const char *
pb_ctx_lang(const struct pb_ctx *ctx, const char *rcpt)
{
	const char *d;
	size_t i, n;

	if (rcpt == NULL)
		return ctx->lang;
	d = domain_of(rcpt, &n);
	for (i = 0; i < ctx->nmap; i++)
		if (domain_matches(d, n, ctx->map[i].domain))
			return ctx->map[i].lang;
	return ctx->lang;
}

/* code_rcpt - fill r (strings are static views) for a code; false when
 * code is neither a reply code nor an enhanced status code */
static bool
code_rcpt(struct pb_rcpt *r, const char *code)
{
	static char empty[1];
	size_t n = strlen(code);

	memset(r, 0, sizeof(*r));
	r->addr = r->alias = r->rhost = r->diagnostic = r->retry_until = empty;
	r->command = empty;
	r->status = r->reply = empty;
	r->rule = "";
	r->explained_by = NULL;
	if (n == 3 && code[0] >= '2' && code[0] <= '5' &&
	    strspn(code, "0123456789") == 3)
		r->reply = (char *)(uintptr_t)code;
	else if (pb_is_status_code(code, n))
		r->status = (char *)(uintptr_t)code;
	else
		return false;
	r->action = (char *)(uintptr_t)(code[0] == '4' ? "delayed" : "failed");
	return true;
}

enum pb_status
pb_ctx_explain_code(const struct pb_ctx *ctx, const char *lang,
                    const char *code, char **key, char **text)
{
	const struct pb_catalog_view *view;
	const struct pb_catalog_entry *e;
	struct pb_rcpt r;

	if (key == NULL || text == NULL)
		return PB_EINVAL;
	*key = *text = NULL;
	if (ctx == NULL || code == NULL || !code_rcpt(&r, code))
		return PB_EINVAL;
	if ((view = pb_catalog_set_view(ctx->cats, lang)) == NULL)
		return PB_ECATALOG;
	pb_classify(&r);
	r.failed = true;
	r.rule = "";
	if ((e = pb_explain_key(view, &r)) == NULL)
		return PB_ECATALOG;
	*key = strdup(pb_catalog_key(e));
	*text = pb_explain_entry_text(view, e);
	if (*key == NULL || *text == NULL) {
		free(*key);
		free(*text);
		*key = *text = NULL;
		return PB_ENOMEM;
	}
	return PB_OK;
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
	if (st == PB_OK)
		st = pb_dsn_text_enrich(msg, det, lim, rep);
	if (st != PB_OK) {
		pb_dsn_report_free(rep);
		return st;
	}
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

/* read_enclosed - a mail system's failure notice that names no
 * recipient but encloses the bounce it is about (a filter returning a
 * bounce it caught, a forwarder's "returned mail" wrapper): the
 * recipients of the enclosed message's delivery report.  Only the
 * machine-readable report of a mail system is read there, never an
 * ordinary message's fields; the caller reads it only under a failure
 * subject (a postmaster forwarding a bounce he caught writes his own).
 * On recipients, sets det->cls to PB_DETECT_DSN and *inner to the
 * enclosed message (new: its returned original is the one backscatter
 * must look at); else *inner stays NULL. */
static enum pb_status
read_enclosed(const struct pb_msg *msg, struct pb_detect *det,
              const struct pb_limits *lim, struct pb_result *res,
              struct pb_msg **inner)
{
	enum pb_status st = PB_OK;
	size_t i;

	*inner = NULL;
	for (i = 0; i < msg->nparts; i++) {
		const char *raw;
		size_t n;
		struct pb_msg *m;
		struct pb_detect idet;

		if (!pb_msg_is_type(msg, i, "message", "rfc822") ||
		    !pb_msg_part_raw(msg, i, &raw, &n))
			continue;
		if ((st = pb_msg_parse(raw, n, lim, &m)) != PB_OK)
			return st;
		pb_dsn_detect(m, &idet);
		if (idet.cls == PB_DETECT_DSN && idet.from_mailer)
			st = read_report(m, &idet, lim, res);
		if (st == PB_OK && res->nrcpts > 0) {
			det->cls = PB_DETECT_DSN;
			*inner = m;
		} else {
			pb_msg_free(m);
		}
		break; /* the first enclosed message only */
	}
	return st;
}

/* read_unnamed - a mail system's failure notice (a report without
 * recipient fields, or a failure subject) that names no recipient:
 * one recipient of unknown address, so that the failure is still
 * explained; sets det->cls to PB_DETECT_TEXT */
static enum pb_status
read_unnamed(const struct pb_msg *msg, struct pb_detect *det,
             const struct pb_limits *lim, struct pb_result *res)
{
	struct pb_dsn_report *rep;
	enum pb_status st;

	if ((st = pb_dsn_text_unnamed(msg, det, lim, &rep)) != PB_OK)
		return st;
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
		/* as the explanation's title: a failed Action is final even
		 * with a 4.x.x status (Sendmail gives up after days with
		 * 4.4.7); only a delay is still retried */
		if (r->failed && !pb_explain_is_delay(r))
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

/* choose_view - the catalog of the language for rcpt, or (rcpt NULL)
 * for the first address of the To: header when a language map is set */
static const struct pb_catalog_view *
choose_view(const struct pb_ctx *ctx, const char *rcpt,
            const struct pb_msg *msg)
{
	const struct pb_catalog_view *v;
	char *to = NULL;

	if (rcpt == NULL && ctx->nmap > 0 &&
	    (to = pb_msg_header(msg, "To")) != NULL) {
		char *at = strchr(to, '@');
		if (at != NULL)
			at[1 + strcspn(at + 1, "> \t\r\n;,")] = '\0';
		rcpt = at;
	}
	v = pb_catalog_set_view(ctx->cats, pb_ctx_lang(ctx, rcpt));
	free(to);
	return v ? v : pb_catalog_set_view(ctx->cats, NULL);
}

/* mark_backscatter - flag a bounce for mail that never passed through
 * us; its recipients are then explained by the rule:backscatter entry
 * ("you probably did not send this") instead of their own reason */
static void
mark_backscatter(const struct pb_ctx *ctx, const struct pb_msg *msg,
                 struct pb_result *res)
{
	size_t i;

	res->backscatter = pb_backscatter_check(
	    msg, ctx->opt.local_hosts, ctx->opt.nlocal_hosts,
	    ctx->opt.local_msgid_domains, ctx->opt.nlocal_msgid_domains);
	for (i = 0; res->backscatter && i < res->nrcpts; i++)
		if (res->rcpts[i].failed)
			res->rcpts[i].rule = "backscatter";
}

/* analyse - the pipeline on a buffer GMime can read; rcpt (may be
 * NULL) chooses the language */
static enum pb_status
analyse(const struct pb_ctx *ctx, const char *rcpt, const char *buf, size_t len,
        struct pb_result *res)
{
	const struct pb_limits *lim = &ctx->opt.limits;
	struct pb_msg *msg = NULL, *inner = NULL; /* inner: an enclosed
	                                             bounce that was read */
	bool failure_subject;
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
	/* a mail system's notice that named nobody */
	failure_subject = res->nrcpts == 0 && det.from_mailer &&
	                  pb_dsn_detect_failure_subject(msg);
	if (failure_subject &&
	    (det.cls == PB_DETECT_NONE || det.cls == PB_DETECT_DSN) &&
	    (st = read_enclosed(msg, &det, lim, res, &inner)) != PB_OK)
		goto out;
	if (res->nrcpts == 0 && det.from_mailer &&
	    (det.cls == PB_DETECT_DSN ||
	     (det.cls == PB_DETECT_NONE && failure_subject)) &&
	    (st = read_unnamed(msg, &det, lim, res)) != PB_OK)
		goto out;
	for (i = 0; i < res->nrcpts; i++) {
		pb_classify(&res->rcpts[i]);
		if (det.carrier_filter)
			pb_classify_carrier_filter(&res->rcpts[i]);
	}
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
	mark_backscatter(ctx, inner ? inner : msg, res);
	if ((st = pb_explain(choose_view(ctx, rcpt, msg), &ctx->xo, res->rcpts,
	                     res->nrcpts, res->reporting_mta, &ex)) != PB_OK)
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
	pb_msg_free(inner);
	pb_msg_free(msg);
	return st;
}

enum pb_status
pb_process(const struct pb_ctx *ctx, const char *msg, size_t len,
           struct pb_result **out)
{
	return pb_process_rcpt(ctx, NULL, msg, len, out);
}

enum pb_status
pb_process_rcpt(const struct pb_ctx *ctx, const char *rcpt, const char *msg,
                size_t len, struct pb_result **out)
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
	st = analyse(ctx, rcpt, work ? work : (msg ? msg : ""), len, res);
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
