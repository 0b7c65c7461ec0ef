/*
 * check_util.c - unit tests of util.c: the growable buffer (pb_buf_*),
 * pb_strndup_cap, pb_ascii_casestr, pb_trim and pb_is_status_code.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"

Suite *util_suite(void);

/* --- pb_buf ------------------------------------------------------------ */

static const struct {
	const char *name;
	const char *piece; /* appended with pb_buf_adds() */
	size_t times;
} buf_cases[] = {
    {"one short piece", "abc", 1},
    {"empty piece", "", 3},
    {"exactly the first capacity", "0123456789abcdef", 4},
    {"grows past the first capacity", "0123456789", 7},
    {"many small pieces", "x", 5000},
    {"large pieces", "The quick brown fox jumps over the lazy dog. ", 300},
};

START_TEST(buf_append)
{
	const char *piece = buf_cases[_i].piece;
	size_t n = strlen(piece), times = buf_cases[_i].times, k;
	struct pb_buf b;
	char *s;

	pb_buf_init(&b);
	for (k = 0; k < times; k++)
		pb_buf_adds(&b, piece);
	ck_assert_msg(!b.failed, "case \"%s\": failed", buf_cases[_i].name);
	ck_assert_msg(b.len == n * times, "case \"%s\": len %zu, want %zu",
	              buf_cases[_i].name, b.len, n * times);
	if (b.len > 0) {
		ck_assert_msg(b.cap > b.len, "case \"%s\": no room for NUL",
		              buf_cases[_i].name);
		ck_assert_msg(b.data[b.len] == '\0', "case \"%s\": no NUL",
		              buf_cases[_i].name);
	}
	for (k = 0; k < times; k++)
		ck_assert_msg(memcmp(b.data + k * n, piece, n) == 0,
		              "case \"%s\": piece %zu differs",
		              buf_cases[_i].name, k);
	s = pb_buf_take(&b);
	ck_assert_msg(s != NULL, "case \"%s\": take gave NULL",
	              buf_cases[_i].name);
	ck_assert_msg(strlen(s) == n * times, "case \"%s\": taken length",
	              buf_cases[_i].name);
	ck_assert_msg(b.data == NULL && b.len == 0 && b.cap == 0,
	              "case \"%s\": buffer not reset by take",
	              buf_cases[_i].name);
	free(s);
}
END_TEST

START_TEST(buf_binary_and_addc)
{
	struct pb_buf b;

	pb_buf_init(&b);
	pb_buf_add(&b, "a\0b", 3);
	pb_buf_addc(&b, '\0');
	pb_buf_addc(&b, 'z');
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(memcmp(b.data, "a\0b\0z", 6), 0);
	pb_buf_add(&b, NULL, 0);
	ck_assert_uint_eq(b.len, 5);
	pb_buf_fini(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert(!b.failed);
}
END_TEST

START_TEST(buf_take_empty)
{
	struct pb_buf b;
	char *s;

	pb_buf_init(&b);
	s = pb_buf_take(&b);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(buf_failed_is_sticky)
{
	struct pb_buf b;

	pb_buf_init(&b);
	pb_buf_adds(&b, "kept");
	b.failed = true; /* as after an allocation failure */
	pb_buf_adds(&b, "dropped");
	ck_assert_uint_eq(b.len, 4);
	ck_assert_ptr_null(pb_buf_take(&b));
	ck_assert_ptr_null(b.data);
	ck_assert(!b.failed);
}
END_TEST

/* --- pb_strndup_cap ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *in;
	size_t n, cap;
	const char *want;
	size_t want_len;
	bool want_cut;
} dup_cases[] = {
    {"shorter than the cap", "hello", 5, 10, "hello", 5, false},
    {"equal to the cap", "hello", 5, 5, "hello", 5, false},
    {"longer than the cap", "hello world", 11, 5, "hello", 5, true},
    {"cap zero", "hello", 5, 0, "", 0, true},
    {"empty input", "", 0, 5, "", 0, false},
    {"only n bytes copied", "hello world", 4, 64, "hell", 4, false},
    {"embedded NUL kept", "a\0b", 3, 8, "a\0b", 3, false},
};

START_TEST(strndup_cap)
{
	bool cut = !dup_cases[_i].want_cut;
	char *s = pb_strndup_cap(dup_cases[_i].in, dup_cases[_i].n,
	                         dup_cases[_i].cap, &cut);

	ck_assert_msg(s != NULL, "case \"%s\": NULL", dup_cases[_i].name);
	ck_assert_msg(memcmp(s, dup_cases[_i].want, dup_cases[_i].want_len) ==
	                      0 &&
	                  s[dup_cases[_i].want_len] == '\0',
	              "case \"%s\": got \"%s\"", dup_cases[_i].name, s);
	ck_assert_msg(cut == dup_cases[_i].want_cut, "case \"%s\": cut %d",
	              dup_cases[_i].name, cut);
	free(s);
	/* cut may be NULL */
	s = pb_strndup_cap(dup_cases[_i].in, dup_cases[_i].n, dup_cases[_i].cap,
	                   NULL);
	ck_assert_msg(s != NULL && memcmp(s, dup_cases[_i].want,
	                                  dup_cases[_i].want_len + 1) == 0,
	              "case \"%s\": cut NULL", dup_cases[_i].name);
	free(s);
}
END_TEST

/* --- pb_ascii_casestr -------------------------------------------------- */

#define WHOLE ((size_t)-1) /* n = strlen(hay) */

static const struct {
	const char *name;
	const char *hay;
	size_t n;
	const char *needle;
	long want; /* offset of the match, -1 for NULL */
} casestr_cases[] = {
    {"exact", "user unknown", WHOLE, "user unknown", 0},
    {"upper case hay", "550 USER UNKNOWN", WHOLE, "user unknown", 4},
    {"mixed case needle", "mailbox full", WHOLE, "MailBox", 0},
    {"at the very end", "over quota", WHOLE, "quota", 5},
    {"first of two", "spam spam", WHOLE, "spam", 0},
    {"after a false start", "aaab", WHOLE, "aab", 1},
    {"not found", "mailbox full", WHOLE, "quota", -1},
    {"empty needle", "abc", WHOLE, "", 0},
    {"empty needle, empty hay", "", 0, "", 0},
    {"needle longer than hay", "ab", WHOLE, "abc", -1},
    {"n bounds the search", "abcdef", 5, "def", -1},
    {"match ending at n", "abcdef", 6, "def", 3},
    {"non-ASCII is not folded", "\xc3\x89t\xc3\xa9", WHOLE, "\xc3\xa9t", -1},
    {"non-ASCII exact", "x\xc3\xa9y", WHOLE, "\xc3\xa9", 1},
    {"punctuation", "5.1.1 <a@b>", WHOLE, "<A@B>", 6},
    {"candidates of both cases in turn", "Xax Xab", WHOLE, "xab", 4},
    {"lower-case candidate after upper", "XaY xay", WHOLE, "XAY", 0},
    {"only the upper case occurs", "aaaaB", WHOLE, "b", 4},
    {"first byte not a letter", "x 5.1.1 5.1.2", WHOLE, "5.1.2", 8},
    {"first byte at n is out of range", "abcab", 4, "ab", 0},
    {"candidate too close to n", "xxab", 3, "ab", -1},
};

START_TEST(ascii_casestr)
{
	const char *hay = casestr_cases[_i].hay;
	size_t n =
	    casestr_cases[_i].n == WHOLE ? strlen(hay) : casestr_cases[_i].n;
	const char *got = pb_ascii_casestr(hay, n, casestr_cases[_i].needle);
	long off = got ? (long)(got - hay) : -1;

	ck_assert_msg(off == casestr_cases[_i].want,
	              "case \"%s\": offset %ld, want %ld",
	              casestr_cases[_i].name, off, casestr_cases[_i].want);
}
END_TEST

/* --- pb_trim ----------------------------------------------------------- */

static const struct {
	const char *name;
	const char *in;
	const char *want;
} trim_cases[] = {
    {"nothing to trim", "a b", "a b"},
    {"spaces both ends", "  a b  ", "a b"},
    {"tabs and line ends", "\t\r\na\r\n", "a"},
    {"vertical tab and form feed", "\v\fa\f\v", "a"},
    {"only white space", " \t\r\n ", ""},
    {"empty", "", ""},
    {"inner white space kept", " a \t b ", "a \t b"},
    {"non-breaking space kept", "\xc2\xa0x", "\xc2\xa0x"},
};

/* pb_ascii_starts_any over this prefix table */
static const char *const prefixes[] = {"returned mail:", "undeliverable:"};

static const struct {
	const char *name, *text;
	const char *want; /* the prefix found, or NULL */
} starts_cases[] = {
    {"first prefix, other case", "Returned Mail: x", "returned mail:"},
    {"second prefix, exactly", "UNDELIVERABLE:", "undeliverable:"},
    {"prefix only inside", "Re: Returned mail: x", NULL},
    {"shorter than the prefix", "returned mail", NULL},
    {"empty", "", NULL},
};

START_TEST(starts_any)
{
	const char *t = starts_cases[_i].text;
	const char *got = pb_ascii_starts_any(t, strlen(t), prefixes,
	                                      PB_NELEM(prefixes));

	ck_assert_msg(got == starts_cases[_i].want, "case \"%s\"",
	              starts_cases[_i].name);
}
END_TEST

START_TEST(trim)
{
	const char *p = trim_cases[_i].in;
	size_t n = strlen(p);

	pb_trim(&p, &n);
	ck_assert_msg(n == strlen(trim_cases[_i].want) &&
	                  memcmp(p, trim_cases[_i].want, n) == 0,
	              "case \"%s\": got \"%.*s\"", trim_cases[_i].name, (int)n,
	              p);
	ck_assert_msg(
	    p >= trim_cases[_i].in &&
	        p + n <= trim_cases[_i].in + strlen(trim_cases[_i].in),
	    "case \"%s\": result outside the input", trim_cases[_i].name);
}
END_TEST

/* --- pb_is_status_code ------------------------------------------------- */

static const struct {
	const char *name;
	const char *code;
	size_t n; /* WHOLE for strlen(code) */
	bool want;
} status_cases[] = {
    {"user unknown", "5.1.1", WHOLE, true},
    {"DMARC, two-digit detail", "4.7.26", WHOLE, true},
    {"success class", "2.0.0", WHOLE, true},
    {"three-digit subject and detail", "5.123.999", WHOLE, true},
    {"detail longer than 3 digits", "5.1.1000", WHOLE, false},
    {"subject longer than 3 digits", "5.1000.1", WHOLE, false},
    {"not a code", "5.x.1", WHOLE, false},
    {"class 3", "3.1.1", WHOLE, false},
    {"class 1", "1.1.1", WHOLE, false},
    {"missing detail", "5.1.", WHOLE, false},
    {"two parts only", "5.1", WHOLE, false},
    {"empty", "", WHOLE, false},
    {"empty subject", "5..1", WHOLE, false},
    {"two-digit class", "55.1.1", WHOLE, false},
    {"trailing space", "5.1.1 ", WHOLE, false},
    {"leading space", " 5.1.1", WHOLE, false},
    {"trailing letter", "5.1.1a", WHOLE, false},
    {"four parts", "5.1.1.1", WHOLE, false},
    {"commas", "5,1,1", WHOLE, false},
    {"n cuts the detail", "5.1.1", 4, false},
    {"n ends after a valid prefix", "5.1.12", 5, true},
};

START_TEST(status_code)
{
	const char *s = status_cases[_i].code;
	size_t n = status_cases[_i].n == WHOLE ? strlen(s) : status_cases[_i].n;

	ck_assert_msg(pb_is_status_code(s, n) == status_cases[_i].want,
	              "case \"%s\" (\"%s\")", status_cases[_i].name, s);
}
END_TEST

Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc;

	tc = tcase_create("buf");
	tcase_add_loop_test(tc, buf_append, 0, PB_NELEM(buf_cases));
	tcase_add_test(tc, buf_binary_and_addc);
	tcase_add_test(tc, buf_take_empty);
	tcase_add_test(tc, buf_failed_is_sticky);
	suite_add_tcase(s, tc);

	tc = tcase_create("strndup_cap");
	tcase_add_loop_test(tc, strndup_cap, 0, PB_NELEM(dup_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("ascii_casestr");
	tcase_add_loop_test(tc, ascii_casestr, 0, PB_NELEM(casestr_cases));
	tcase_add_loop_test(tc, starts_any, 0, PB_NELEM(starts_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("trim");
	tcase_add_loop_test(tc, trim, 0, PB_NELEM(trim_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("is_status_code");
	tcase_add_loop_test(tc, status_code, 0, PB_NELEM(status_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
