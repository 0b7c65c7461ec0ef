/*
 * fuzz_pipeline.c - fuzz target: the whole library on raw message bytes
 * (pb_process, pb_result_summary, pb_result_render), as the milter and
 * the CLI call it.
 *
 * Properties checked besides "no crash, no leak, no undefined
 * behaviour":
 *   - a failed pb_process() leaves no result;
 *   - header edits and the marker hold no CR or LF (no header can be
 *     injected through them);
 *   - a result that is not changed renders to the input, byte for byte;
 *   - a rewrite is idempotent: processing the rendered message again
 *     finds the marker and changes nothing.
 */
#include "config.h"

#include <string.h>

#include "plainbounce.h"
#include "fuzz.h"

/* the context, made once: pb_ctx is immutable and reusable */
static struct pb_ctx *ctx;

/* make_ctx - a context with every operator option set, so that the
 * branding, help links, typo hints and backscatter check all run */
static struct pb_ctx *
make_ctx(void)
{
	static const char *const hosts[] = {"mx.example.com"};
	static const char *const domains[] = {"example.com"};
	static const char *const typo[] = {"example.com"};
	static const struct pb_help_url help[] = {
	    {"*", "https://help.example.com/bounces"}};
	struct pb_options opt;
	struct pb_ctx *c;

	pb_options_init(&opt);
	opt.org_name = "Example Mail";
	opt.support = "https://help.example.com/";
	opt.max_message_size = 10u << 20;
	opt.help_urls = help;
	opt.nhelp_urls = 1;
	opt.typo_domains = typo;
	opt.ntypo_domains = 1;
	opt.local_hosts = hosts;
	opt.nlocal_hosts = 1;
	opt.local_msgid_domains = domains;
	opt.nlocal_msgid_domains = 1;
	FUZZ_CHECK(pb_ctx_new(&opt, &c) == PB_OK);
	return c;
}

/* no_line_end - does s (may be NULL) hold no CR and no LF? */
static int
no_line_end(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

/* check_result - the properties of one result of msg[0..len) */
static void
check_result(const struct pb_result *res, const char *msg, size_t len)
{
	struct pb_result *res2 = NULL;
	char *out = NULL, *reasons, *statuses;
	size_t outlen, i;

	FUZZ_CHECK(no_line_end(res->marker));
	for (i = 0; i < res->nedits; i++) {
		FUZZ_CHECK(no_line_end(res->edits[i].name));
		FUZZ_CHECK(no_line_end(res->edits[i].value));
	}
	if (pb_result_summary(res, &reasons, &statuses) == PB_OK) {
		FUZZ_CHECK(no_line_end(reasons) && no_line_end(statuses));
		free(reasons);
		free(statuses);
	}
	if (pb_result_render(res, msg, len, &out, &outlen) != PB_OK)
		return;
	if (!res->changed) {
		FUZZ_CHECK(outlen == len && memcmp(out, msg, len) == 0);
	} else {
		FUZZ_CHECK(pb_process(ctx, out, outlen, &res2) != PB_OK ||
		           !res2->changed);
		pb_result_free(res2);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_result *res = NULL;
	const char *msg = (const char *)data;

	if (ctx == NULL)
		ctx = make_ctx();
	if (pb_process(ctx, msg, size, &res) != PB_OK) {
		FUZZ_CHECK(res == NULL);
		return 0;
	}
	check_result(res, msg, size);
	pb_result_free(res);
	return 0;
}
