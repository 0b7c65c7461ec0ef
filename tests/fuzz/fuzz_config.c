/*
 * fuzz_config.c - fuzz target: the daemon's configuration parser
 * (milter/config.c, mf_config_load) on the text of a configuration
 * file, then the library options made from an accepted one.
 *
 * mf_config_load() reads a named file, so each input is written to one
 * temporary file first (made once, rewritten per input).  Catalog
 * paths from the input are not followed: the fuzzer must not wander
 * the file system.
 *
 * Properties: a refused file yields no configuration and a message
 * naming the file; an accepted one gives options that pb_ctx_new()
 * takes or refuses with a status, and prints without failing.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "plainbounce.h"
#include "mf_config.h"
#include "fuzz.h"

/* the temporary file; removed at exit */
static char path[] = "/tmp/pb-fuzz-config.XXXXXX";
static int fd = -1;

/* remove_file - atexit: remove the temporary file */
static void
remove_file(void)
{
	unlink(path);
}

/* write_input - the temporary file now holds data[0..size) */
static void
write_input(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		FUZZ_CHECK((fd = mkstemp(path)) >= 0);
		atexit(remove_file);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct mf_config *cfg;
	struct pb_options opt;
	struct pb_ctx *ctx;
	char err[512];

	if (devnull == NULL)
		FUZZ_CHECK((devnull = fopen("/dev/null", "w")) != NULL);
	write_input(data, size);
	err[0] = '\0';
	if (mf_config_load(path, NULL, 0, &cfg, err, sizeof(err)) != 0) {
		FUZZ_CHECK(cfg == NULL);
		FUZZ_CHECK(strstr(err, path) != NULL ||
		           strncmp(err, "command line", 12) == 0);
		return 0;
	}
	mf_config_print(cfg, devnull);
	(void)mf_config_is_bounce_sender(cfg, "MAILER-DAEMON@example.org", 25);
	(void)mf_config_is_bounce_sender(cfg, "", 0);
	pb_options_init(&opt);
	mf_config_options(cfg, &opt);
	opt.catalog_dir = NULL;
	opt.catalog_overrides = NULL;
	if (pb_ctx_new(&opt, &ctx) == PB_OK)
		pb_ctx_free(ctx);
	mf_config_free(cfg);
	return 0;
}
