/*
 * check_header.c - the public header plainbounce.h is self-contained:
 * it comes first and this file is built with -std=c11 -pedantic -Werror
 * (see tests/unit/local.mk).
 */
#include "plainbounce.h"

#include <stdlib.h>

#include <check.h>

Suite *header_suite(void);

START_TEST(header_usable)
{
	struct pb_options opt;
	struct pb_result res = {0};
	struct pb_edit edit = {PB_EDIT_ADD, NULL, NULL};

	pb_options_init(&opt);
	ck_assert_int_eq(PB_OK, 0);
	ck_assert_int_eq(opt.mode, PB_MODE_REWRITE);
	ck_assert_int_gt(PB_REASON_COUNT, PB_REASON_NOTCOMPLIANTRFC);
	ck_assert(!res.changed && edit.op == PB_EDIT_ADD);
	ck_assert_str_eq(pb_strerror(PB_OK), "success");
	ck_assert_str_eq(pb_kind_name(PB_KIND_FAILURE), "failure");
	ck_assert_str_eq(pb_reason_name(PB_REASON_USERUNKNOWN), "userunknown");
	ck_assert_str_eq(pb_fix_owner_name(PB_FIX_PROVIDER), "provider");
	ck_assert_str_eq(PB_MARKER_HEADER, "X-Plainbounce");
	ck_assert_uint_ne(PB_DEFECT_MIME | PB_DEFECT_NO_TEXT_PART, 0);
}
END_TEST

Suite *
header_suite(void)
{
	Suite *s = suite_create("header");
	TCase *tc = tcase_create("c11");

	tcase_add_test(tc, header_usable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(header_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
