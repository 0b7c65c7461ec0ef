/*
 * fuzz.h - what every fuzz target in tests/fuzz/ shares.
 *
 * Each fuzz_<stage>.c defines LLVMFuzzerTestOneInput().  Built with
 * --enable-fuzzer it links libFuzzer (clang); otherwise it links
 * replay.c, whose main() feeds it the files named on the command line,
 * so that `make check` replays the seeds and regressions with any
 * compiler.
 */
#ifndef PB_FUZZ_H
#define PB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* LLVMFuzzerTestOneInput - run one input; returns 0 (libFuzzer's rule).
 * A broken property aborts, which both drivers report. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_CHECK - abort with a message when a property of the output does
 * not hold (kept under NDEBUG, unlike assert()) */
#define FUZZ_CHECK(c)                                                      \
	do {                                                               \
		if (!(c)) {                                                \
			fprintf(stderr, "%s:%d: property failed: %s\n",    \
			        __FILE__, __LINE__, #c);                   \
			abort();                                           \
		}                                                          \
	} while (0)

#endif /* PB_FUZZ_H */
