/*
 * replay.c - a main() for the fuzz targets without libFuzzer: feed every
 * file named on the command line, and every file under each directory
 * named, to LLVMFuzzerTestOneInput() once.
 *
 * Usage:  replay_<stage> PATH...
 * Exit 0 when every path could be read (a property failure aborts), 1
 * when one could not, 2 on a usage error.  Prints the number of inputs.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* run_file - read path and run it; 0, or 1 when it cannot be read */
static int
run_file(const char *path, unsigned long *count)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;

	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				fprintf(stderr, "replay: %s: out of memory\n",
				        path);
				free(buf);
				fclose(fp);
				return 1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got > 0);
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		fclose(fp);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	(*count)++;
	return 0;
}

/* run_path - run a file, or every file under a directory; 0 or 1 */
static int
run_path(const char *path, unsigned long *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char *sub;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((sub = malloc(strlen(path) + strlen(de->d_name) + 2)) ==
		    NULL) {
			rc = 1;
			break;
		}
		sprintf(sub, "%s/%s", path, de->d_name);
		rc |= run_path(sub, count);
		free(sub);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	printf("%s: %lu inputs replayed\n", argv[0], count);
	return rc;
}
