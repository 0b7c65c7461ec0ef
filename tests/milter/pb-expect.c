/*
 * pb-expect.c - test oracle: what the milter must send the MTA for one
 *               message, computed by libplainbounce directly.
 *
 * Usage:     pb-expect [-m mode] [-s max_size] [-O overrides] message
 *            outdir
 * Input:     the message as on the wire (CRLF).
 * Output:    outdir/edits, one "ADD|CHANGE<TAB>name<TAB>value" line per
 *            header edit in order; outdir/body, the replacement body
 *            (only when the body is replaced); on standard output one
 *            line "changed=0|1 body=0|1 bounce=0|1 key=K", K the catalog
 *            key of the first recipient's text.
 * Status:    exit 0, or 1 when the library fails (message printed).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plainbounce.h"

/* slurp - read a whole file; returns new buffer and *len, or NULL */
static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, fp) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

int
main(int argc, char **argv)
{
	struct pb_options opt;
	struct pb_ctx *ctx;
	struct pb_result *res;
	enum pb_status st;
	char path[4096], *msg;
	size_t len, i;
	FILE *fp;
	int ch;

	pb_options_init(&opt);
	while ((ch = getopt(argc, argv, "m:s:O:")) != -1) {
		if (ch == 'm')
			opt.mode = strcmp(optarg, "header-only") == 0
			               ? PB_MODE_HEADER_ONLY
			           : strcmp(optarg, "dry-run") == 0
			               ? PB_MODE_DRY_RUN
			               : PB_MODE_REWRITE;
		else if (ch == 'O')
			opt.catalog_overrides = optarg;
		else if (ch == 's')
			opt.limits.max_message_size = strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (argc - optind != 2)
		return 2;
	if ((msg = slurp(argv[optind], &len)) == NULL) {
		perror(argv[optind]);
		return 1;
	}
	if ((st = pb_ctx_new(&opt, &ctx)) != PB_OK ||
	    (st = pb_process(ctx, msg, len, &res)) != PB_OK) {
		fprintf(stderr, "pb-expect: %s\n", pb_strerror(st));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/edits", argv[optind + 1]);
	if ((fp = fopen(path, "w")) == NULL)
		return 1;
	for (i = 0; i < res->nedits; i++)
		fprintf(fp, "%s\t%s\t%s\n",
		        res->edits[i].op == PB_EDIT_ADD ? "ADD" : "CHANGE",
		        res->edits[i].name, res->edits[i].value);
	fclose(fp);
	if (res->body_replaced) {
		snprintf(path, sizeof(path), "%s/body", argv[optind + 1]);
		if ((fp = fopen(path, "wb")) == NULL)
			return 1;
		fwrite(res->body, 1, res->body_len, fp);
		fclose(fp);
	}
	printf("changed=%d body=%d bounce=%d key=%s\n", res->changed,
	       res->body_replaced, res->bounce,
	       res->nrcpts > 0 ? res->rcpts[0].explained_by : "");
	pb_result_free(res);
	pb_ctx_free(ctx);
	free(msg);
	return 0;
}
