/*
 * bench-lib.c - how fast the library analyses and rewrites bounces.
 *
 * Usage:     bench-lib [-n ITER] [-q] FILE|DIR...
 *            Directories are walked for files ending in ".eml".
 * Input:     every message is read into memory once, before the clock
 *            starts.
 * Output:    one line of figures on stdout: messages, bytes, iterations,
 *            CPU and wall seconds, messages/s (by CPU time), MB/s, and a
 *            tally of the results (bounces, rewritten messages, output
 *            bytes per iteration), which must be the same for every
 *            iteration.
 * Work:      per message, pb_process() then pb_result_render(): the
 *            analysis and the rewritten message, what the milter does
 *            at end of message for a bounce plus the copy of the new
 *            message the command-line program writes.
 * Status:    exit 0; 1 when a message fails (a status other than PB_OK)
 *            or the tallies of two iterations differ; 2 for bad usage.
 *
 * run_corpus() is the measured loop and is kept out of line, so that
 * `valgrind --tool=callgrind --collect-atstart=no
 * --toggle-collect=run_corpus` counts exactly the instructions it runs
 * (set-up, file reading and catalog loading excluded): divide by
 * ITER times the number of messages for instructions per message.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "plainbounce.h"

/* One message, read into memory. */
struct msg {
	char *path;
	char *data;
	size_t len;
};

/* The corpus and what one pass over it produced. */
struct corpus {
	struct msg *v;
	size_t n, cap;
	size_t bytes;
};

struct tally {
	size_t bounces, changed, out_bytes, failures;
};

/* add_msg - read path into c; 0, or -1 (reported) */
static int
add_msg(struct corpus *c, const char *path)
{
	struct msg *m;
	struct stat st;
	FILE *fp;
	size_t got;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct msg *v = realloc(c->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	m = &c->v[c->n];
	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) != 0) {
		fprintf(stderr, "bench-lib: %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	m->len = (size_t)st.st_size;
	m->data = malloc(m->len + 1);
	m->path = strdup(path);
	got = m->data != NULL ? fread(m->data, 1, m->len, fp) : 0;
	fclose(fp);
	if (m->data == NULL || m->path == NULL || got != m->len) {
		fprintf(stderr, "bench-lib: %s: cannot read\n", path);
		free(m->data);
		free(m->path);
		return -1;
	}
	c->bytes += m->len;
	c->n++;
	return 0;
}

/* is_eml - does name end in ".eml"? */
static bool
is_eml(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".eml") == 0;
}

/* by_path - qsort order of messages: by path, so runs are repeatable */
static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->path,
	              ((const struct msg *)b)->path);
}

/* add_path - a file, or the .eml files under a directory; 0 or -1 */
static int
add_path(struct corpus *c, const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *sub;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "bench-lib: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_msg(c, path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((sub = malloc(strlen(path) + strlen(de->d_name) + 2)) ==
		    NULL) {
			rc = -1;
			break;
		}
		sprintf(sub, "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 &&
		    (S_ISDIR(st.st_mode) || is_eml(de->d_name)))
			rc = add_path(c, sub);
		free(sub);
	}
	closedir(d);
	return rc;
}

/* run_corpus - analyse and render every message of c once; adds to t */
__attribute__((noinline)) static void
run_corpus(const struct pb_ctx *ctx, const struct corpus *c, struct tally *t)
{
	struct pb_result *res;
	char *out;
	size_t i, outlen;

	for (i = 0; i < c->n; i++) {
		const struct msg *m = &c->v[i];
		if (pb_process(ctx, m->data, m->len, &res) != PB_OK) {
			t->failures++;
			continue;
		}
		t->bounces += res->bounce;
		t->changed += res->changed;
		if (pb_result_render(res, m->data, m->len, &out, &outlen) ==
		    PB_OK) {
			t->out_bytes += outlen;
			free(out);
		} else
			t->failures++;
		pb_result_free(res);
	}
}

/* seconds - the clock's time in seconds */
static double
seconds(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct corpus c = {0};
	struct tally first = {0}, t;
	struct pb_options opt;
	struct pb_ctx *ctx;
	double cpu0, wall0, cpu, wall;
	long iter = 10, k;
	bool quiet = false;
	int ch, rc = 0;
	size_t i;

	while ((ch = getopt(argc, argv, "n:q")) != -1) {
		switch (ch) {
		case 'n':
			iter = atol(optarg);
			break;
		case 'q':
			quiet = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || iter < 1)
		goto usage;
	for (; optind < argc; optind++)
		if (add_path(&c, argv[optind]) != 0)
			return 1;
	if (c.n == 0) {
		fprintf(stderr, "bench-lib: no messages\n");
		return 1;
	}
	qsort(c.v, c.n, sizeof(*c.v), by_path);
	pb_options_init(&opt);
	if (pb_ctx_new(&opt, &ctx) != PB_OK) {
		fprintf(stderr, "bench-lib: pb_ctx_new failed\n");
		return 1;
	}
	cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	wall0 = seconds(CLOCK_MONOTONIC);
	for (k = 0; k < iter; k++) {
		memset(&t, 0, sizeof(t));
		run_corpus(ctx, &c, &t);
		if (k == 0)
			first = t;
		else if (memcmp(&t, &first, sizeof(t)) != 0) {
			fprintf(stderr, "bench-lib: iteration %ld differs\n",
			        k);
			rc = 1;
		}
	}
	cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	wall = seconds(CLOCK_MONOTONIC) - wall0;
	if (first.failures > 0) {
		fprintf(stderr, "bench-lib: %zu messages failed\n",
		        first.failures);
		rc = 1;
	}
	if (!quiet || rc != 0)
		printf("messages %zu bytes %zu iterations %ld cpu_s %.3f "
		       "wall_s %.3f msgs_per_s %.1f mb_per_s %.1f "
		       "bounces %zu changed %zu out_bytes %zu\n",
		       c.n, c.bytes, iter, cpu, wall,
		       cpu > 0 ? (double)c.n * (double)iter / cpu : 0.0,
		       cpu > 0 ? (double)c.bytes * (double)iter / cpu / 1048576
		               : 0.0,
		       first.bounces, first.changed, first.out_bytes);
	pb_ctx_free(ctx);
	for (i = 0; i < c.n; i++) {
		free(c.v[i].data);
		free(c.v[i].path);
	}
	free(c.v);
	return rc;
usage:
	fprintf(stderr, "usage: bench-lib [-n iterations] [-q] FILE|DIR...\n");
	return 2;
}
