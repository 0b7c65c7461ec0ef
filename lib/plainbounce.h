/*
 * plainbounce.h - public interface of libplainbounce.
 *
 * libplainbounce reads one message, decides whether it is a bounce (a
 * delivery status notification), works out per recipient why delivery
 * failed and produces a rewritten message with a plain-language
 * explanation at the top.  It knows nothing of libmilter, sockets,
 * syslog or configuration files.
 *
 * Use:
 *	struct pb_options opt;
 *	struct pb_ctx *ctx;
 *	struct pb_result *res;
 *
 *	pb_options_init(&opt);
 *	if (pb_ctx_new(&opt, &ctx) != PB_OK) ...
 *	if (pb_process(ctx, msg, len, &res) == PB_OK) { ...;
 *pb_result_free(res); } pb_ctx_free(ctx);
 *
 * A struct pb_ctx is immutable once made: any number of threads may call
 * pb_process() on the same context at once.  Each result belongs to the
 * caller.
 */
#ifndef PLAINBOUNCE_H
#define PLAINBOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status of every library call that can fail.  PB_OK is 0. */
enum pb_status {
	PB_OK = 0,
	PB_ENOMEM,    /* out of memory */
	PB_ELIMIT,    /* input exceeds a limit of struct pb_limits */
	PB_EINVAL,    /* invalid argument */
	PB_ECATALOG,  /* explanation catalog is unusable */
	PB_EINTERNAL, /* a library (GMime, iconv) failed unexpectedly */
};

/* pb_strerror - static English text for a status; never NULL */
const char *pb_strerror(enum pb_status st);

/* Resource caps.  Every allocation sized by input is bounded by one. */
struct pb_limits {
	size_t max_message_size; /* whole message, bytes */
	unsigned max_mime_depth; /* nesting of multiparts */
	unsigned max_parts;      /* MIME parts looked at */
	unsigned max_rcpts;      /* recipients kept per report */
	size_t max_field_len;    /* one DSN field or diagnostic, bytes */
};

/* What pb_process() may change. */
enum pb_mode {
	PB_MODE_REWRITE = 0, /* explanation in the body plus marker header */
	PB_MODE_HEADER_ONLY, /* only the marker header */
	PB_MODE_DRY_RUN,     /* analyse only: no edits */
};

/* A recipient domain and the language its users read (see
 * struct pb_options). */
struct pb_lang_map {
	const char *domain; /* borrows; also matches its subdomains */
	const char *lang;   /* borrows; "de" */
};

/* A help page for one reason (see struct pb_options). */
struct pb_help_url {
	const char *reason; /* borrows; "mailboxfull", ..., or "*" for any */
	const char *url;    /* borrows; http:// or https:// URL */
};

struct pb_options {
	struct pb_limits limits;
	enum pb_mode mode;
	const char *lang; /* borrows; language of the explanation ("en") */

	/* Catalog, languages and branding.  All borrowed: pb_ctx_new()
	 * copies what it keeps.  NULL (or 0) means "none". */
	const char *catalog_dir;       /* files named en, de, fr, es, ...;
	                                  NULL: built-in English only */
	const char *catalog_overrides; /* a catalog file whose entries replace
	                                  those of lang, or a directory of
	                                  such files named by language */
	const struct pb_lang_map *lang_map; /* bounce recipient's domain ->
	                                       language, first match wins */
	size_t nlang_map;
	const char *org_name;    /* {org}: "Example Mail" */
	const char *support;     /* {support}: URL or mail address */
	size_t max_message_size; /* {max_size}, bytes; 0: not shown */
	const struct pb_help_url *help_urls; /* {help_url} per reason */
	size_t nhelp_urls;
	const char *const *typo_domains; /* more well-known domains for the
	                                    typo hints (the operator's own) */
	size_t ntypo_domains;

	/* Backscatter: the operator's own identity (borrowed, copied).  A
	 * bounce whose returned original names none of these was probably
	 * not sent through us: pb_result.backscatter. */
	const char *const *local_hosts; /* names in our Received lines */
	size_t nlocal_hosts;
	const char *const *local_msgid_domains; /* our Message-ID domains */
	size_t nlocal_msgid_domains;
};

/* pb_options_init - fill opt with the compiled-in defaults */
void pb_options_init(struct pb_options *opt);

/* The kind of message (DESIGN.md section 2). */
enum pb_kind {
	PB_KIND_NONE = 0,
	PB_KIND_FAILURE,   /* at least one recipient failed */
	PB_KIND_DELAY,     /* at least one recipient delayed, none failed */
	PB_KIND_DELIVERED, /* success DSN: delivered, relayed, expanded */
	PB_KIND_FEEDBACK,  /* ARF abuse report (RFC 5965) */
	PB_KIND_MDN,       /* read receipt (RFC 8098) */
	PB_KIND_VACATION,  /* auto-reply (RFC 3834) */
};

/* pb_kind_name - "failure", "delay", ...; never NULL */
const char *pb_kind_name(enum pb_kind kind);

/* Failure reasons: Sisimai's taxonomy (DESIGN.md section 3). */
enum pb_reason {
	PB_REASON_UNDEFINED = 0,
	PB_REASON_USERUNKNOWN,
	PB_REASON_MAILBOXFULL,
	PB_REASON_HOSTUNKNOWN,
	PB_REASON_BLOCKED,
	PB_REASON_SPAMDETECTED,
	PB_REASON_POLICYVIOLATION,
	PB_REASON_FILTERED,
	PB_REASON_REJECTED,
	PB_REASON_EXPIRED,
	PB_REASON_MESGTOOBIG,
	PB_REASON_EXCEEDLIMIT,
	PB_REASON_NORELAYING,
	PB_REASON_NOTACCEPT,
	PB_REASON_NETWORKERROR,
	PB_REASON_SECURITYERROR,
	PB_REASON_SYSTEMERROR,
	PB_REASON_SYSTEMFULL,
	PB_REASON_TOOMANYCONN,
	PB_REASON_SUSPEND,
	PB_REASON_HASMOVED,
	PB_REASON_SYNTAXERROR,
	PB_REASON_CONTENTERROR,
	PB_REASON_MAILERERROR,
	PB_REASON_VIRUSDETECTED,
	PB_REASON_ONHOLD,
	PB_REASON_AUTHFAILURE,
	PB_REASON_REQUIREPTR,
	PB_REASON_BADREPUTATION,
	PB_REASON_SPEEDING,
	PB_REASON_NOTCOMPLIANTRFC,
	PB_REASON_COUNT
};

/* pb_reason_name - "userunknown", ...; never NULL */
const char *pb_reason_name(enum pb_reason reason);

/* Who can fix a failure. */
enum pb_fix_owner {
	PB_FIX_SENDER = 0, /* the person who sent the message */
	PB_FIX_RECIPIENT,  /* the recipient or the recipient's admin */
	PB_FIX_PROVIDER,   /* our own mail service */
};

/* pb_fix_owner_name - "sender", "recipient", "provider"; never NULL */
const char *pb_fix_owner_name(enum pb_fix_owner owner);

/* One recipient of a report.  Strings are NUL-terminated UTF-8 or
 * whatever bytes the bounce held, never NULL ("" when absent), and
 * capped at limits.max_field_len. */
struct pb_rcpt {
	char *addr;        /* Final-Recipient address */
	char *alias;       /* Original-Recipient address */
	char *action;      /* failed, delayed, delivered, ... (lower case) */
	char *status;      /* enhanced status code as written, e.g. 5.1.1 */
	char *reply;       /* basic reply code from the diagnostic, e.g. 550 */
	char *rhost;       /* Remote-MTA host */
	char *diagnostic;  /* Diagnostic-Code text, unfolded, type removed */
	char *retry_until; /* Will-Retry-Until */
	char *command;     /* SMTP command the failure answered: CONN, HELO,
	                      MAIL, RCPT, DATA, or "" when not known */
	enum pb_reason reason;
	const char *rule; /* view (static): the text rule that matched, e.g.
	                     "google-dmarc"; its catalog key is rule:NAME;
	                     "" when none did */
	bool hard;        /* permanent failure */
	bool failed;      /* action failed or delayed: to be explained */
	enum pb_fix_owner fix_owner;
	char *explained_by; /* catalog key of the text, "" if none */
};

/* One edit of the message header, in the order they must be applied. */
enum pb_edit_op {
	PB_EDIT_ADD = 0, /* append header "name: value" */
	PB_EDIT_CHANGE,  /* replace the first header called name */
};

struct pb_edit {
	enum pb_edit_op op;
	char *name;
	char *value; /* unfolded; may hold no CR or LF */
};

/* Defect flags: odd input noticed and worked around. */
#define PB_DEFECT_MIME 0x0001u         /* GMime could not parse all of it */
#define PB_DEFECT_DEPTH 0x0002u        /* MIME nesting cut at the limit */
#define PB_DEFECT_PARTS 0x0004u        /* too many parts; rest ignored */
#define PB_DEFECT_RCPTS 0x0008u        /* too many recipients; rest dropped */
#define PB_DEFECT_FIELD 0x0010u        /* a field was cut at the limit */
#define PB_DEFECT_DSN 0x0020u          /* a malformed DSN field was skipped */
#define PB_DEFECT_ENCODING 0x0040u     /* a part could not be decoded */
#define PB_DEFECT_CR_ONLY 0x0080u      /* CR-only line ends were converted */
#define PB_DEFECT_NO_TEXT_PART 0x0100u /* nowhere to put the text */

/* The outcome of pb_process(). */
struct pb_result {
	enum pb_kind kind;
	bool bounce;         /* kind is failure or delay */
	bool already_marked; /* carries X-Plainbounce: left alone */
	bool backscatter;    /* the returned original never passed through
	                        us (only with local_hosts/local_msgid_domains) */
	unsigned defects;    /* PB_DEFECT_* */
	char *reporting_mta; /* "" when absent */
	struct pb_rcpt *rcpts;
	size_t nrcpts;

	/* The rewrite.  changed is false when the message must pass as it
	 * is; then edits and body are empty.  Otherwise apply the header
	 * edits in order, then replace the whole body with body (when
	 * body_replaced).  Line ends in body match the input's. */
	bool changed;
	struct pb_edit *edits;
	size_t nedits;
	bool body_replaced;
	char *body;
	size_t body_len;
	char *marker; /* value of the X-Plainbounce header, or NULL */
};

/* The header that marks an explained message. */
#define PB_MARKER_HEADER "X-Plainbounce"

struct pb_ctx;

/*
 * pb_ctx_new - make an immutable processing context from opt (borrowed;
 * strings are copied).  On PB_OK *out holds a new context, to be freed
 * with pb_ctx_free(); on failure *out is NULL.  The first call starts
 * GMime for the process and registers message/rfc822, message/global
 * and message/news as plain parts (GMime then never parses a returned
 * original): a program that also uses GMime itself sees that too.
 */
enum pb_status pb_ctx_new(const struct pb_options *opt, struct pb_ctx **out);

/* pb_ctx_free - release a context; NULL is a no-op */
void pb_ctx_free(struct pb_ctx *ctx);

/*
 * pb_ctx_new_err - pb_ctx_new() that also says what went wrong: on
 * failure *err (when err is not NULL) is new English text for the user,
 * naming the catalog file and line for PB_ECATALOG ("/usr/share/
 * plainbounce/catalog/de:12: unknown key"), or NULL when there is none
 * to add to pb_strerror(); free() it.  On PB_OK *err is NULL.
 */
enum pb_status pb_ctx_new_err(const struct pb_options *opt, struct pb_ctx **out,
                              char **err);

/*
 * pb_ctx_lang - returns view (life of ctx): the language used for a
 * bounce addressed to rcpt (borrowed; an address or a bare domain, may
 * be NULL): the lang_map entry of its domain, else the default.
 */
const char *pb_ctx_lang(const struct pb_ctx *ctx, const char *rcpt);

/*
 * pb_ctx_explain_code - the catalog text for a basic reply code ("550")
 * or an enhanced status code ("5.7.26") in language lang (borrowed;
 * NULL: the default), as support staff look it up.  A 4xx or 4.x.x code
 * is explained as a delay.  Placeholders stay as they are ({recipient}).
 * PB_OK: *key (the catalog key, e.g. "status:5.7.26") and *text (plain
 * text, lines of at most 76 characters) are new; free() them.
 * PB_EINVAL: code is neither form; PB_ECATALOG: lang was not loaded;
 * PB_ENOMEM.  On failure both are NULL.
 */
enum pb_status pb_ctx_explain_code(const struct pb_ctx *ctx, const char *lang,
                                   const char *code, char **key, char **text);

/*
 * pb_process - run the whole pipeline on one message (header and body,
 * as on the wire; LF, CRLF or CR-only line ends).  Borrows msg.
 * PB_OK: *out is a new result, free it with pb_result_free().  Odd input
 * is never an error: it yields kind PB_KIND_NONE or defect flags.
 * PB_ENOMEM, PB_ELIMIT (message larger than max_message_size),
 * PB_EINVAL, PB_EINTERNAL: *out is NULL and the caller must pass the
 * message on unchanged.
 */
enum pb_status pb_process(const struct pb_ctx *ctx, const char *msg, size_t len,
                          struct pb_result **out);

/*
 * pb_process_rcpt - pb_process() for a bounce addressed to rcpt
 * (borrowed; the envelope recipient, may be NULL): the explanation is
 * in the language pb_ctx_lang(ctx, rcpt) gives.  With rcpt NULL the
 * first address of the To: header decides.
 */
enum pb_status pb_process_rcpt(const struct pb_ctx *ctx, const char *rcpt,
                               const char *msg, size_t len,
                               struct pb_result **out);

/*
 * pb_is_other_report - is ct (borrowed; the value of a top-level
 * Content-Type header, NULL allowed) a report about something other than
 * delivery: a read receipt (RFC 8098) or an abuse report (RFC 5965)?
 * For a filter that sees the header first and wants to let such
 * messages go before their body arrives.
 */
bool pb_is_other_report(const char *ct);

/*
 * pb_result_summary - the comma lists of the distinct reason names and
 * status codes of res's failed recipients (as in the X-Plainbounce
 * header; "" when there are none).  PB_OK: both new (free()); PB_ENOMEM:
 * both NULL.  Only reason names and well-formed codes: safe for a log.
 */
enum pb_status pb_result_summary(const struct pb_result *res, char **reasons,
                                 char **statuses);

/* pb_result_free - release a result; NULL is a no-op */
void pb_result_free(struct pb_result *res);

/*
 * pb_result_render - the whole rewritten message: the input's header
 * with res's edits applied, then res->body (or the input's body).
 * Borrows msg and res.  PB_OK: *out is new (free()), *outlen its length.
 * When res->changed is false the output equals the input.
 */
enum pb_status pb_result_render(const struct pb_result *res, const char *msg,
                                size_t len, char **out, size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif /* PLAINBOUNCE_H */
