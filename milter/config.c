/*
 * config.c - read the daemon's "Key value" configuration file from one
 *            table of known keys (STYLE.md section 8).
 *
 * Input:     a file name (or none: built-in defaults), command-line
 *            overrides as key/value pairs.
 * Output:    struct mf_config, immutable once returned.
 * Ownership: mf_config_load() returns new; mf_config_free() releases.
 *            Every string in the struct is a copy.
 * Status:    0 or -1 with a message "file:line: ..." in the caller's
 *            buffer.  Unknown keys, bad values, duplicates and a
 *            missing explicit file are errors; a missing default file
 *            is not (the compiled-in defaults then apply).
 * Limits:    MF_CONF_MAX_LINE bytes per line, MF_CONF_MAX_LIST items.
 *
 * Format: one "Key value" per line; keys are case-insensitive; the
 * value is the rest of the line with surrounding blanks removed; lines
 * that are empty or start with "#" are ignored.  No libmilter here.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "plainbounce.h"
#include "mf.h"
#include "mf_config.h"

#define MF_CONF_MAX_LINE 4096
#define MF_CONF_MAX_LIST 256

enum conf_type {
	CT_STRING,   /* any text, may be empty */
	CT_SOCKET,   /* unix:/path, local:/path, inet:port@host, inet6:... */
	CT_OCTAL,    /* file mode, e.g. 0660 */
	CT_UINT,     /* decimal number within min..max */
	CT_SIZE,     /* number with optional k, M or G suffix */
	CT_BOOL,     /* yes/no, true/false, on/off, 1/0 */
	CT_MODE,     /* rewrite, header-only, dry-run */
	CT_LANG,     /* two or three lower-case letters */
	CT_LIST,     /* patterns separated by commas or blanks */
	CT_PAIRS,    /* name=value items separated by commas or blanks */
	CT_LEVEL,    /* err, warning, notice, info, debug */
	CT_FACILITY, /* mail, daemon, local0 ... local7 */
};

/* The key table: name, type, where it goes, default, bounds, help. */
static const struct conf_key {
	const char *name;
	enum conf_type type;
	size_t off;
	const char *def;
	unsigned long long min, max;
	const char *help;
} keys[] = {
#define OFF(f) offsetof(struct mf_config, f)
    {"Socket", CT_SOCKET, OFF(socket), "unix:/run/plainbounce/plainbounce.sock",
     0, 0, "where to listen: unix:/path, inet:port@host, inet6:port@host"},
    {"SocketMode", CT_OCTAL, OFF(socket_mode), "0660", 0, 0777,
     "permissions of a unix socket"},
    {"SocketGroup", CT_STRING, OFF(socket_group), "", 0, 0,
     "group of a unix socket (e.g. postfix); empty: the user's group"},
    {"UserID", CT_STRING, OFF(user_id), "", 0, 0,
     "user[:group] to run as after opening the socket"},
    {"PidFile", CT_STRING, OFF(pid_file), "", 0, 0,
     "file to write the process id to; empty: none"},
    {"Mode", CT_MODE, OFF(mode), "rewrite", 0, 0,
     "rewrite, header-only or dry-run"},
    {"DefaultLanguage", CT_LANG, OFF(default_language), "en", 0, 0,
     "language of the explanations"},
    {"CatalogDir", CT_STRING, OFF(catalog_dir), "", 0, 0,
     "directory of catalog files (en, de, ...); empty: English built in, "
     "other languages from the installed catalogs"},
    {"CatalogOverrides", CT_STRING, OFF(catalog_overrides), "", 0, 0,
     "catalog file (or directory of files by language) whose entries "
     "replace the shipped ones"},
    {"Organization", CT_STRING, OFF(organization), "", 0, 0,
     "your organisation's name, {org} in the explanations"},
    {"Support", CT_STRING, OFF(support), "", 0, 0,
     "support URL or address, {support} in the explanations"},
    {"MaxMessageSize", CT_SIZE, OFF(max_message_size), "10M", 1024, 1ull << 30,
     "bigger bounces pass unchanged (bytes; k, M, G)"},
    {"BounceSenders", CT_LIST, OFF(bounce_senders), "MAILER-DAEMON@*", 0, 0,
     "non-null envelope senders treated like the null sender"},
    {"LocalHosts", CT_LIST, OFF(local_hosts), "", 0, 0,
     "host names in the Received lines of your own servers; a bounce "
     "whose returned message shows none of them (nor a LocalMessageIdDomains "
     "Message-ID) is explained as backscatter"},
    {"LanguageMap", CT_PAIRS, OFF(language_map), "", 0, 0,
     "language per recipient domain, e.g. \"example.de=de, example.fr=fr\" "
     "(a domain also stands for its subdomains); others get "
     "DefaultLanguage"},
    {"HelpURL", CT_PAIRS, OFF(help_url), "", 0, 0,
     "help page per reason, e.g. \"mailboxfull=https://help.example/full, "
     "*=https://help.example/bounces\" ({help_url} in the explanations)"},
    {"TypoDomains", CT_LIST, OFF(typo_domains), "", 0, 0,
     "your own mail domains, for the \"did you mean\" hints"},
    {"LocalMessageIdDomains", CT_LIST, OFF(local_msgid_domains), "", 0, 0,
     "domains of the Message-IDs your servers and users' programs make"},
    {"Syslog", CT_BOOL, OFF(syslog), "yes", 0, 0,
     "log to syslog (-f logs to standard error instead)"},
    {"SyslogFacility", CT_FACILITY, OFF(syslog_facility), "mail", 0, 0,
     "syslog facility"},
    {"LogLevel", CT_LEVEL, OFF(log_level), "notice", 0, 0,
     "err, warning, notice, info or debug"},
    {"StatsInterval", CT_UINT, OFF(stats_interval), "3600", 0, 604800,
     "seconds between statistics lines; 0: only on SIGUSR1"},
    {"ShutdownWait", CT_UINT, OFF(shutdown_wait), "30", 0, 3600,
     "seconds SIGTERM waits for messages in progress"},
    {"MilterTimeout", CT_UINT, OFF(milter_timeout), "300", 1, 86400,
     "seconds to wait for the MTA before giving up a session"},
#undef OFF
};

/* Names of enumerated values. */
struct conf_name {
	const char *name;
	int value;
};

static const struct conf_name levels[] = {{"err", LOG_ERR},
                                          {"warning", LOG_WARNING},
                                          {"notice", LOG_NOTICE},
                                          {"info", LOG_INFO},
                                          {"debug", LOG_DEBUG}},
                              facilities[] = {{"mail", LOG_MAIL},
                                              {"daemon", LOG_DAEMON},
                                              {"user", LOG_USER},
                                              {"local0", LOG_LOCAL0},
                                              {"local1", LOG_LOCAL1},
                                              {"local2", LOG_LOCAL2},
                                              {"local3", LOG_LOCAL3},
                                              {"local4", LOG_LOCAL4},
                                              {"local5", LOG_LOCAL5},
                                              {"local6", LOG_LOCAL6},
                                              {"local7", LOG_LOCAL7}},
                              modes[] = {{"rewrite", PB_MODE_REWRITE},
                                         {"header-only", PB_MODE_HEADER_ONLY},
                                         {"dry-run", PB_MODE_DRY_RUN}};

/* fail - format "where: message" into err; returns -1 */
static int MF_PRINTF(4, 5)
    fail(char *err, size_t errlen, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", where, msg);
	return -1;
}

/* find_key - the table entry for name (case-insensitive), or NULL */
static const struct conf_key *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < MF_NELEM(keys); i++)
		if (strcasecmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* parse_number - decimal (base 10) or octal (base 8) with an optional
 * size suffix when sized; returns 0 and *out, or -1 */
static int
parse_number(const char *s, int base, bool sized, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0)
		return -1;
	if (sized && *end != '\0' && end[1] == '\0') {
		unsigned shift = 0;

		switch (*end) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		default:
			return -1;
		}
		if (v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
		end++;
	}
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* lookup_name - value of name in a names table, or -1 when absent */
static int
lookup_name(const char *name, const struct conf_name *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

/* free_list - release a NULL-terminated list of strings */
static void
free_list(char **list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

/* split_list - split on commas and blanks; returns new list (NULL-
 * terminated) and *n, or NULL on error with the reason in why */
static char **
split_list(const char *s, size_t *n, const char **why)
{
	char **list = calloc(MF_CONF_MAX_LIST + 1, sizeof(*list));
	size_t k = 0, len, i;

	*why = "out of memory";
	if (list == NULL)
		return NULL;
	for (;;) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		len = strcspn(s, ", \t");
		if (k == MF_CONF_MAX_LIST) {
			*why = "too many items";
			goto fail;
		}
		if ((list[k] = strndup(s, len)) == NULL)
			goto fail;
		/* names are matched without case; a pair's value (a URL,
		 * a language) keeps its own */
		for (i = 0; i < len && list[k][i] != '='; i++)
			list[k][i] = (char)tolower((unsigned char)list[k][i]);
		k++;
		s += len;
	}
	*n = k;
	return list;
fail:
	free_list(list);
	return NULL;
}

/* valid_socket - is s a socket spec libmilter understands? */
static bool
valid_socket(const char *s)
{
	const char *at;
	unsigned long long port;
	char buf[16];
	size_t n;

	if (strncmp(s, "unix:", 5) == 0 || strncmp(s, "local:", 6) == 0)
		return strchr(s, '/') != NULL && s[strlen(s) - 1] != '/';
	if (strncmp(s, "inet:", 5) == 0)
		s += 5;
	else if (strncmp(s, "inet6:", 6) == 0)
		s += 6;
	else
		return false;
	at = strchr(s, '@');
	n = at != NULL ? (size_t)(at - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_number(buf, 10, false, &port) != 0 || port == 0 ||
	    port > 65535)
		return false;
	return at == NULL || at[1] != '\0';
}

/* set_value - store text as key k's value in cfg; 0 or -1 (err) */
static int
set_value(struct mf_config *cfg, const struct conf_key *k, const char *text,
          const char *where, char *err, size_t errlen)
{
	void *field = (char *)cfg + k->off;
	unsigned long long v;
	const char *why;
	char *copy;
	int iv;
	size_t n, i;
	char **list;

	switch (k->type) {
	case CT_SOCKET:
		if (!valid_socket(text))
			return fail(err, errlen, where,
			            "%s: bad socket \"%s\" (want unix:/path, "
			            "inet:port@host or inet6:port@host)",
			            k->name, text);
		/* fall through */
	case CT_STRING:
		if ((copy = strdup(text)) == NULL)
			return fail(err, errlen, where, "out of memory");
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	case CT_LANG:
		n = strlen(text);
		if (n < 2 || n > 3 ||
		    strspn(text, "abcdefghijklmnopqrstuvwxyz") != n)
			return fail(err, errlen, where,
			            "%s: bad language \"%s\" (want e.g. en)",
			            k->name, text);
		if ((copy = strdup(text)) == NULL)
			return fail(err, errlen, where, "out of memory");
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	case CT_OCTAL:
		if (parse_number(text, 8, false, &v) != 0 || v > k->max)
			return fail(
			    err, errlen, where,
			    "%s: bad mode \"%s\" (want octal, e.g. 0660)",
			    k->name, text);
		*(unsigned *)field = (unsigned)v;
		return 0;
	case CT_UINT:
	case CT_SIZE:
		if (parse_number(text, 10, k->type == CT_SIZE, &v) != 0 ||
		    v < k->min || v > k->max)
			return fail(err, errlen, where,
			            "%s: bad value \"%s\" (want %s%llu..%llu)",
			            k->name, text,
			            k->type == CT_SIZE ? "bytes " : "", k->min,
			            k->max);
		if (k->type == CT_SIZE)
			*(size_t *)field = (size_t)v;
		else
			*(unsigned *)field = (unsigned)v;
		return 0;
	case CT_BOOL:
		if (strcasecmp(text, "yes") == 0 ||
		    strcasecmp(text, "true") == 0 ||
		    strcasecmp(text, "on") == 0 || strcmp(text, "1") == 0)
			*(bool *)field = true;
		else if (strcasecmp(text, "no") == 0 ||
		         strcasecmp(text, "false") == 0 ||
		         strcasecmp(text, "off") == 0 || strcmp(text, "0") == 0)
			*(bool *)field = false;
		else
			return fail(err, errlen, where,
			            "%s: bad value \"%s\" (want yes or no)",
			            k->name, text);
		return 0;
	case CT_MODE:
		if ((iv = lookup_name(text, modes, MF_NELEM(modes))) < 0)
			return fail(err, errlen, where,
			            "%s: bad value \"%s\" (want rewrite, "
			            "header-only or dry-run)",
			            k->name, text);
		*(enum pb_mode *)field = (enum pb_mode)iv;
		return 0;
	case CT_LEVEL:
		if ((iv = lookup_name(text, levels, MF_NELEM(levels))) < 0)
			return fail(err, errlen, where,
			            "%s: bad value \"%s\" (want err, warning, "
			            "notice, info or debug)",
			            k->name, text);
		*(int *)field = iv;
		return 0;
	case CT_FACILITY:
		if ((iv = lookup_name(text, facilities, MF_NELEM(facilities))) <
		    0)
			return fail(err, errlen, where,
			            "%s: bad value \"%s\" (want mail, daemon, "
			            "user or local0..local7)",
			            k->name, text);
		*(int *)field = iv;
		return 0;
	case CT_PAIRS:
	case CT_LIST:
		if ((list = split_list(text, &n, &why)) == NULL)
			return fail(err, errlen, where, "%s: %s", k->name, why);
		for (i = 0; k->type == CT_PAIRS && i < n; i++) {
			const char *eq = strchr(list[i], '=');
			if (eq == NULL || eq == list[i] || eq[1] == '\0') {
				fail(err, errlen, where,
				     "%s: \"%s\" is not name=value", k->name,
				     list[i]);
				free_list(list);
				return -1;
			}
		}
		free_list(((struct mf_list *)field)->v);
		((struct mf_list *)field)->v = list;
		((struct mf_list *)field)->n = n;
		return 0;
	}
	return fail(err, errlen, where, "%s: internal error", k->name);
}

/* trim - remove blanks at both ends of s in place; returns s */
static char *
trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* read_file - apply every line of fp (named name) to cfg; 0 or -1 */
static int
read_file(struct mf_config *cfg, FILE *fp, const char *name, char *err,
          size_t errlen)
{
	char line[MF_CONF_MAX_LINE + 2], where[512], *p, *val;
	bool seen[MF_NELEM(keys)] = {false};
	const struct conf_key *k;
	unsigned long lineno = 0;
	size_t n;

	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu", name, lineno);
		n = strlen(line);
		if (n > MF_CONF_MAX_LINE && line[n - 1] != '\n')
			return fail(err, errlen, where,
			            "line longer than %d bytes",
			            MF_CONF_MAX_LINE);
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		n = strcspn(p, " \t");
		val = p + n;
		if (*val != '\0')
			*val++ = '\0';
		val = trim(val);
		if ((k = find_key(p)) == NULL)
			return fail(err, errlen, where, "unknown key \"%s\"",
			            p);
		if (seen[k - keys])
			return fail(err, errlen, where, "%s set twice",
			            k->name);
		seen[k - keys] = true;
		if (*val == '\0' && k->type != CT_STRING &&
		    k->type != CT_LIST && k->type != CT_PAIRS)
			return fail(err, errlen, where, "%s: missing value",
			            k->name);
		if (set_value(cfg, k, val, where, err, errlen) != 0)
			return -1;
	}
	if (ferror(fp))
		return fail(err, errlen, name, "read error: %s",
		            strerror(errno));
	return 0;
}

void
mf_config_free(struct mf_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < MF_NELEM(keys); i++)
		if (keys[i].type == CT_STRING || keys[i].type == CT_SOCKET ||
		    keys[i].type == CT_LANG) {
			char **f = (char **)((char *)cfg + keys[i].off);

			free(*f);
			*f = NULL;
		}
	free(cfg->file);
	free_list(cfg->bounce_senders.v);
	free_list(cfg->local_hosts.v);
	free_list(cfg->local_msgid_domains.v);
	free_list(cfg->language_map.v);
	free_list(cfg->help_url.v);
	free_list(cfg->typo_domains.v);
	free(cfg->lang_map);
	free(cfg->help_urls);
	free(cfg);
}

/* nonempty - s, or NULL for "" */
static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* split_pairs - the library's views of LanguageMap and HelpURL: the
 * name=value items are cut at '=' in place; 0, or -1 on ENOMEM */
static int
split_pairs(struct mf_config *cfg)
{
	size_t i;
	char *eq;

	cfg->lang_map = calloc(cfg->language_map.n + 1, sizeof(*cfg->lang_map));
	cfg->help_urls = calloc(cfg->help_url.n + 1, sizeof(*cfg->help_urls));
	if (cfg->lang_map == NULL || cfg->help_urls == NULL)
		return -1;
	for (i = 0; i < cfg->language_map.n; i++) {
		eq = strchr(cfg->language_map.v[i], '=');
		*eq = '\0';
		cfg->lang_map[i].domain = cfg->language_map.v[i];
		cfg->lang_map[i].lang = eq + 1;
		for (eq++; *eq != '\0'; eq++) /* language tags, like DE */
			*eq = (char)tolower((unsigned char)*eq);
	}
	for (i = 0; i < cfg->help_url.n; i++) {
		eq = strchr(cfg->help_url.v[i], '=');
		*eq = '\0';
		cfg->help_urls[i].reason = cfg->help_url.v[i];
		cfg->help_urls[i].url = eq + 1;
	}
	return 0;
}

int
mf_config_load(const char *path, const struct mf_override *ov, size_t nov,
               struct mf_config **out, char *err, size_t errlen)
{
	struct mf_config *cfg;
	const struct conf_key *k;
	const char *name = path != NULL ? path : MF_DEFAULT_CONFIG;
	FILE *fp;
	size_t i;
	int rc;

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return fail(err, errlen, name, "out of memory");
	for (i = 0; i < MF_NELEM(keys); i++)
		if (set_value(cfg, &keys[i], keys[i].def, "built-in default",
		              err, errlen) != 0)
			goto fail;
	if ((fp = fopen(name, "r")) == NULL) {
		if (path != NULL || errno != ENOENT) {
			fail(err, errlen, name, "%s", strerror(errno));
			goto fail;
		}
		cfg->file = strdup("");
	} else {
		rc = read_file(cfg, fp, name, err, errlen);
		fclose(fp);
		if (rc != 0)
			goto fail;
		cfg->file = strdup(name);
	}
	if (cfg->file == NULL) {
		fail(err, errlen, name, "out of memory");
		goto fail;
	}
	for (i = 0; i < nov; i++) {
		if ((k = find_key(ov[i].key)) == NULL) {
			fail(err, errlen, "command line", "unknown key \"%s\"",
			     ov[i].key);
			goto fail;
		}
		if (set_value(cfg, k, ov[i].value, "command line", err,
		              errlen) != 0)
			goto fail;
	}
	if (split_pairs(cfg) != 0) {
		fail(err, errlen, name, "out of memory");
		goto fail;
	}
	*out = cfg;
	return 0;
fail:
	mf_config_free(cfg);
	return -1;
}

void
mf_config_options(const struct mf_config *cfg, struct pb_options *opt)
{
	opt->mode = cfg->mode;
	opt->lang = cfg->default_language;
	/* the milter caps the buffer; the library's cap is the same */
	opt->limits.max_message_size = cfg->max_message_size;
	opt->max_message_size = cfg->max_message_size;
	opt->catalog_dir = nonempty(cfg->catalog_dir);
	opt->catalog_overrides = nonempty(cfg->catalog_overrides);
	opt->org_name = nonempty(cfg->organization);
	opt->support = nonempty(cfg->support);
	opt->lang_map = cfg->lang_map;
	opt->nlang_map = cfg->language_map.n;
	opt->help_urls = cfg->help_urls;
	opt->nhelp_urls = cfg->help_url.n;
	opt->typo_domains = (const char *const *)cfg->typo_domains.v;
	opt->ntypo_domains = cfg->typo_domains.n;
	opt->local_hosts = (const char *const *)cfg->local_hosts.v;
	opt->nlocal_hosts = cfg->local_hosts.n;
	opt->local_msgid_domains =
	    (const char *const *)cfg->local_msgid_domains.v;
	opt->nlocal_msgid_domains = cfg->local_msgid_domains.n;
}

/* literal_differs - does sender[0..n) differ from the literal start of
 * the pattern pat (lower case), before its first wildcard?  Then pat
 * cannot match; this usually shows at the first byte. */
static bool
literal_differs(const char *pat, const char *sender, size_t n)
{
	size_t k;
	unsigned char c;

	for (k = 0; pat[k] != '\0' && pat[k] != '*' && pat[k] != '?' &&
	            pat[k] != '[' && pat[k] != '\\';
	     k++) {
		if (k == n)
			return true;
		c = (unsigned char)sender[k];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + ('a' - 'A'));
		if (c != (unsigned char)pat[k])
			return true;
	}
	return false;
}

bool
mf_config_is_bounce_sender(const struct mf_config *cfg, const char *sender,
                           size_t n)
{
	char low[1024];
	const char *pat;
	size_t i, k;
	bool lowered = false;

	/* fnmatch() without the GNU-only FNM_CASEFOLD: patterns are stored
	 * in lower case, the sender is lowered here, but only once a
	 * pattern's literal start matches: this runs for every ordinary
	 * message, whose sender is rarely "mailer-daemon@..." */
	for (i = 0; i < cfg->bounce_senders.n; i++) {
		pat = cfg->bounce_senders.v[i];
		if (literal_differs(pat, sender, n))
			continue;
		if (!lowered) {
			if (n >= sizeof(low) || memchr(sender, '\0', n) != NULL)
				return false;
			for (k = 0; k < n; k++)
				low[k] = (char)tolower((unsigned char)sender[k]);
			low[n] = '\0';
			lowered = true;
		}
		if (fnmatch(pat, low, 0) == 0)
			return true;
	}
	return false;
}

const char *
mf_config_mode_name(enum pb_mode mode)
{
	size_t i;

	for (i = 0; i < MF_NELEM(modes); i++)
		if (modes[i].value == (int)mode)
			return modes[i].name;
	return "?";
}

/* name_of - the name of value in a names table, or "?" */
static const char *
name_of(int value, const struct conf_name *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}

void
mf_config_print(const struct mf_config *cfg, FILE *fp)
{
	const struct conf_key *k;
	const void *field;
	size_t i;

	for (k = keys; k < keys + MF_NELEM(keys); k++) {
		field = (const char *)cfg + k->off;
		fprintf(fp, "%-16s ", k->name);
		switch (k->type) {
		case CT_STRING:
		case CT_SOCKET:
		case CT_LANG:
			fputs(*(char *const *)field, fp);
			break;
		case CT_OCTAL:
			fprintf(fp, "%04o", *(const unsigned *)field);
			break;
		case CT_UINT:
			fprintf(fp, "%u", *(const unsigned *)field);
			break;
		case CT_SIZE:
			fprintf(fp, "%zu", *(const size_t *)field);
			break;
		case CT_BOOL:
			fputs(*(const bool *)field ? "yes" : "no", fp);
			break;
		case CT_MODE:
			fputs(mf_config_mode_name(*(const enum pb_mode *)field),
			      fp);
			break;
		case CT_LEVEL:
			fputs(name_of(*(const int *)field, levels,
			              MF_NELEM(levels)),
			      fp);
			break;
		case CT_FACILITY:
			fputs(name_of(*(const int *)field, facilities,
			              MF_NELEM(facilities)),
			      fp);
			break;
		case CT_LIST:
			for (i = 0; i < ((const struct mf_list *)field)->n; i++)
				fprintf(fp, "%s%s", i ? ", " : "",
				        ((const struct mf_list *)field)->v[i]);
			break;
		case CT_PAIRS: /* split at '=' by split_pairs() */
			for (i = 0; i < ((const struct mf_list *)field)->n;
			     i++) {
				const char *v =
				    ((const struct mf_list *)field)->v[i];
				fprintf(fp, "%s%s=%s", i ? ", " : "", v,
				        v + strlen(v) + 1);
			}
			break;
		}
		fputc('\n', fp);
	}
}
