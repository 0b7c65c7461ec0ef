/*
 * plainbounce-explain.c - run libplainbounce on files or standard input.
 *
 * Usage:  plainbounce-explain [--json] [--lang LL] [--catalog-dir DIR]
 *                             [--mode MODE] [FILE...]
 *                             [--local-host HOST]...
 *                             [--local-msgid-domain DOMAIN]...
 *         plainbounce-explain --code CODE [--lang LL] [--catalog-dir DIR]
 *
 * --config FILE reads the daemon's configuration file (plainbounce.conf:
 * Mode, DefaultLanguage, LanguageMap, CatalogDir, CatalogOverrides,
 * Organization, Support, HelpURL, TypoDomains, LocalHosts, ...); the
 * other options override it.
 *
 * --local-host and --local-msgid-domain name this mail service (the host
 * names in its Received lines, the domains of its Message-IDs): a bounce
 * whose returned original shows none of them is backscatter.
 *
 * Without --json the rewritten message is written to standard output
 * (the input unchanged when there is nothing to explain); with --json
 * one line of analysis per message.  Exit 0 on success, 1 when a file
 * could not be read or processed, 2 on a usage error.
 *
 * --code looks a reply code (550) or an enhanced status code (5.7.26)
 * up in the catalog, as support staff do, and prints the catalog key
 * and the text.  Exit 0 when a specific entry explains it, 1 when only
 * the generic text (or reason:undefined) does, 2 when CODE is not a
 * code.
 *
 * Catalogs: English is built in.  --catalog-dir DIR reads DIR/LL (and
 * DIR/en when present); without it a language other than English is
 * read from the installed catalogs (PB_CATALOG_DIR).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plainbounce.h"
#include "json.h"
#include "mf_config.h"

static const char *progname = "plainbounce-explain";

/* usage - print the usage line to fp */
static void
usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: %s [--json] [--lang LL] [--catalog-dir DIR]\n"
	    "           [--mode rewrite|header-only|dry-run]\n"
	    "           [--config FILE] [--local-host HOST]..."
	    " [--local-msgid-domain DOMAIN]...\n"
	    "           [FILE...]\n"
	    "       %s --code CODE [--lang LL] [--catalog-dir DIR]\n"
	    "Explain bounce messages in plain language.  Reads standard "
	    "input when no FILE\nis given; writes the rewritten message, or "
	    "with --json one line of analysis\nper message.  --code prints "
	    "the explanation of a reply code (550) or\nenhanced status code "
	    "(5.7.26) and the catalog key it comes from.\n",
	    progname, progname);
}

/* read_all - read fp to the end; returns new buffer or NULL (errno) */
static char *
read_all(FILE *fp, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap), *nb;

	if (buf == NULL)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n > max) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (n == cap) {
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(fp)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* explain_one - process one message; 0 on success, 1 on error */
static int
explain_one(const struct pb_ctx *ctx, const char *name, FILE *fp, bool json,
            size_t max)
{
	struct pb_result *res = NULL;
	enum pb_status st;
	char *msg, *out = NULL;
	size_t len, outlen;
	int rc = 0;

	if ((msg = read_all(fp, max, &len)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		        strerror(errno));
		return 1;
	}
	st = pb_process(ctx, msg, len, &res);
	if (st != PB_OK) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		        pb_strerror(st));
		if (!json) /* never lose a message: pass it on */
			fwrite(msg, 1, len, stdout);
		free(msg);
		return 1;
	}
	if (json) {
		rc = json_write_result(stdout, name, res) ? 1 : 0;
	} else if ((st = pb_result_render(res, msg, len, &out, &outlen)) !=
	           PB_OK) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		        pb_strerror(st));
		fwrite(msg, 1, len, stdout);
		rc = 1;
	} else {
		fwrite(out, 1, outlen, stdout);
	}
	free(out);
	pb_result_free(res);
	free(msg);
	return rc;
}

/* explain_code - print the catalog text for code; the exit status */
static int
explain_code(const struct pb_ctx *ctx, const char *code, const char *lang)
{
	enum pb_status st;
	char *key, *text;
	int rc;

	st = pb_ctx_explain_code(ctx, NULL, code, &key, &text);
	if (st == PB_EINVAL) {
		fprintf(stderr,
		        "%s: '%s' is neither a reply code (550) nor an "
		        "enhanced status code (5.7.26)\n",
		        progname, code);
		return 2;
	}
	if (st != PB_OK) {
		fprintf(stderr, "%s: %s\n", progname, pb_strerror(st));
		return 2;
	}
	printf("%s (catalog key %s, language %s)\n\n%s", code, key, lang, text);
	/* reason:undefined says no more than the generic text */
	rc = strcmp(key, "generic") == 0 || strcmp(key, "delay:generic") == 0 ||
	     strcmp(key, "reason:undefined") == 0 ||
	     strcmp(key, "delay:undefined") == 0;
	if (rc)
		fprintf(stderr, "%s: no specific entry for %s: generic text\n",
		        progname, code);
	free(key);
	free(text);
	return rc;
}

/* parse_mode - mode name to enum; -1 when unknown */
static int
parse_mode(const char *s)
{
	if (strcmp(s, "rewrite") == 0)
		return PB_MODE_REWRITE;
	if (strcmp(s, "header-only") == 0)
		return PB_MODE_HEADER_ONLY;
	if (strcmp(s, "dry-run") == 0)
		return PB_MODE_DRY_RUN;
	return -1;
}

/* the --config file, kept for the life of the process: the options
 * point into it */
static struct mf_config *config;

/* load_config - read the --config file into config; false (message
 * printed) when it is missing or bad */
static bool
load_config(const char *path)
{
	char err[512];

	if (mf_config_load(path, NULL, 0, &config, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return false;
	}
	return true;
}

/* run - the program; hosts and domains (borrowed) have room for argc
 * entries each */
static int
run(int argc, char **argv, const char **hosts, const char **domains)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"lang", required_argument, NULL, 'l'},
	    {"mode", required_argument, NULL, 'm'},
	    {"catalog-dir", required_argument, NULL, 'd'},
	    {"code", required_argument, NULL, 'c'},
	    {"config", required_argument, NULL, 'C'},
	    {"local-host", required_argument, NULL, 'H'},
	    {"local-msgid-domain", required_argument, NULL, 'M'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct pb_options opt;
	struct pb_ctx *ctx;
	enum pb_status st;
	const char *code = NULL, *config_path = NULL;
	const char *lang = NULL, *catalog_dir = NULL;
	char *err = NULL;
	bool json = false;
	int c, mode = -1, rc = 0, i;
	size_t nhosts = 0, ndomains = 0;

	while ((c = getopt_long(argc, argv, "jl:m:d:c:C:H:M:hV", longopts,
	                        NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'd':
			catalog_dir = optarg;
			break;
		case 'c':
			code = optarg;
			break;
		case 'C':
			config_path = optarg;
			break;
		case 'H':
			hosts[nhosts++] = optarg;
			break;
		case 'M':
			domains[ndomains++] = optarg;
			break;
		case 'm':
			if ((mode = parse_mode(optarg)) < 0) {
				fprintf(stderr, "%s: unknown mode '%s'\n",
				        progname, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", progname, PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* the configuration file first, then the options given */
	pb_options_init(&opt);
	if (config_path != NULL) {
		if (!load_config(config_path))
			return 2;
		mf_config_options(config, &opt);
	}
	if (lang != NULL)
		opt.lang = lang;
	if (catalog_dir != NULL)
		opt.catalog_dir = catalog_dir;
	if (mode >= 0)
		opt.mode = (enum pb_mode)mode;
	if (nhosts > 0) {
		opt.local_hosts = hosts;
		opt.nlocal_hosts = nhosts;
	}
	if (ndomains > 0) {
		opt.local_msgid_domains = domains;
		opt.nlocal_msgid_domains = ndomains;
	}
#ifdef PB_CATALOG_DIR
	/* English is built in; other languages come from the installed
	 * catalogs unless --catalog-dir says otherwise */
	if (opt.catalog_dir == NULL &&
	    ((opt.lang != NULL && strcmp(opt.lang, "en") != 0) ||
	     opt.nlang_map > 0))
		opt.catalog_dir = PB_CATALOG_DIR;
#endif
	if (code != NULL && (optind < argc || json)) {
		usage(stderr);
		return 2;
	}
	if ((st = pb_ctx_new_err(&opt, &ctx, &err)) != PB_OK) {
		fprintf(stderr, "%s: %s%s%s\n", progname, pb_strerror(st),
		        err ? ": " : "", err ? err : "");
		free(err);
		return 2;
	}
	if (code != NULL) {
		rc = explain_code(ctx, code, opt.lang);
		pb_ctx_free(ctx);
		return fflush(stdout) == 0 ? rc : 1;
	}
	if (optind == argc) {
		rc = explain_one(ctx, "-", stdin, json,
		                 opt.limits.max_message_size);
	}
	for (i = optind; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (fp == NULL) {
			fprintf(stderr, "%s: %s: %s\n", progname, argv[i],
			        strerror(errno));
			rc = 1;
			continue;
		}
		rc |= explain_one(ctx, argv[i], fp, json,
		                  opt.limits.max_message_size);
		fclose(fp);
	}
	pb_ctx_free(ctx);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		        strerror(errno));
		rc = 1;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	/* --local-host and --local-msgid-domain: at most argc of each */
	const char **hosts = calloc((size_t)argc + 1, sizeof(*hosts));
	const char **domains = calloc((size_t)argc + 1, sizeof(*domains));
	int rc = 2;

	if (hosts == NULL || domains == NULL)
		fprintf(stderr, "%s: out of memory\n", progname);
	else
		rc = run(argc, argv, hosts, domains);
	free(hosts);
	free(domains);
	mf_config_free(config);
	return rc;
}
