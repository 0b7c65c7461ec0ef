/*
 * check_explain.c - unit tests of explain.c: the catalog entry chosen
 * for a recipient (pb_explain_key: rule, status, class-free status,
 * reply, reason, generic), cleaning of untrusted text
 * (pb_explain_clean), the rendered text and HTML (pb_explain) with
 * every placeholder, the operator's branding and links, typo hints,
 * and line widths counted in characters.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "catalog.h"
#include "explain.h"

Suite *explain_suite(void);

/* the functions under test only read the strings of a pb_rcpt */
#define S(s) ((char *)(uintptr_t)(s))

#define ENTRY(key) "[" key "]\nwhat = w\ncause = c\ntodo = t\nowner = o\n"

/* A catalog where each entry is easy to recognise. */
static const char test_catalog[] =
    "[labels]\n"
    "title_failure = Not delivered\n"
    "title_delay = Not delivered yet\n"
    "recipients_more = and {count} more\n"
    "[generic]\n"
    "what = Mail to {recipient} failed.\n"
    "cause = Unknown.\n"
    "todo = Try again.\n"
    "owner = Your admin.\n"
    "[delay:generic]\n"
    "what = Mail to {recipient} is late.\n"
    "cause = Busy.\n"
    "todo = Wait a bit. It retries until {retry_until}. Then give up.\n"
    "owner = Nobody.\n" ENTRY("reason:userunknown") ENTRY("reason:mailboxfull")
        ENTRY("delay:mailboxfull") ENTRY("delay:expired") ENTRY("status:5.1.1")
            ENTRY("status:4.2.2") ENTRY("reply:550") ENTRY("reply:450")
                ENTRY("rule:google-dmarc") ENTRY("delay:rule:yahoo-tss")
                    ENTRY("status:X.7.26") ENTRY("status:X.2.2");

/* V - returns view (until the next call): a view of cat alone */
static const struct pb_catalog_view *
V(const struct pb_catalog *cat)
{
	static struct pb_catalog_view v;

	pb_catalog_view_init(&v, cat);
	return &v;
}

/* parse - test_catalog (builtin false) or the built-in one */
static struct pb_catalog *
parse(bool builtin)
{
	struct pb_catalog *cat = NULL;
	size_t line = 0;
	enum pb_status st;

	if (builtin)
		st = pb_catalog_parse(pb_catalog_builtin_en,
		                      pb_catalog_builtin_en_len, &cat, &line);
	else
		st = pb_catalog_parse(test_catalog, strlen(test_catalog), &cat,
		                      &line);
	ck_assert_msg(st == PB_OK, "catalog: %s at line %zu", pb_strerror(st),
	              line);
	return cat;
}

/* --- pb_explain_key ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *action, *status, *reply;
	enum pb_reason reason;
	const char *want; /* key of the chosen entry */
} key_cases[] = {
    {"status key beats reply and reason", "failed", "5.1.1", "550",
     PB_REASON_USERUNKNOWN, "status:5.1.1"},
    {"reply key beats reason", "failed", "5.1.3", "550", PB_REASON_USERUNKNOWN,
     "reply:550"},
    {"reason key", "failed", "5.1.3", "551", PB_REASON_USERUNKNOWN,
     "reason:userunknown"},
    {"generic fallback", "failed", "5.9.9", "", PB_REASON_UNDEFINED, "generic"},
    {"4.x status not used for a failure", "failed", "4.2.2", "",
     PB_REASON_MAILBOXFULL, "reason:mailboxfull"},
    {"a failure never gets delay: keys", "failed", "", "", PB_REASON_EXPIRED,
     "generic"},
    {"delay: status key", "delayed", "4.2.2", "", PB_REASON_MAILBOXFULL,
     "status:4.2.2"},
    {"delay: 4xx reply key", "delayed", "4.7.1", "450", PB_REASON_BLOCKED,
     "reply:450"},
    {"delay: delay:NAME key", "delayed", "4.4.1", "", PB_REASON_MAILBOXFULL,
     "delay:mailboxfull"},
    {"delay: never reason:NAME", "delayed", "4.1.1", "", PB_REASON_USERUNKNOWN,
     "delay:generic"},
    {"delay: 5.x status not used", "delayed", "5.1.1", "550",
     PB_REASON_USERUNKNOWN, "delay:generic"},
    {"delay: generic fallback", "delayed", "", "", PB_REASON_UNDEFINED,
     "delay:generic"},
    {"no Action, 4.x status is a delay", "", "4.2.2", "", PB_REASON_MAILBOXFULL,
     "status:4.2.2"},
    {"no Action, 5.x status is a failure", "", "5.1.1", "",
     PB_REASON_USERUNKNOWN, "status:5.1.1"},
};

START_TEST(explain_key)
{
	struct pb_catalog *cat = parse(false);
	const struct pb_catalog_entry *e;
	struct pb_rcpt r;

	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.diagnostic = r.retry_until = S("");
	r.action = S(key_cases[_i].action);
	r.status = S(key_cases[_i].status);
	r.reply = S(key_cases[_i].reply);
	r.reason = key_cases[_i].reason;
	r.failed = true;
	e = pb_explain_key(V(cat), &r);
	ck_assert_msg(e != NULL, "case \"%s\": no entry", key_cases[_i].name);
	ck_assert_msg(strcmp(pb_catalog_key(e), key_cases[_i].want) == 0,
	              "case \"%s\": [%s], want [%s]", key_cases[_i].name,
	              pb_catalog_key(e), key_cases[_i].want);
	pb_catalog_free(cat);
}
END_TEST

/* The rule and the class-free status in the chain. */
static const struct {
	const char *name;
	const char *action, *status, *reply;
	const char *rule; /* NULL as the classifier may leave it in tests */
	enum pb_reason reason;
	const char *want;
} rule_cases[] = {
    {"rule beats status", "failed", "5.1.1", "550", "google-dmarc",
     PB_REASON_AUTHFAILURE, "rule:google-dmarc"},
    {"rule without an entry: status", "failed", "5.1.1", "550", "nosuch",
     PB_REASON_USERUNKNOWN, "status:5.1.1"},
    {"empty rule is none", "failed", "5.1.1", "", "", PB_REASON_USERUNKNOWN,
     "status:5.1.1"},
    {"NULL rule is none", "failed", "5.1.1", "", NULL, PB_REASON_USERUNKNOWN,
     "status:5.1.1"},
    {"delay uses delay:rule:", "delayed", "4.7.0", "", "yahoo-tss",
     PB_REASON_BLOCKED, "delay:rule:yahoo-tss"},
    {"failure never uses delay:rule:", "failed", "5.7.0", "", "yahoo-tss",
     PB_REASON_MAILBOXFULL, "reason:mailboxfull"},
    {"delay never uses rule:", "delayed", "4.7.26", "", "google-dmarc",
     PB_REASON_AUTHFAILURE, "status:X.7.26"},
    {"class-free status for 5.x", "failed", "5.7.26", "550", NULL,
     PB_REASON_AUTHFAILURE, "status:X.7.26"},
    {"exact status beats class-free", "delayed", "4.2.2", "", NULL,
     PB_REASON_MAILBOXFULL, "status:4.2.2"},
    {"class-free status when no exact entry", "failed", "5.2.2", "", NULL,
     PB_REASON_MAILBOXFULL, "status:X.2.2"},
    {"class-free status beats reply", "failed", "5.7.26", "550", NULL,
     PB_REASON_USERUNKNOWN, "status:X.7.26"},
    {"4.x on a failure: no class-free", "failed", "4.7.26", "", NULL,
     PB_REASON_MAILBOXFULL, "reason:mailboxfull"},
    {"not a status code: no class-free", "failed", "5.7.26.1", "", NULL,
     PB_REASON_MAILBOXFULL, "reason:mailboxfull"},
    {"overlong rule name ignored", "failed", "5.1.1", "",
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
     PB_REASON_USERUNKNOWN, "status:5.1.1"},
};

START_TEST(explain_key_rule)
{
	struct pb_catalog *cat = parse(false);
	const struct pb_catalog_entry *e;
	struct pb_rcpt r;

	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.diagnostic = r.retry_until = S("");
	r.action = S(rule_cases[_i].action);
	r.status = S(rule_cases[_i].status);
	r.reply = S(rule_cases[_i].reply);
	r.rule = rule_cases[_i].rule;
	r.reason = rule_cases[_i].reason;
	r.failed = true;
	e = pb_explain_key(V(cat), &r);
	ck_assert_msg(e != NULL, "case \"%s\": no entry", rule_cases[_i].name);
	ck_assert_msg(strcmp(pb_catalog_key(e), rule_cases[_i].want) == 0,
	              "case \"%s\": [%s], want [%s]", rule_cases[_i].name,
	              pb_catalog_key(e), rule_cases[_i].want);
	pb_catalog_free(cat);
}
END_TEST

/* Without a generic entry there may be no entry at all. */
START_TEST(explain_key_no_generic)
{
	static const char text[] = "[labels]\n" ENTRY("reason:userunknown");
	struct pb_catalog *cat;
	struct pb_explanation ex;
	struct pb_rcpt r;
	size_t line;

	ck_assert_int_eq(pb_catalog_parse(text, strlen(text), &cat, &line),
	                 PB_OK);
	memset(&r, 0, sizeof(r));
	r.addr = r.alias = r.rhost = r.diagnostic = r.retry_until = S("");
	r.reply = r.status = S("");
	r.action = S("failed");
	r.reason = PB_REASON_MAILBOXFULL;
	r.failed = true;
	ck_assert_ptr_null(pb_explain_key(V(cat), &r));
	r.reason = PB_REASON_USERUNKNOWN;
	ck_assert_ptr_nonnull(pb_explain_key(V(cat), &r));
	/* pb_explain refuses such a catalog before touching r */
	memset(&ex, 0xff, sizeof(ex));
	ck_assert_int_eq(pb_explain(V(cat), NULL, &r, 1, "", &ex), PB_ECATALOG);
	ck_assert_ptr_null(ex.text);
	ck_assert_ptr_null(ex.html);
	pb_catalog_free(cat);
}
END_TEST

/* --- pb_explain_clean -------------------------------------------------- */

static const struct {
	const char *name;
	const char *prefix; /* already in the buffer */
	const char *in;
	size_t max;
	const char *want; /* the whole buffer afterwards */
} clean_cases[] = {
    {"plain text unchanged", "", "user unknown", 300, "user unknown"},
    {"control characters to spaces", "", "a\tb\001c\033d", 300, "a b c d"},
    {"line breaks collapsed", "", "line one\r\n  line two", 300,
     "line one line two"},
    {"DEL to space", "", "a\177b", 300, "a b"},
    {"ends trimmed", "", " \t a b \r\n", 300, "a b"},
    {"only white space", "", " \t\r\n", 300, ""},
    {"empty", "", "", 300, ""},
    {"valid UTF-8 kept", "", "J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x93\xa7", 300,
     "J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x93\xa7"},
    {"invalid byte to '?'", "", "bad \xff byte", 300, "bad ? byte"},
    {"truncated sequence", "", "end \xc3", 300, "end ?"},
    {"overlong encoding", "", "\xc0\xaf", 300, "??"},
    {"UTF-16 surrogate", "", "\xed\xa0\x80", 300, "???"},
    {"beyond U+10FFFF", "", "\xf4\x90\x80\x80", 300, "????"},
    {"lone continuation byte", "", "a\x80z", 300, "a?z"},
    {"cut with ...", "", "abcdefghij", 5, "abcde..."},
    {"exact fit not cut", "", "abcde", 5, "abcde"},
    {"cut never splits a character", "", "ab\xc3\xa9z", 3, "ab..."},
    {"collapsed spaces do not count twice", "", "a     b", 3, "a b"},
    {"appends after the prefix", "Server: ", " hi\n", 300, "Server: hi"},
    {"prefix space kept", "Label ", "   ", 300, "Label "},
    {"URL scheme loses its colon", "", "see https://evil.example/x", 300,
     "see https[:]//evil.example/x"},
    {"scheme in any case", "", "JavaScript:alert(1)", 300,
     "JavaScript[:]alert(1)"},
    {"scheme at a word start only", "", "xhttp://a", 300, "xhttp://a"},
    {"data URL", "", "<a href=data:text/html,x>", 300,
     "<a href=data[:]text/html,x>"},
    {"colon after other words kept", "", "smtp; 550 host: no", 300,
     "smtp; 550 host: no"},
    {"defang within the cut", "", "http://x", 6, "http..."},
};

START_TEST(explain_clean)
{
	struct pb_buf b;

	pb_buf_init(&b);
	pb_buf_adds(&b, clean_cases[_i].prefix);
	pb_explain_clean(&b, clean_cases[_i].in, clean_cases[_i].max);
	ck_assert(!b.failed);
	ck_assert_msg(
	    b.data != NULL && strcmp(b.data, clean_cases[_i].want) == 0,
	    "case \"%s\": got \"%s\", want \"%s\"", clean_cases[_i].name,
	    b.data ? b.data : "(null)", clean_cases[_i].want);
	pb_buf_fini(&b);
}
END_TEST

/* --- pb_explain -------------------------------------------------------- */

#define LONG_WORD                                                              \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"   \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_TEXT                                                              \
	"550 5.7.1 The message was rejected because the sending host is "      \
	"listed on a local block list; see the postmaster pages of this "      \
	"server for the reasons and the procedure to request removal."

struct rcpt_spec {
	const char *addr, *action, *status, *diag, *retry;
	enum pb_reason reason;
	bool failed;
};

#define FAIL_BOB(diag)                                                         \
	{                                                                      \
		"bob@example.org", "failed", "5.1.1", diag, "",                \
		    PB_REASON_USERUNKNOWN, true                                \
	}

static const struct {
	const char *name;
	bool builtin; /* the built-in catalog, else test_catalog */
	size_t n;
	struct rcpt_spec r[2];
	const char *text_has, *text_lacks;
	const char *html_has, *html_lacks;
} ex_cases[] = {
    {"recipient named",
     true,
     1,
     {FAIL_BOB("550 5.1.1 unknown")},
     "bob@example.org",
     NULL,
     "bob@example.org",
     NULL},
    {"script from a diagnostic escaped",
     true,
     1,
     {FAIL_BOB("550 <script>alert(1)</script>")},
     "<script>alert(1)</script>",
     NULL,
     "&lt;script&gt;alert(1)&lt;/script&gt;",
     "<script"},
    {"quotes and ampersand escaped",
     true,
     1,
     {FAIL_BOB("550 \"x\" & 'y'")},
     "550 \"x\" & 'y'",
     NULL,
     "550 &quot;x&quot; &amp; &#39;y&#39;",
     "\"x\""},
    {"markup in an address escaped",
     false,
     1,
     {{"<b>x</b>@example.org", "failed", "5.9.9", "", "", PB_REASON_UNDEFINED,
       true}},
     "Mail to <b>x</b>@example.org failed.",
     NULL,
     "&lt;b&gt;x&lt;/b&gt;@example.org",
     "<b>x"},
    {"control characters cleaned",
     true,
     1,
     {FAIL_BOB("bad\r\nX-Injected: yes\001")},
     "bad X-Injected: yes",
     "\r",
     "bad X-Injected: yes",
     "\r"},
    {"invalid UTF-8 replaced",
     true,
     1,
     {FAIL_BOB("bad \xff byte")},
     "bad ? byte",
     "\xff",
     "bad ? byte",
     "\xff"},
    {"long word alone on its line",
     true,
     1,
     {FAIL_BOB("550 " LONG_WORD " x")},
     "\n  " LONG_WORD "\n",
     NULL,
     LONG_WORD,
     NULL},
    {"long diagnostic wrapped",
     true,
     1,
     {FAIL_BOB(LONG_TEXT)},
     "removal.",
     LONG_TEXT,
     NULL,
     NULL},
    {"retry sentence dropped when empty",
     false,
     1,
     {{"bob@example.org", "delayed", "4.4.1", "", "", PB_REASON_UNDEFINED,
       true}},
     "  Wait a bit. Then give up.\n",
     "until",
     NULL,
     "{retry_until}"},
    {"retry sentence kept when set",
     false,
     1,
     {{"bob@example.org", "delayed", "4.4.1", "", "Sat, 8 Mar 2025",
       PB_REASON_UNDEFINED, true}},
     "Wait a bit. It retries until Sat, 8 Mar 2025. Then give up.",
     "{retry_until}",
     "until Sat, 8 Mar 2025.",
     NULL},
    {"delay title",
     false,
     1,
     {{"bob@example.org", "delayed", "4.4.1", "", "", PB_REASON_UNDEFINED,
       true}},
     "*** Not delivered yet ***\n",
     NULL,
     "Not delivered yet",
     NULL},
    {"failure title wins over delay",
     false,
     2,
     {{"a@example.org", "delayed", "4.4.1", "", "", PB_REASON_UNDEFINED, true},
      {"b@example.org", "failed", "5.9.9", "", "", PB_REASON_UNDEFINED, true}},
     "*** Not delivered ***\n",
     NULL,
     NULL,
     NULL},
    {"one group for two recipients",
     false,
     2,
     {{"a@example.org", "failed", "5.9.9", "", "", PB_REASON_UNDEFINED, true},
      {"b@example.org", "failed", "5.9.8", "", "", PB_REASON_UNDEFINED, true}},
     "Mail to a@example.org, b@example.org failed.",
     NULL,
     NULL,
     NULL},
    {"recipient not failed is left out",
     false,
     2,
     {{"a@example.org", "failed", "5.9.9", "", "", PB_REASON_UNDEFINED, true},
      {"c@example.org", "delivered", "2.0.0", "", "", PB_REASON_UNDEFINED,
       false}},
     "a@example.org",
     "c@example.org",
     NULL,
     "c@example.org"},
    {"reporting MTA shown",
     true,
     1,
     {FAIL_BOB("")},
     "mta.example.net",
     NULL,
     "mta.example.net",
     NULL},
};

/* fill - rcpts[] from the row's specs (strings borrowed) */
static void
fill(size_t row, struct pb_rcpt *rcpts)
{
	size_t k;

	memset(rcpts, 0, 2 * sizeof(*rcpts));
	for (k = 0; k < ex_cases[row].n; k++) {
		const struct rcpt_spec *sp = &ex_cases[row].r[k];
		struct pb_rcpt *r = &rcpts[k];
		r->addr = S(sp->addr);
		r->alias = r->rhost = S("");
		r->action = S(sp->action);
		r->status = S(sp->status);
		r->reply = S("");
		r->diagnostic = S(sp->diag);
		r->retry_until = S(sp->retry);
		r->reason = sp->reason;
		r->failed = sp->failed;
	}
}

/* explain_row - run pb_explain on row; ex and rcpts are filled */
static void
explain_row(size_t row, struct pb_rcpt *rcpts, struct pb_explanation *ex)
{
	struct pb_catalog *cat = parse(ex_cases[row].builtin);
	enum pb_status st;

	fill(row, rcpts);
	st = pb_explain(V(cat), NULL, rcpts, ex_cases[row].n, "mta.example.net",
	                ex);
	ck_assert_msg(st == PB_OK, "case \"%s\": %s", ex_cases[row].name,
	              pb_strerror(st));
	ck_assert_ptr_nonnull(ex->text);
	ck_assert_ptr_nonnull(ex->html);
	pb_catalog_free(cat);
}

/* check_has - text holds want (when set) */
static void
check_has(size_t row, const char *what, const char *text, const char *want)
{
	if (want != NULL)
		ck_assert_msg(strstr(text, want) != NULL,
		              "case \"%s\": %s lacks \"%s\":\n%s",
		              ex_cases[row].name, what, want, text);
}

/* check_lacks - text does not hold bad (when set) */
static void
check_lacks(size_t row, const char *what, const char *text, const char *bad)
{
	if (bad != NULL)
		ck_assert_msg(strstr(text, bad) == NULL,
		              "case \"%s\": %s holds \"%s\":\n%s",
		              ex_cases[row].name, what, bad, text);
}

START_TEST(explain_output)
{
	struct pb_rcpt rcpts[2];
	struct pb_explanation ex;
	size_t k;

	explain_row(_i, rcpts, &ex);
	check_has(_i, "text", ex.text, ex_cases[_i].text_has);
	check_lacks(_i, "text", ex.text, ex_cases[_i].text_lacks);
	check_has(_i, "html", ex.html, ex_cases[_i].html_has);
	check_lacks(_i, "html", ex.html, ex_cases[_i].html_lacks);
	for (k = 0; k < ex_cases[_i].n; k++) {
		ck_assert_ptr_nonnull(rcpts[k].explained_by);
		ck_assert_msg((rcpts[k].explained_by[0] != '\0') ==
		                  rcpts[k].failed,
		              "case \"%s\": rcpt %zu explained_by \"%s\"",
		              ex_cases[_i].name, k, rcpts[k].explained_by);
		free(rcpts[k].explained_by);
	}
	pb_explanation_fini(&ex);
}
END_TEST

/* check_lines - every line of s is at most width bytes (unless it is a
 * single word and words may be longer) and holds no control character */
static void
check_lines(const char *name, const char *what, const char *s, size_t width,
            bool long_words)
{
	const char *p = s, *nl, *q;
	size_t len, no = 1;

	for (; *p != '\0'; p = nl + 1, no++) {
		nl = strchr(p, '\n');
		ck_assert_msg(nl != NULL, "case \"%s\": %s does not end in LF",
		              name, what);
		len = pb_explain_width(p, (size_t)(nl - p));
		if (width > PB_EXPLAIN_WIDTH) /* HTML: the limit is in bytes */
			len = (size_t)(nl - p);
		for (q = p; q < nl; q++)
			ck_assert_msg(
			    (unsigned char)*q >= 0x20 && *q != 0x7f,
			    "case \"%s\": %s line %zu: control character", name,
			    what, no);
		if (len <= width)
			continue;
		for (q = p; q < nl && *q == ' '; q++)
			;
		ck_assert_msg(long_words &&
		                  memchr(q, ' ', (size_t)(nl - q)) == NULL,
		              "case \"%s\": %s line %zu has %zu columns: %.*s",
		              name, what, no, len, (int)(nl - p), p);
	}
}

START_TEST(explain_text_lines)
{
	struct pb_rcpt rcpts[2];
	struct pb_explanation ex;
	size_t k;

	explain_row(_i, rcpts, &ex);
	check_lines(ex_cases[_i].name, "text", ex.text, PB_EXPLAIN_WIDTH, true);
	for (k = 0; k < ex_cases[_i].n; k++)
		free(rcpts[k].explained_by);
	pb_explanation_fini(&ex);
}
END_TEST

/* HTML lines stay within the 998 bytes of RFC 5322: rewrite.c puts the
 * HTML into 7bit and 8bit parts as it is.  (The HTML is not wrapped at
 * PB_EXPLAIN_WIDTH: its markup and detail lines are longer.) */
static const struct {
	const char *name;
	const char *diag;
} html_cases[] = {
    {"short diagnostic", "550 5.1.1 unknown"},
    {"long word", "550 " LONG_WORD},
    {"long diagnostic", LONG_TEXT},
    /* Regression (was a bug): add_detail() puts each detail into the HTML
     * unwrapped and escaping makes it longer: 300 '<' become one line of about
     * 1,220 bytes. */
    {"diagnostic of 300 '<'",
     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
     "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"},
};
#define NHTML_OK PB_NELEM(html_cases)

START_TEST(explain_html_lines)
{
	struct pb_catalog *cat = parse(true);
	struct pb_explanation ex;
	struct pb_rcpt r;

	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.reply = r.retry_until = S("");
	r.action = S("failed");
	r.status = S("5.1.1");
	r.diagnostic = S(html_cases[_i].diag);
	r.reason = PB_REASON_USERUNKNOWN;
	r.failed = true;
	ck_assert_int_eq(
	    pb_explain(V(cat), NULL, &r, 1, "mta.example.net", &ex), PB_OK);
	check_lines(html_cases[_i].name, "html", ex.html, 998, false);
	free(r.explained_by);
	pb_explanation_fini(&ex);
	pb_catalog_free(cat);
}
END_TEST

/* collapse_space - turn runs of white space in s into one space */
static void
collapse_space(char *s)
{
	char *w = s;
	bool sp = false;

	for (; *s != '\0'; s++) {
		bool is = *s == ' ' || *s == '\n';
		if (is && sp)
			continue;
		*w++ = is ? ' ' : *s;
		sp = is;
	}
	*w = '\0';
}

/* A group of more than 20 recipients lists 20 and says how many more. */
static const struct {
	const char *name;
	size_t n;
	const char *has, *lacks;
} many_cases[] = {
    {"20 recipients listed in full", 20, "r19@example.org", "more"},
    {"21 recipients: and 1 more", 21, "and 1 more", "{count}"},
};
#define NMANY_OK PB_NELEM(many_cases)

START_TEST(explain_many)
{
	struct pb_catalog *cat = parse(false);
	struct pb_rcpt r[21];
	char addr[21][48];
	struct pb_explanation ex;
	size_t k, n = many_cases[_i].n;

	memset(r, 0, sizeof(r));
	for (k = 0; k < n; k++) {
		snprintf(addr[k], sizeof(addr[k]), "r%zu@example.org", k);
		r[k].addr = addr[k];
		r[k].alias = r[k].rhost = r[k].reply = S("");
		r[k].diagnostic = r[k].retry_until = S("");
		r[k].action = S("failed");
		r[k].status = S("5.9.9");
		r[k].failed = true;
	}
	ck_assert_int_eq(pb_explain(V(cat), NULL, r, n, "", &ex), PB_OK);
	collapse_space(ex.text); /* the text is wrapped: undo line breaks */
	ck_assert_msg(strstr(ex.text, many_cases[_i].has) != NULL,
	              "case \"%s\": lacks \"%s\"", many_cases[_i].name,
	              many_cases[_i].has);
	ck_assert_msg(strstr(ex.text, many_cases[_i].lacks) == NULL,
	              "case \"%s\": holds \"%s\"", many_cases[_i].name,
	              many_cases[_i].lacks);
	for (k = 0; k < n; k++)
		free(r[k].explained_by);
	pb_explanation_fini(&ex);
	pb_catalog_free(cat);
}
END_TEST

/* --- placeholders, branding, links and typo hints --------------------- */

/* A catalog that shows every placeholder. */
static const char brand_catalog[] =
    "[labels]\n"
    "title_failure = Failed\n"
    "typo_hint = Did you mean {suggestion}?\n"
    "help_link = Help: {help_url}\n"
    "contact = Ask us: {support}\n"
    "[generic]\n"
    "what = To {recipient} at {domain}.\n"
    "cause = Server said: {diagnostic}. Host {rhost}. Code {status} "
    "{reply}.\n"
    "todo = Try again.\n"
    "owner = {org} is here. Limit {max_size}. Unknown {nosuch} stays.\n"
    "[reason:mesgtoobig]\n"
    "what = Too big.\ncause = c.\ntodo = See {help_url} now.\nowner = o.\n"
    "[reason:userunknown]\n"
    "what = No such user {recipient}.\ncause = c.\ntodo = Check it.\n"
    "owner = o.\n"
    "[reason:hostunknown]\n"
    "what = No such domain {domain}.\ncause = c.\ntodo = Check it.\n"
    "owner = o.\n";

static const struct pb_help_url helps[] = {
    {"userunknown", "https://help.example.net/unknown?a=1&b=2"},
    {"mesgtoobig", "https://help.example.net/size"},
    {"blocked", "javascript:alert(1)"},
};
static const char *const own_domains[] = {"example-mail.de"};

static const struct pb_explain_opts full_opts = {"Example Mail",
                                                 "https://support.example.net",
                                                 "25 MB",
                                                 helps,
                                                 PB_NELEM(helps),
                                                 own_domains,
                                                 PB_NELEM(own_domains)};
static const struct pb_explain_opts addr_opts = {
    "", "help@example.net", "", helps, PB_NELEM(helps), NULL, 0};
static const struct pb_explain_opts bad_opts = {
    NULL, "javascript:alert(1)", NULL, helps, PB_NELEM(helps), NULL, 0};

static const struct {
	const char *name;
	const struct pb_explain_opts *o;
	const char *addr, *diag;
	enum pb_reason reason;
	const char *text_has, *text_lacks, *html_has, *html_lacks;
} brand_cases[] = {
    {"bounce placeholders filled", NULL, "bob@example.org", "550 no such",
     PB_REASON_UNDEFINED,
     "Server said: 550 no such. Host mx.example.org. "
     "Code 5.9.9 550.",
     "{recipient", "To bob@example.org at example.org.", NULL},
    {"operator placeholders filled", &full_opts, "bob@example.org", "x",
     PB_REASON_UNDEFINED, "Example Mail is here. Limit 25 MB.", NULL,
     "Example Mail is here. Limit 25 MB.", NULL},
    {"unknown placeholder kept", &full_opts, "bob@example.org", "x",
     PB_REASON_UNDEFINED, "Unknown {nosuch} stays.", NULL, NULL, NULL},
    {"missing operator values drop their sentences", NULL, "bob@example.org",
     "x", PB_REASON_UNDEFINED, "  Unknown {nosuch} stays.\n", "Limit", NULL,
     "Limit"},
    {"empty diagnostic drops its sentence", NULL, "bob@example.org", "",
     PB_REASON_UNDEFINED, "Host mx.example.org.", "Server said", NULL,
     "Server said"},
    {"diagnostic is escaped and never a link", NULL, "bob@example.org",
     "see <https://evil.example/x?a&b>", PB_REASON_UNDEFINED,
     "see <https[:]//evil.example/x?a&b>", NULL,
     "see &lt;https[:]//evil.example/x?a&amp;b&gt;", "https://evil"},
    {"support URL is a link", &full_opts, "bob@example.org", "x",
     PB_REASON_UNDEFINED, "Ask us: https://support.example.net details", NULL,
     "<a href=\"https://support.example.net\">https://support.example.net"
     "</a>",
     NULL},
    {"support address is a mailto link", &addr_opts, "bob@example.org", "x",
     PB_REASON_UNDEFINED, "Ask us: help@example.net", NULL,
     "<a href=\"mailto:help@example.net\">help@example.net</a>", NULL},
    {"other support value is no link", &bad_opts, "bob@example.org", "x",
     PB_REASON_UNDEFINED, "Ask us: javascript:alert(1)", NULL,
     "Ask us: javascript:alert(1)", "<a"},
    {"no support: no contact line", NULL, "bob@example.org", "x",
     PB_REASON_UNDEFINED, NULL, "Ask us", NULL, "Ask us"},
    {"help URL of the reason added, escaped in HTML", &full_opts,
     "bob@example.org", "x", PB_REASON_USERUNKNOWN,
     "Help: https://help.example.net/unknown?a=1&b=2", NULL,
     "<a href=\"https://help.example.net/unknown?a=1&amp;b=2\">", NULL},
    {"entry using {help_url} gets no second link", &full_opts,
     "bob@example.org", "x", PB_REASON_MESGTOOBIG,
     "See https://help.example.net/size now.", "Help:", NULL, NULL},
    {"non-web help URL is no link", &full_opts, "bob@example.org", "x",
     PB_REASON_BLOCKED, NULL, NULL, "Help: javascript:alert(1)",
     "href=\"javascript"},
    {"no help URL for the reason: no help line", &addr_opts, "bob@example.org",
     "x", PB_REASON_UNDEFINED, NULL, "Help:", NULL, NULL},
    {"typo hint for an unknown user", NULL, "bob@gmial.com", "x",
     PB_REASON_USERUNKNOWN, "Check it. Did you mean bob@gmail.com?", NULL,
     "Did you mean bob@gmail.com?", NULL},
    {"typo hint for an unknown domain", NULL, "ann@hotmial.com", "x",
     PB_REASON_HOSTUNKNOWN, "Did you mean ann@hotmail.com?", NULL, NULL, NULL},
    {"typo hint for an operator domain", &full_opts, "ann@example-mial.de", "x",
     PB_REASON_HOSTUNKNOWN, "Did you mean ann@example-mail.de?", NULL, NULL,
     NULL},
    {"no typo hint for a full mailbox", NULL, "bob@gmial.com", "x",
     PB_REASON_MAILBOXFULL, NULL, "Did you mean", NULL, "Did you mean"},
    {"no typo hint for a right domain", NULL, "bob@gmail.com", "x",
     PB_REASON_USERUNKNOWN, NULL, "Did you mean", NULL, NULL},
    {"no typo hint for a far domain", NULL, "bob@example.org", "x",
     PB_REASON_USERUNKNOWN, NULL, "Did you mean", NULL, NULL},
    {"typo hint escaped in HTML", NULL, "<b>@gmial.com", "x",
     PB_REASON_USERUNKNOWN, "Did you mean <b>@gmail.com?", NULL,
     "Did you mean &lt;b&gt;@gmail.com?", "<b>"},
};

/* brand_row - run pb_explain on brand_cases[row]; ex filled */
static void
brand_row(size_t row, struct pb_explanation *ex)
{
	struct pb_catalog *cat;
	struct pb_rcpt r;
	size_t line;

	ck_assert_int_eq(
	    pb_catalog_parse(brand_catalog, strlen(brand_catalog), &cat, &line),
	    PB_OK);
	memset(&r, 0, sizeof(r));
	r.addr = S(brand_cases[row].addr);
	r.alias = r.retry_until = S("");
	r.rhost = S("mx.example.org");
	r.action = S("failed");
	r.status = S("5.9.9");
	r.reply = S("550");
	r.diagnostic = S(brand_cases[row].diag);
	r.reason = brand_cases[row].reason;
	r.failed = true;
	ck_assert_int_eq(pb_explain(V(cat), brand_cases[row].o, &r, 1,
	                            "mta.example.net", ex),
	                 PB_OK);
	free(r.explained_by);
	pb_catalog_free(cat);
}

/* has - report when want (if set) is not in (or is in, when lacks) s */
static void
has(const char *name, const char *what, const char *s, const char *want,
    bool lacks)
{
	if (want == NULL)
		return;
	ck_assert_msg((strstr(s, want) != NULL) != lacks,
	              "case \"%s\": %s %s \"%s\":\n%s", name, what,
	              lacks ? "holds" : "lacks", want, s);
}

START_TEST(explain_brand)
{
	struct pb_explanation ex;
	char *flat;

	brand_row(_i, &ex);
	flat = strdup(ex.text);
	ck_assert_ptr_nonnull(flat);
	/* undo wrapping, but keep the indent check of some rows meaningful */
	if (brand_cases[_i].text_has == NULL ||
	    brand_cases[_i].text_has[0] != ' ')
		collapse_space(flat);
	has(brand_cases[_i].name, "text", flat, brand_cases[_i].text_has,
	    false);
	has(brand_cases[_i].name, "text", flat, brand_cases[_i].text_lacks,
	    true);
	free(flat);
	flat = strdup(ex.html);
	ck_assert_ptr_nonnull(flat);
	collapse_space(flat);
	has(brand_cases[_i].name, "html", flat, brand_cases[_i].html_has,
	    false);
	has(brand_cases[_i].name, "html", flat, brand_cases[_i].html_lacks,
	    true);
	free(flat);
	check_lines(brand_cases[_i].name, "text", ex.text, PB_EXPLAIN_WIDTH,
	            true);
	check_lines(brand_cases[_i].name, "html", ex.html, 998, false);
	pb_explanation_fini(&ex);
}
END_TEST

/* --- widths in characters ------------------------------------------------ */

static const struct {
	const char *s;
	size_t width;
} width_cases[] = {
    {"", 0},
    {"abc", 3},
    {"Gr\xc3\xbc\xc3\x9f\x65", 5},
    {"\xe2\x82\xac\xf0\x9f\x93\xa7", 2},
};

START_TEST(explain_width)
{
	ck_assert_uint_eq(
	    pb_explain_width(width_cases[_i].s, strlen(width_cases[_i].s)),
	    width_cases[_i].width);
}
END_TEST

/* Text with many two-byte letters fills lines up to 76 characters, not
 * 76 bytes. */
START_TEST(explain_wrap_utf8)
{
	static const char text[] =
	    "[labels]\n[generic]\n"
	    "what = \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 \xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\n"
	    "cause = c\ntodo = t\nowner = o\n";
	struct pb_catalog *cat;
	struct pb_explanation ex;
	struct pb_rcpt r;
	size_t line, longest = 0;
	const char *p, *nl;

	ck_assert_int_eq(pb_catalog_parse(text, strlen(text), &cat, &line),
	                 PB_OK);
	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.reply = r.diagnostic = r.retry_until = S("");
	r.action = S("failed");
	r.status = S("5.9.9");
	r.failed = true;
	ck_assert_int_eq(pb_explain(V(cat), NULL, &r, 1, "", &ex), PB_OK);
	for (p = ex.text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		size_t w = pb_explain_width(p, (size_t)(nl - p));
		ck_assert_uint_le(w, PB_EXPLAIN_WIDTH);
		if ((size_t)(nl - p) > longest)
			longest = (size_t)(nl - p);
	}
	ck_assert_msg(longest > PB_EXPLAIN_WIDTH,
	              "longest line %zu bytes: wrapped by bytes", longest);
	free(r.explained_by);
	pb_explanation_fini(&ex);
	pb_catalog_free(cat);
}
END_TEST

/* check_cut_lines - every line of s is at most 998 bytes, valid UTF-8,
 * and (html) cuts no entity: each '&' has its ';' on the same line */
static void
check_cut_lines(const char *what, const char *s, bool html)
{
	const char *p, *nl, *q;
	size_t k, n;

	for (p = s; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		n = (size_t)(nl - p);
		ck_assert_msg(n <= 998, "%s: line of %zu bytes", what, n);
		for (k = 0; k < n;) {
			size_t u = pb_utf8_len((const unsigned char *)p + k,
			                       n - k);
			ck_assert_msg(u > 0, "%s: bad UTF-8 at %zu", what, k);
			k += u;
		}
		for (q = p; html && (q = memchr(q, '&', (size_t)(nl - q)));
		     q++)
			ck_assert_msg(memchr(q, ';', (size_t)(nl - q)) != NULL,
			              "%s: entity cut at a line end", what);
		if (*nl == '\0')
			break;
	}
}

/* A word longer than a line (a label from the operator, a diagnostic
 * from the bounce) is cut between characters and entities, never past
 * RFC 5322's 998 bytes. */
START_TEST(explain_long_words)
{
	static const char head[] = "[labels]\ntitle_failure = ";
	static const char tail[] =
	    "\n[generic]\nwhat = w\ncause = c\ntodo = t\nowner = o\n";
	struct pb_buf text, diag;
	struct pb_catalog *cat;
	struct pb_explanation ex;
	struct pb_rcpt r;
	size_t line, i;

	pb_buf_init(&text);
	pb_buf_init(&diag);
	pb_buf_adds(&text, head);
	for (i = 0; i < 700; i++)
		pb_buf_adds(&text, "\xc3\xa4&");
	pb_buf_adds(&text, tail);
	for (i = 0; i < 700; i++)
		pb_buf_adds(&diag, i % 2 ? "\xe2\x82\xac<" : "x\"");
	ck_assert(!text.failed && !diag.failed);
	ck_assert_int_eq(pb_catalog_parse(text.data, text.len, &cat, &line),
	                 PB_OK);
	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.reply = r.retry_until = S("");
	r.diagnostic = pb_buf_take(&diag);
	r.action = S("failed");
	r.status = S("5.9.9");
	r.failed = true;
	ck_assert_int_eq(pb_explain(V(cat), NULL, &r, 1, "", &ex), PB_OK);
	check_cut_lines("text", ex.text, false);
	check_cut_lines("html", ex.html, true);
	free(r.diagnostic);
	free(r.explained_by);
	pb_explanation_fini(&ex);
	pb_catalog_free(cat);
	pb_buf_fini(&text);
}
END_TEST

/* Long labels (translations run longer) are wrapped too. */
START_TEST(explain_long_labels)
{
	static const char text[] =
	    "[labels]\n"
	    "title_failure = Votre message n'a pas pu etre remis a son "
	    "destinataire pour une raison technique\n"
	    "details = Details techniques destines a votre administrateur de "
	    "messagerie electronique\n"
	    "original = Le rapport d'origine du serveur de messagerie suit "
	    "ci-dessous, sans modification.\n"
	    "what = Ce qui s'est passe, expliquee en quelques mots simples "
	    "pour "
	    "tout le monde :\n"
	    "[generic]\nwhat = w\ncause = c\ntodo = t\nowner = o\n";
	struct pb_catalog *cat;
	struct pb_explanation ex;
	struct pb_rcpt r;
	size_t line;
	char *t;

	ck_assert_int_eq(pb_catalog_parse(text, strlen(text), &cat, &line),
	                 PB_OK);
	memset(&r, 0, sizeof(r));
	r.addr = S("bob@example.org");
	r.alias = r.rhost = r.reply = r.diagnostic = r.retry_until = S("");
	r.action = S("failed");
	r.status = S("5.9.9");
	r.failed = true;
	ck_assert_int_eq(pb_explain(V(cat), NULL, &r, 1, "", &ex), PB_OK);
	check_lines("long labels", "text", ex.text, PB_EXPLAIN_WIDTH, false);
	ck_assert_ptr_nonnull(strstr(ex.text, "*** Votre message"));
	t = pb_explain_entry_text(V(cat), pb_catalog_get(cat, "generic"));
	check_lines("long labels", "entry text", t, PB_EXPLAIN_WIDTH, false);
	free(t);
	free(r.explained_by);
	pb_explanation_fini(&ex);
	pb_catalog_free(cat);
}
END_TEST

/* --- every built-in entry as support staff see it -------------------- */

START_TEST(explain_entry_text_all)
{
	struct pb_catalog *cat = parse(true);
	const struct pb_catalog_entry *e;
	char *t;
	size_t i;

	for (i = 0; (e = pb_catalog_at(cat, i)) != NULL; i++) {
		if (strcmp(pb_catalog_key(e), "labels") == 0)
			continue;
		t = pb_explain_entry_text(V(cat), e);
		ck_assert_ptr_nonnull(t);
		ck_assert_msg(strstr(t, "What happened:\n  ") == t, "[%s]: %s",
		              pb_catalog_key(e), t);
		ck_assert_ptr_nonnull(strstr(t, "\nWho must fix it:\n  "));
		check_lines(pb_catalog_key(e), "entry text", t,
		            PB_EXPLAIN_WIDTH, false);
		free(t);
	}
	pb_catalog_free(cat);
}
END_TEST

/* Placeholders stay as written in the support view. */
START_TEST(explain_entry_text_placeholders)
{
	struct pb_catalog *cat = parse(false);
	char *t = pb_explain_entry_text(V(cat), pb_catalog_get(cat, "generic"));

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(strstr(t, "Mail to {recipient} failed."));
	free(t);
	t = pb_explain_entry_text(V(cat), pb_catalog_get(cat, "delay:generic"));
	ck_assert_ptr_nonnull(strstr(t, "It retries until {retry_until}."));
	free(t);
	pb_catalog_free(cat);
}
END_TEST

Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc;

	tc = tcase_create("key");
	tcase_add_loop_test(tc, explain_key, 0, PB_NELEM(key_cases));
	tcase_add_loop_test(tc, explain_key_rule, 0, PB_NELEM(rule_cases));
	tcase_add_test(tc, explain_key_no_generic);
	suite_add_tcase(s, tc);

	tc = tcase_create("brand");
	tcase_add_loop_test(tc, explain_brand, 0, PB_NELEM(brand_cases));
	tcase_add_loop_test(tc, explain_width, 0, PB_NELEM(width_cases));
	tcase_add_test(tc, explain_wrap_utf8);
	tcase_add_test(tc, explain_long_labels);
	tcase_add_test(tc, explain_long_words);
	tcase_add_test(tc, explain_entry_text_all);
	tcase_add_test(tc, explain_entry_text_placeholders);
	suite_add_tcase(s, tc);

	tc = tcase_create("clean");
	tcase_add_loop_test(tc, explain_clean, 0, PB_NELEM(clean_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_loop_test(tc, explain_output, 0, PB_NELEM(ex_cases));
	tcase_add_loop_test(tc, explain_text_lines, 0, PB_NELEM(ex_cases));
	tcase_add_loop_test(tc, explain_html_lines, 0, NHTML_OK);
	tcase_add_loop_test(tc, explain_many, 0, NMANY_OK);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(explain_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
