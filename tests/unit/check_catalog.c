/*
 * check_catalog.c - unit tests of catalog.c and catalog_set.c:
 * pb_catalog_parse on valid and malformed catalogs (with the line at
 * fault and the reason), loading files (errors name file and line),
 * views with per-key and per-label fallback, catalog sets with
 * languages and overrides, the built-in English catalog (every reason
 * has its entries), and every catalog file under etc/catalog (every key
 * and label of English, only known placeholders).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "pb_int.h"
#include "catalog.h"
#include "explain.h"

Suite *catalog_suite(void);

#define ENTRY(key) "[" key "]\nwhat = w\ncause = c\ntodo = t\nowner = o\n"

static const char small[] = "# a small catalog\n"
                            "[labels]\n"
                            "title_failure = Failed\n"
                            "title_delay = Delayed\n"
                            "\n"
                            "[generic]\n"
                            "what = Mail to {recipient} failed.\n"
                            "cause = The server said no,\n"
                            "  for reasons of its own.\n"
                            "\t  Really.\n"
                            "  # an indented comment, not a continuation\n"
                            "todo = Try again.\n"
                            "owner=Nobody.\n"
                            "\n"
                            "[status:5.1.1]\n"
                            "what = W\n"
                            "cause = C\n"
                            "todo = T\n"
                            "owner = O\n";

/* --- valid catalogs ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	size_t count;
} valid_cases[] = {
    {"empty", "", 0},
    {"comments and blank lines only", "# one\n\n  # two\n\t\n", 0},
    {"labels only", "[labels]\ntitle_failure = Failed\n", 1},
    {"labels may be empty", "[labels]\n", 1},
    {"white space inside the brackets", "[ labels ]\n", 1},
    {"every key form",
     ENTRY("generic") ENTRY("delay:generic") ENTRY("reason:userunknown")
         ENTRY("delay:expired") ENTRY("status:5.1.1") ENTRY("reply:550"),
     6},
    {"rule keys",
     ENTRY("rule:google-dmarc") ENTRY("delay:rule:yahoo-tss")
         ENTRY("rule:blocklist") ENTRY("rule:a.b_c-9"),
     4},
    {"status forms",
     ENTRY("status:X.7.26") ENTRY("status:2.1.5") ENTRY("status:4.4.7")
         ENTRY("status:5.100.999") ENTRY("reply:211") ENTRY("reply:354"),
     6},
    {"reason undefined has keys",
     ENTRY("reason:undefined") ENTRY("delay:undefined"), 2},
    {"CRLF line ends",
     "[labels]\r\na = b\r\n\r\n[generic]\r\nwhat = w\r\n"
     "cause = c\r\n  more\r\ntodo = t\r\nowner = o\r\n",
     2},
    {"no line end at the end", "[labels]\na = b", 1},
    {"the small catalog", small, 3},
};

START_TEST(parse_valid)
{
	struct pb_catalog *cat = NULL;
	size_t line = 99;
	enum pb_status st;

	st = pb_catalog_parse(valid_cases[_i].text,
	                      strlen(valid_cases[_i].text), &cat, &line);
	ck_assert_msg(st == PB_OK, "case \"%s\": %s at line %zu",
	              valid_cases[_i].name, pb_strerror(st), line);
	ck_assert_ptr_nonnull(cat);
	ck_assert_msg(pb_catalog_count(cat) == valid_cases[_i].count,
	              "case \"%s\": %zu entries", valid_cases[_i].name,
	              pb_catalog_count(cat));
	ck_assert_ptr_null(pb_catalog_get(cat, "no-such-key"));
	pb_catalog_free(cat);
}
END_TEST

/* --- lookups in the small catalog -------------------------------------- */

static const struct {
	const char *key;
	const char *field;
	const char *want; /* NULL: the field (or entry) is absent */
	bool entry;       /* the entry exists */
} lookup_cases[] = {
    {"labels", "title_failure", "Failed", true},
    {"labels", "title_delay", "Delayed", true},
    {"labels", "what", NULL, true},
    {"generic", "what", "Mail to {recipient} failed.", true},
    {"generic", "cause",
     "The server said no, for reasons of its own. "
     "Really.",
     true},
    {"generic", "todo", "Try again.", true},
    {"generic", "owner", "Nobody.", true},
    {"generic", "title_failure", NULL, true},
    {"status:5.1.1", "owner", "O", true},
    {"status:5.1.2", "owner", NULL, false},
    {"reason:userunknown", "what", NULL, false},
    {"Generic", "what", NULL, false},
    {"", "what", NULL, false},
};

START_TEST(lookup)
{
	struct pb_catalog *cat;
	const struct pb_catalog_entry *e;
	const char *got;
	size_t line;

	ck_assert_int_eq(pb_catalog_parse(small, strlen(small), &cat, &line),
	                 PB_OK);
	e = pb_catalog_get(cat, lookup_cases[_i].key);
	ck_assert_msg((e != NULL) == lookup_cases[_i].entry,
	              "key \"%s\": entry %s", lookup_cases[_i].key,
	              e ? "found" : "missing");
	if (e != NULL) {
		ck_assert_str_eq(pb_catalog_key(e), lookup_cases[_i].key);
		got = pb_catalog_field(e, lookup_cases[_i].field);
		if (lookup_cases[_i].want == NULL)
			ck_assert_msg(got == NULL, "[%s] %s: \"%s\"",
			              lookup_cases[_i].key,
			              lookup_cases[_i].field, got);
		else
			ck_assert_msg(
			    got != NULL &&
			        strcmp(got, lookup_cases[_i].want) == 0,
			    "[%s] %s: \"%s\"", lookup_cases[_i].key,
			    lookup_cases[_i].field, got ? got : "(null)");
	}
	pb_catalog_free(cat);
}
END_TEST

/* --- malformed catalogs ------------------------------------------------ */

static const struct {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
	size_t line;
} error_cases[] = {
    {"unknown key form", "[labels]\na = b\n[foo]\n", 0, 3},
    {"unknown reason", "[reason:mailbxfull]\n", 0, 1},
    {"unknown delay reason", "[delay:nosuch]\n", 0, 1},
    {"status with two parts", "[status:5.7]\n", 0, 1},
    {"status with a bad class", "[status:3.1.1]\n", 0, 1},
    {"status with a lower-case x", "[status:x.1.1]\n", 0, 1},
    {"status with a long part", "[status:5.1000.1]\n", 0, 1},
    {"status with a trailing dot", "[status:5.1.1.]\n", 0, 1},
    {"reply of two digits", "[reply:55]\n", 0, 1},
    {"reply of four digits", "[reply:5500]\n", 0, 1},
    {"reply of a bad class", "[reply:650]\n", 0, 1},
    {"rule with upper case", "[rule:Google]\n", 0, 1},
    {"rule with a space", "[rule:a b]\n", 0, 1},
    {"delay:rule: without a name", "[delay:rule:]\n", 0, 1},
    {"key prefix without a name", "[reason:]\n", 0, 1},
    {"unterminated key", "[generic\n", 0, 1},
    {"empty key", "[]\n", 0, 1},
    {"duplicate key", ENTRY("generic") "\n" ENTRY("generic"), 0, 7},
    {"duplicate labels", "[labels]\na = b\n\n[labels]\n", 0, 4},
    {"missing field at the end",
     "# c\n[generic]\nwhat = w\ncause = c\n"
     "todo = t\n",
     0, 2},
    {"unknown extra field", ENTRY("generic") "extra = x\n", 0, 1},
    {"field before any entry", "# c\n\nwhat = x\n", 0, 3},
    {"continuation before any field", "[generic]\n  more text\n", 0, 2},
    {"continuation at the start", "\tmore text\n", 0, 1},
    {"duplicate field", "[generic]\nwhat = a\nwhat = b\n", 0, 3},
    {"line without '='", "[generic]\nwhat a\n", 0, 2},
    {"empty field text", "[generic]\nwhat =\n", 0, 2},
    {"empty field name", "[generic]\n= text\n", 0, 2},
    {"space in a field name", "[generic]\nwhat now = x\n", 0, 2},
    {"NUL byte", "[labels]\na = b\0c\n", 17, 2},
    {"line numbers count CRLF lines", "[labels]\r\na = b\r\n\r\n[foo]\r\n", 0,
     4},
    /* Regression (was a bug): an entry that lacks a field is reported at the
     * line of the next entry's key (7) when one follows, but at its own key
     * line (2) when it is the last entry. */
    {"missing field before the next entry",
     "# c\n[generic]\nwhat = w\ncause = c\ntodo = t\n\n[labels]\n", 0, 2},
};
#define NERROR_OK PB_NELEM(error_cases)

START_TEST(parse_error)
{
	const char *text = error_cases[_i].text;
	size_t len = error_cases[_i].len ? error_cases[_i].len : strlen(text);
	static char sentinel;
	struct pb_catalog *cat = (struct pb_catalog *)(void *)&sentinel;
	size_t line = 0;
	enum pb_status st;

	st = pb_catalog_parse(text, len, &cat, &line);
	ck_assert_msg(st == PB_ECATALOG, "case \"%s\": status %s",
	              error_cases[_i].name, pb_strerror(st));
	ck_assert_msg(cat == NULL, "case \"%s\": *out not NULL",
	              error_cases[_i].name);
	ck_assert_msg(line == error_cases[_i].line,
	              "case \"%s\": line %zu, want %zu", error_cases[_i].name,
	              line, error_cases[_i].line);
}
END_TEST

/* --- the built-in English catalog -------------------------------------- */

/* parse_builtin - the built-in catalog; fails the test when unusable */
static struct pb_catalog *
parse_builtin(void)
{
	struct pb_catalog *cat = NULL;
	size_t line = 0;
	enum pb_status st;

	st = pb_catalog_parse(pb_catalog_builtin_en, pb_catalog_builtin_en_len,
	                      &cat, &line);
	ck_assert_msg(st == PB_OK, "built-in catalog: %s at line %zu",
	              pb_strerror(st), line);
	return cat;
}

/* The labels explain.c uses, and the fallback entries. */
static const struct {
	const char *key;
	const char *field;
} builtin_fixed[] = {
    {"labels", "title_failure"}, {"labels", "title_delay"},
    {"labels", "what"},          {"labels", "cause"},
    {"labels", "todo"},          {"labels", "owner"},
    {"labels", "details"},       {"labels", "recipient"},
    {"labels", "status"},        {"labels", "reply"},
    {"labels", "remote_mta"},    {"labels", "diagnostic"},
    {"labels", "retry_until"},   {"labels", "reporting_mta"},
    {"labels", "original"},      {"labels", "recipients_more"},
    {"generic", "what"},         {"delay:generic", "what"},
};

START_TEST(builtin_fixed_keys)
{
	struct pb_catalog *cat = parse_builtin();
	const struct pb_catalog_entry *e;
	const char *t;

	e = pb_catalog_get(cat, builtin_fixed[_i].key);
	ck_assert_msg(e != NULL, "no [%s]", builtin_fixed[_i].key);
	t = pb_catalog_field(e, builtin_fixed[_i].field);
	ck_assert_msg(t != NULL && t[0] != '\0', "[%s] has no %s",
	              builtin_fixed[_i].key, builtin_fixed[_i].field);
	pb_catalog_free(cat);
}
END_TEST

/* _i is a reason: reason:NAME and delay:NAME exist */
START_TEST(builtin_reason_keys)
{
	static const char *const prefixes[] = {"reason:", "delay:"};
	static const char *const fields[] = {"what", "cause", "todo", "owner"};
	struct pb_catalog *cat = parse_builtin();
	const char *name = pb_reason_name((enum pb_reason)_i);
	const struct pb_catalog_entry *e;
	char key[64];
	size_t p, f;

	for (p = 0; p < PB_NELEM(prefixes); p++) {
		snprintf(key, sizeof(key), "%s%s", prefixes[p], name);
		e = pb_catalog_get(cat, key);
		ck_assert_msg(e != NULL, "no [%s]", key);
		for (f = 0; f < PB_NELEM(fields); f++)
			ck_assert_msg(pb_catalog_field(e, fields[f]) != NULL,
			              "[%s] has no %s", key, fields[f]);
	}
	pb_catalog_free(cat);
}
END_TEST

/* bad_placeholder - returns view: the first {name} in t that explain.c
 * does not fill (*n its length with the braces), or NULL */
static const char *
bad_placeholder(const char *t, size_t *n)
{
	const char *p = t, *close;
	size_t k;

	while ((p = strchr(p, '{')) != NULL) {
		if ((close = strchr(p, '}')) == NULL) {
			*n = strlen(p);
			return p;
		}
		for (k = 0; k < pb_explain_nplaceholders; k++)
			if (strlen(pb_explain_placeholders[k]) ==
			        (size_t)(close - p - 1) &&
			    memcmp(pb_explain_placeholders[k], p + 1,
			           (size_t)(close - p - 1)) == 0)
				break;
		if (k == pb_explain_nplaceholders) {
			*n = (size_t)(close - p + 1);
			return p;
		}
		p = close;
	}
	return NULL;
}

/* Every {placeholder} in the built-in text is one explain.c fills. */
START_TEST(builtin_placeholders)
{
	const char *bad;
	size_t n;

	bad = bad_placeholder(pb_catalog_builtin_en, &n);
	ck_assert_msg(bad == NULL, "unknown placeholder %.*s", (int)n, bad);
}
END_TEST

/* The checker itself finds unknown and unclosed placeholders. */
static const struct {
	const char *text;
	const char *bad; /* NULL: none */
} ph_cases[] = {
    {"Mail to {recipient} failed.", NULL},
    {"{org} {support} {max_size} {help_url} {diagnostic}", NULL},
    {"Mail to {recipent} failed.", "{recipent}"},
    {"Mail to {recipient failed.", "{recipient failed."},
    {"No braces at all.", NULL},
};

START_TEST(placeholder_checker)
{
	const char *bad;
	size_t n = 0;

	bad = bad_placeholder(ph_cases[_i].text, &n);
	if (ph_cases[_i].bad == NULL)
		ck_assert_msg(bad == NULL, "\"%s\": found %.*s",
		              ph_cases[_i].text, (int)n, bad);
	else
		ck_assert_msg(bad != NULL && strlen(ph_cases[_i].bad) == n &&
		                  memcmp(bad, ph_cases[_i].bad, n) == 0,
		              "\"%s\": want %s", ph_cases[_i].text,
		              ph_cases[_i].bad);
}
END_TEST

/* --- reasons for errors ------------------------------------------------ */

static const struct {
	const char *text;
	const char *why;
} why_cases[] = {
    {"[foo]\n", "unknown key"},
    {ENTRY("generic") ENTRY("generic"), "duplicate key"},
    {"[generic]\nwhat = w\n", "entry needs exactly the fields what, cause, "
                              "todo and owner"},
    {"what = w\n", "field outside an entry"},
    {"[generic]\nwhat\n", "expected 'field = text'"},
    {"  more\n", "continuation line without a field"},
    {"[generic]\nwhat = a\nwhat = b\n", "duplicate field"},
    {"[generic\n", "malformed [key] line"},
};

START_TEST(parse_why)
{
	struct pb_catalog *cat;
	const char *why = NULL;
	size_t line;

	ck_assert_int_eq(pb_catalog_parse_why(why_cases[_i].text,
	                                      strlen(why_cases[_i].text), &cat,
	                                      &line, &why),
	                 PB_ECATALOG);
	ck_assert_ptr_null(cat);
	ck_assert_str_eq(why, why_cases[_i].why);
}
END_TEST

/* --- files and sets ------------------------------------------------------ */

/* tmpdir - returns new: an empty temporary directory */
static char *
tmpdir(void)
{
	char *d = strdup("/tmp/pb-catalog-XXXXXX");

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

/* put - write text to dir/name */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

/* rmtree - remove dir and the plain files (and one level of
 * directories) in it */
static void
rmtree(char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			rmtree(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
	if (strncmp(dir, "/tmp/pb-catalog-", 16) == 0 && strlen(dir) == 22)
		free(dir);
}

static const struct {
	const char *name;
	const char *text;
	enum pb_status want;
	const char *err_tail; /* what *err ends with ("" none) */
} load_cases[] = {
    {"good", "[labels]\na = b\n", PB_OK, ""},
    {"bad key", "# c\n\n[nope]\n", PB_ECATALOG, "/cat:3: unknown key"},
    {"missing field", "[generic]\nwhat = w\n", PB_ECATALOG,
     "/cat:1: entry needs exactly the fields what, cause, todo and owner"},
    {"missing file", NULL, PB_ECATALOG, "/cat: No such file or directory"},
};

START_TEST(load_file)
{
	char *dir = tmpdir(), path[512], *err = NULL;
	struct pb_catalog *cat = NULL;
	enum pb_status st;
	size_t n;

	if (load_cases[_i].text != NULL)
		put(dir, "cat", load_cases[_i].text);
	snprintf(path, sizeof(path), "%s/cat", dir);
	st = pb_catalog_load(path, &cat, &err);
	ck_assert_msg(st == load_cases[_i].want, "case \"%s\": %s",
	              load_cases[_i].name, pb_strerror(st));
	ck_assert_msg((cat != NULL) == (st == PB_OK), "case \"%s\"",
	              load_cases[_i].name);
	if (load_cases[_i].err_tail[0] == '\0') {
		ck_assert_ptr_null(err);
	} else {
		ck_assert_ptr_nonnull(err);
		n = strlen(load_cases[_i].err_tail);
		ck_assert_msg(strlen(err) >= n &&
		                  strcmp(err + strlen(err) - n,
		                         load_cases[_i].err_tail) == 0 &&
		                  strncmp(err, dir, strlen(dir)) == 0,
		              "case \"%s\": \"%s\"", load_cases[_i].name, err);
	}
	free(err);
	pb_catalog_free(cat);
	rmtree(dir);
}
END_TEST

#define DE_PART                                                                \
	"[labels]\ntitle_failure = Nicht zugestellt\n"                         \
	"[reason:mailboxfull]\nwhat = voll\ncause = c\ntodo = t\nowner = o\n"
#define EN_FILE                                                                \
	"[status:5.1.1]\nwhat = en-file\ncause = c\ntodo = t\nowner = o\n"
#define OVERRIDE                                                               \
	"[reason:mailboxfull]\nwhat = override\ncause = c\ntodo = t\n"         \
	"owner = o\n[labels]\ntitle_delay = Spaet\n"

/* Lookups through a set: dir holds de (partial) and en (one entry). */
static const struct {
	const char *name;
	const char *overrides; /* "file", "dir" or NULL */
	const char *lang;      /* view asked for */
	const char *key, *field;
	const char *want; /* text; NULL: entry absent */
	bool label;       /* key is a labels field name */
} set_cases[] = {
    {"de entry", NULL, "de", "reason:mailboxfull", "what", "voll", false},
    {"de falls back to built-in English for a key", NULL, "de",
     "reason:userunknown", "owner", "You (the sender).", false},
    {"de falls back to dir/en before the built-in", NULL, "de", "status:5.1.1",
     "what", "en-file", false},
    {"English view uses dir/en", NULL, "en", "status:5.1.1", "what", "en-file",
     false},
    {"English view never sees German", NULL, "en", "reason:mailboxfull",
     "owner", "The recipient (they must delete old mail or get more space).",
     false},
    {"de label", NULL, "de", "", "title_failure", "Nicht zugestellt", true},
    {"de label falls back field by field", NULL, "de", "", "title_delay",
     "Your message has not been delivered yet", true},
    {"unknown key", NULL, "de", "status:9.9.9", "what", NULL, false},
    {"override file replaces the default language's entry", "file", "de",
     "reason:mailboxfull", "what", "override", false},
    {"override file leaves English alone", "file", "en", "reason:mailboxfull",
     "owner", "The recipient (they must delete old mail or get more space).",
     false},
    {"override label", "file", "de", "", "title_delay", "Spaet", true},
    {"override label keeps the other labels", "file", "de", "", "title_failure",
     "Nicht zugestellt", true},
    {"override dir per language", "dir", "de", "reason:mailboxfull", "what",
     "override", false},
    {"override dir: en has none", "dir", "en", "status:5.1.1", "what",
     "en-file", false},
};

START_TEST(set_lookup)
{
	static const char *const langs[] = {"de"};
	char *dir = tmpdir(), *odir = NULL, path[512], *err = NULL;
	const char *over = NULL, *got = NULL;
	struct pb_catalog_set *set = NULL;
	const struct pb_catalog_view *v;
	const struct pb_catalog_entry *e;
	enum pb_status st;

	put(dir, "de", DE_PART);
	put(dir, "en", EN_FILE);
	if (set_cases[_i].overrides != NULL &&
	    strcmp(set_cases[_i].overrides, "file") == 0) {
		put(dir, "local", OVERRIDE);
		snprintf(path, sizeof(path), "%s/local", dir);
		over = path;
	} else if (set_cases[_i].overrides != NULL) {
		odir = tmpdir();
		put(odir, "de", OVERRIDE);
		over = odir;
	}
	st = pb_catalog_set_new(dir, over, langs, 1, &set, &err);
	ck_assert_msg(st == PB_OK, "case \"%s\": %s (%s)", set_cases[_i].name,
	              pb_strerror(st), err ? err : "");
	v = pb_catalog_set_view(set, set_cases[_i].lang);
	ck_assert_ptr_nonnull(v);
	if (set_cases[_i].label) {
		got = pb_catalog_view_label(v, set_cases[_i].field);
	} else if ((e = pb_catalog_view_get(v, set_cases[_i].key)) != NULL) {
		got = pb_catalog_field(e, set_cases[_i].field);
	}
	if (set_cases[_i].want == NULL)
		ck_assert_msg(got == NULL, "case \"%s\": got \"%s\"",
		              set_cases[_i].name, got);
	else
		ck_assert_msg(got != NULL &&
		                  strcmp(got, set_cases[_i].want) == 0,
		              "case \"%s\": got \"%s\"", set_cases[_i].name,
		              got ? got : "(null)");
	ck_assert_ptr_eq(pb_catalog_set_view(set, NULL),
	                 pb_catalog_set_view(set, "de"));
	ck_assert_ptr_null(pb_catalog_set_view(set, "fr"));
	pb_catalog_set_free(set);
	if (odir != NULL)
		rmtree(odir);
	rmtree(dir);
}
END_TEST

/* Sets that cannot be made: the error names what is wrong. */
static const struct {
	const char *name;
	bool with_dir;
	const char *lang;
	const char *de_text; /* NULL: no file de */
	const char *overrides;
	const char *err_has;
} set_err_cases[] = {
    {"no directory, not English", false, "de", NULL, NULL,
     "only built-in English, not 'de'"},
    {"language file missing", true, "fr", NULL, NULL,
     "/fr: No such file or directory"},
    {"broken language file", true, "de", "[labels]\n[reason:x]\n", NULL,
     "/de:2: unknown key"},
    {"unsafe language name", true, "../etc", NULL, NULL,
     "invalid language name '../etc'"},
    {"empty language name", true, "", NULL, NULL, "invalid language name"},
    {"overrides path missing", true, "en", NULL, "/nonexistent/pb-over",
     "/nonexistent/pb-over: No such file or directory"},
};

START_TEST(set_errors)
{
	char *dir = tmpdir(), *err = NULL;
	const char *langs[1];
	struct pb_catalog_set *set = NULL;
	enum pb_status st;

	langs[0] = set_err_cases[_i].lang;
	if (set_err_cases[_i].de_text != NULL)
		put(dir, "de", set_err_cases[_i].de_text);
	st = pb_catalog_set_new(set_err_cases[_i].with_dir ? dir : NULL,
	                        set_err_cases[_i].overrides, langs, 1, &set,
	                        &err);
	ck_assert_msg(st == PB_ECATALOG, "case \"%s\": %s",
	              set_err_cases[_i].name, pb_strerror(st));
	ck_assert_ptr_null(set);
	ck_assert_msg(err != NULL && strstr(err, set_err_cases[_i].err_has),
	              "case \"%s\": err \"%s\"", set_err_cases[_i].name,
	              err ? err : "(null)");
	free(err);
	rmtree(dir);
}
END_TEST

/* English alone, without a directory, is the built-in catalog. */
START_TEST(set_builtin_only)
{
	static const char *const langs[] = {"en", "en"};
	struct pb_catalog_set *set, *none;
	const struct pb_catalog_view *v;
	char *err = (char *)1;

	ck_assert_int_eq(pb_catalog_set_new(NULL, NULL, langs, 2, &set, &err),
	                 PB_OK);
	ck_assert_ptr_null(err);
	v = pb_catalog_set_view(set, "en");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->n, 1);
	ck_assert_ptr_nonnull(pb_catalog_view_get(v, "generic"));
	ck_assert_int_eq(pb_catalog_set_new(NULL, NULL, langs, 0, &none, NULL),
	                 PB_EINVAL);
	pb_catalog_set_free(set);
	pb_catalog_set_free(NULL);
}
END_TEST

/* --- the catalog files of the source tree -------------------------------- */

/* check_file - problems of the catalog file path against English, one
 * per line, appended to msgs; the number found */
static size_t
check_file(const char *path, const struct pb_catalog *en, struct pb_buf *msgs)
{
	struct pb_catalog *cat = NULL;
	const struct pb_catalog_entry *e, *le, *l;
	const char *name, *t, *bad;
	char *err = NULL, line[1024];
	size_t i, f, n, found = 0;

	if (pb_catalog_load(path, &cat, &err) != PB_OK) {
		snprintf(line, sizeof(line), "%s\n", err ? err : path);
		pb_buf_adds(msgs, line);
		free(err);
		return 1;
	}
	for (i = 0; (e = pb_catalog_at(en, i)) != NULL; i++)
		if (pb_catalog_get(cat, pb_catalog_key(e)) == NULL) {
			snprintf(line, sizeof(line), "%s: no [%s]\n", path,
			         pb_catalog_key(e));
			pb_buf_adds(msgs, line);
			found++;
		}
	le = pb_catalog_get(en, "labels");
	l = pb_catalog_get(cat, "labels");
	for (f = 0; le != NULL && l != NULL &&
	            pb_catalog_field_at(le, f, &name) != NULL;
	     f++)
		if (pb_catalog_field(l, name) == NULL) {
			snprintf(line, sizeof(line), "%s: [labels] has no %s\n",
			         path, name);
			pb_buf_adds(msgs, line);
			found++;
		}
	for (i = 0; (e = pb_catalog_at(cat, i)) != NULL; i++)
		for (f = 0; (t = pb_catalog_field_at(e, f, &name)) != NULL; f++)
			if ((bad = bad_placeholder(t, &n)) != NULL) {
				snprintf(line, sizeof(line),
				         "%s: [%s] %s: unknown placeholder "
				         "%.*s\n",
				         path, pb_catalog_key(e), name, (int)n,
				         bad);
				pb_buf_adds(msgs, line);
				found++;
			}
	pb_catalog_free(cat);
	return found;
}

/* Every file in etc/catalog has every key and label of English, and
 * only placeholders explain.c fills.  Languages other than en may not
 * exist yet; each file present is checked. */
START_TEST(catalog_files)
{
	const char *src = getenv("srcdir");
	struct pb_catalog *en = parse_builtin();
	struct pb_buf msgs;
	struct dirent *de;
	char dir[512], path[1024];
	size_t files = 0, found = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/etc/catalog", src ? src : ".");
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	pb_buf_init(&msgs);
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		if (de->d_name[0] == '.' ||
		    !pb_catalog_lang_is_valid(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		files++;
		found += check_file(path, en, &msgs);
	}
	closedir(d);
	ck_assert_msg(files >= 1, "no catalog files in %s", dir);
	ck_assert_msg(found == 0, "%zu problems in the catalog files:\n%s",
	              found, msgs.data ? msgs.data : "");
	pb_buf_fini(&msgs);
	pb_catalog_free(en);
}
END_TEST

/* The file check finds a missing key, a missing label and an unknown
 * placeholder (so that it cannot pass by accident). */
START_TEST(catalog_file_check_finds)
{
	struct pb_catalog *en = parse_builtin();
	char *dir = tmpdir(), path[512];
	struct pb_buf msgs;

	put(dir, "xx",
	    "[labels]\ntitle_failure = T\n[generic]\nwhat = {oops}\n"
	    "cause = c\ntodo = t\nowner = o\n");
	snprintf(path, sizeof(path), "%s/xx", dir);
	pb_buf_init(&msgs);
	ck_assert_uint_gt(check_file(path, en, &msgs), 3);
	ck_assert_ptr_nonnull(strstr(msgs.data, "no [reason:userunknown]"));
	ck_assert_ptr_nonnull(strstr(msgs.data, "[labels] has no title_delay"));
	ck_assert_ptr_nonnull(
	    strstr(msgs.data, "[generic] what: unknown placeholder {oops}"));
	pb_buf_fini(&msgs);
	pb_catalog_free(en);
	rmtree(dir);
}
END_TEST

/* --- the context: languages, map, errors, codes -------------------------- */

#define DE_FULL                                                                \
	"[labels]\ntitle_failure = Nicht zugestellt\n"                         \
	"[reason:userunknown]\nwhat = Die Adresse {recipient} gibt es "        \
	"nicht.\ncause = c\ntodo = t\nowner = o\n"

static const struct pb_lang_map lmap[] = {
    {"example.de", "de"},
    {"example.com", "en"},
};

/* new_ctx - a context over dir (de and the English fallback); the
 * status, *err set */
static enum pb_status
new_ctx(const char *dir, const char *lang, struct pb_ctx **ctx, char **err)
{
	struct pb_options opt;

	pb_options_init(&opt);
	opt.catalog_dir = dir;
	opt.lang = lang;
	opt.lang_map = lmap;
	opt.nlang_map = PB_NELEM(lmap);
	return pb_ctx_new_err(&opt, ctx, err);
}

static const struct {
	const char *rcpt;
	const char *want;
} lang_cases[] = {
    {"anna@example.de", "de"},
    {"<anna@EXAMPLE.DE>", "de"},
    {"anna@mail.example.de", "de"},
    {"anna@badexample.de", "en"},
    {"bob@example.com", "en"},
    {"bob@example.org", "en"},
    {"example.de", "de"},
    {NULL, "en"},
    {"", "en"},
};

START_TEST(ctx_lang)
{
	char *dir = tmpdir(), *err = NULL;
	struct pb_ctx *ctx = NULL;

	put(dir, "de", DE_FULL);
	ck_assert_int_eq(new_ctx(dir, "en", &ctx, &err), PB_OK);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(pb_ctx_lang(ctx, lang_cases[_i].rcpt),
	                 lang_cases[_i].want);
	pb_ctx_free(ctx);
	rmtree(dir);
}
END_TEST

START_TEST(ctx_errors)
{
	char *dir = tmpdir(), *err = NULL;
	struct pb_ctx *ctx = (struct pb_ctx *)1;

	put(dir, "de", "[labels]\n\n[reason:nosuch]\n");
	ck_assert_int_eq(new_ctx(dir, "en", &ctx, &err), PB_ECATALOG);
	ck_assert_ptr_null(ctx);
	ck_assert_msg(err != NULL && strstr(err, "/de:3: unknown key") != NULL,
	              "err \"%s\"", err ? err : "(null)");
	free(err);
	err = NULL;
	ck_assert_int_eq(new_ctx(NULL, "fr", &ctx, &err), PB_ECATALOG);
	ck_assert_ptr_nonnull(err);
	free(err);
	ck_assert_int_eq(new_ctx(NULL, "fr", &ctx, NULL), PB_ECATALOG);
	ck_assert_int_eq(pb_ctx_new_err(NULL, &ctx, NULL), PB_EINVAL);
	rmtree(dir);
}
END_TEST

static const struct {
	const char *code, *lang;
	enum pb_status st;
	const char *key; /* NULL: do not check */
	const char *text_has;
} code_cases[] = {
    {"5.7.26", NULL, PB_OK, "status:5.7.26", "{recipient}"},
    {"5.1.1", "en", PB_OK, "status:5.1.1", "What happened:\n  "},
    {"4.2.2", "en", PB_OK, "status:4.2.2", "{retry_until}"},
    {"550", "de", PB_OK, NULL, NULL},
    {"211", "en", PB_OK, NULL, NULL},
    {"5.1.1", "fr", PB_ECATALOG, NULL, NULL},
    {"5.1", "en", PB_EINVAL, NULL, NULL},
    {"55", "en", PB_EINVAL, NULL, NULL},
    {"650", "en", PB_EINVAL, NULL, NULL},
    {"5.7.26 ", "en", PB_EINVAL, NULL, NULL},
    {"", "en", PB_EINVAL, NULL, NULL},
};

START_TEST(ctx_explain_code)
{
	char *dir = tmpdir(), *err = NULL, *key = (char *)1, *text = (char *)1;
	struct pb_ctx *ctx = NULL;
	enum pb_status st;

	put(dir, "de", DE_FULL);
	ck_assert_int_eq(new_ctx(dir, "en", &ctx, &err), PB_OK);
	st = pb_ctx_explain_code(ctx, code_cases[_i].lang, code_cases[_i].code,
	                         &key, &text);
	ck_assert_msg(st == code_cases[_i].st, "code \"%s\": %s",
	              code_cases[_i].code, pb_strerror(st));
	ck_assert((key != NULL) == (st == PB_OK));
	ck_assert((text != NULL) == (st == PB_OK));
	if (code_cases[_i].key != NULL)
		ck_assert_str_eq(key, code_cases[_i].key);
	if (code_cases[_i].text_has != NULL)
		ck_assert_msg(strstr(text, code_cases[_i].text_has) != NULL,
		              "code %s: %s", code_cases[_i].code, text);
	free(key);
	free(text);
	pb_ctx_free(ctx);
	rmtree(dir);
}
END_TEST

static const char dsn[] =
    "From: MAILER-DAEMON@mail.example.net\n"
    "To: anna@example.de\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    " boundary=\"B\"\n"
    "\n"
    "--B\n"
    "Content-Type: text/plain\n"
    "\n"
    "Delivery failed.\n"
    "--B\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mail.example.net\n"
    "\n"
    "Final-Recipient: rfc822; bob@example.org\n"
    "Action: failed\n"
    "Status: 5.1.9\n"
    "Diagnostic-Code: smtp; 550 5.1.9 no such user here\n"
    "--B--\n";

static const struct {
	const char *name;
	const char *rcpt;
	const char *has, *lacks;
} rcpt_cases[] = {
    {"envelope recipient in a German domain", "anna@example.de",
     "Die Adresse bob@example.org gibt es nicht.", "does not exist"},
    {"envelope recipient elsewhere", "anna@example.com", "does not exist",
     "Die Adresse"},
    {"no envelope recipient: the To: header", NULL, "Nicht zugestellt",
     "could not be delivered ***"},
};

START_TEST(ctx_process_rcpt)
{
	char *dir = tmpdir(), *err = NULL, *out = NULL;
	struct pb_ctx *ctx = NULL;
	struct pb_result *res = NULL;
	size_t outlen;

	put(dir, "de", DE_FULL);
	ck_assert_int_eq(new_ctx(dir, "en", &ctx, &err), PB_OK);
	ck_assert_int_eq(
	    pb_process_rcpt(ctx, rcpt_cases[_i].rcpt, dsn, strlen(dsn), &res),
	    PB_OK);
	ck_assert_int_eq(pb_result_render(res, dsn, strlen(dsn), &out, &outlen),
	                 PB_OK);
	ck_assert_msg(strstr(out, rcpt_cases[_i].has) != NULL,
	              "case \"%s\": lacks \"%s\":\n%s", rcpt_cases[_i].name,
	              rcpt_cases[_i].has, out);
	ck_assert_msg(strstr(out, rcpt_cases[_i].lacks) == NULL,
	              "case \"%s\": holds \"%s\"", rcpt_cases[_i].name,
	              rcpt_cases[_i].lacks);
	free(out);
	pb_result_free(res);
	pb_ctx_free(ctx);
	rmtree(dir);
}
END_TEST

Suite *
catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_valid, 0, PB_NELEM(valid_cases));
	tcase_add_loop_test(tc, lookup, 0, PB_NELEM(lookup_cases));
	tcase_add_loop_test(tc, parse_error, 0, NERROR_OK);
	tcase_add_loop_test(tc, parse_why, 0, PB_NELEM(why_cases));
	tcase_add_loop_test(tc, placeholder_checker, 0, PB_NELEM(ph_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_loop_test(tc, load_file, 0, PB_NELEM(load_cases));
	tcase_add_loop_test(tc, set_lookup, 0, PB_NELEM(set_cases));
	tcase_add_loop_test(tc, set_errors, 0, PB_NELEM(set_err_cases));
	tcase_add_test(tc, set_builtin_only);
	tcase_add_test(tc, catalog_files);
	tcase_add_test(tc, catalog_file_check_finds);
	suite_add_tcase(s, tc);

	tc = tcase_create("ctx");
	tcase_add_loop_test(tc, ctx_lang, 0, PB_NELEM(lang_cases));
	tcase_add_test(tc, ctx_errors);
	tcase_add_loop_test(tc, ctx_explain_code, 0, PB_NELEM(code_cases));
	tcase_add_loop_test(tc, ctx_process_rcpt, 0, PB_NELEM(rcpt_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("builtin");
	tcase_add_loop_test(tc, builtin_fixed_keys, 0, PB_NELEM(builtin_fixed));
	tcase_add_loop_test(tc, builtin_reason_keys, 0, PB_REASON_COUNT);
	tcase_add_test(tc, builtin_placeholders);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(catalog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
