/*
 * mf_config.h - interface of config.c, the daemon's configuration: one
 * immutable struct filled from compiled-in defaults, an optional
 * "Key value" file and the command-line overrides.  (Not "config.h":
 * that name belongs to configure's header.)  No libmilter here:
 * plainbounce-explain may link this module too.
 */
#ifndef MF_CONFIG_H
#define MF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plainbounce.h"

/* A list value: v[0..n), NULL-terminated. */
struct mf_list {
	char **v;
	size_t n;
};

struct mf_config {
	char *file;              /* file read, "" for built-in defaults only */
	char *socket;            /* Socket: unix:/path, inet:port@host, ... */
	unsigned socket_mode;    /* SocketMode (octal) */
	char *socket_group;      /* SocketGroup: "" keeps the owner's group */
	char *user_id;           /* UserID user[:group], "" keeps the caller */
	char *pid_file;          /* PidFile, "" for none */
	enum pb_mode mode;       /* Mode */
	char *default_language;  /* DefaultLanguage */
	char *catalog_dir;       /* CatalogDir, "" for the installed one */
	char *catalog_overrides; /* CatalogOverrides, "" for none */
	char *organization;      /* Organization: {org} in the texts */
	char *support;           /* Support: {support} in the texts */
	size_t max_message_size; /* MaxMessageSize, bytes */
	struct mf_list bounce_senders; /* BounceSenders: patterns (fnmatch) */
	struct mf_list local_hosts;    /* LocalHosts: our Received names */
	struct mf_list language_map;   /* LanguageMap: domain=lang items */
	struct mf_list help_url;       /* HelpURL: reason=url items */
	struct mf_list typo_domains;   /* TypoDomains */
	struct pb_lang_map *lang_map;  /* LanguageMap split at '=' */
	struct pb_help_url *help_urls; /* HelpURL split at '=' */
	struct mf_list local_msgid_domains; /* LocalMessageIdDomains */
	bool syslog;                        /* Syslog */
	int syslog_facility;                /* SyslogFacility, LOG_MAIL ... */
	int log_level;           /* LogLevel, LOG_ERR ... LOG_DEBUG */
	unsigned stats_interval; /* StatsInterval, seconds; 0 = never */
	unsigned shutdown_wait;  /* ShutdownWait: seconds SIGTERM waits */
	unsigned milter_timeout; /* MilterTimeout: seconds per MTA reply */
};

/* One command-line override: the flag's value replaces the key's. */
struct mf_override {
	const char *key;   /* borrows; a name from the key table */
	const char *value; /* borrows */
};

/*
 * mf_config_load - build a configuration: defaults, then the file at
 * path (borrowed; NULL means the compiled-in MF_DEFAULT_CONFIG, which
 * may be absent; an explicit path must exist), then the overrides.
 * Returns 0 and *out new (mf_config_free()), or -1 with *out NULL and a
 * message naming file and line in err.
 */
int mf_config_load(const char *path, const struct mf_override *ov, size_t nov,
                   struct mf_config **out, char *err, size_t errlen);

/* mf_config_options - fill the library options that cfg sets (opt is
 * initialised by the caller; its strings become views into cfg, valid
 * while cfg lives) */
void mf_config_options(const struct mf_config *cfg, struct pb_options *opt);

/* mf_config_free - release a configuration; NULL is a no-op */
void mf_config_free(struct mf_config *cfg);

/* mf_config_is_bounce_sender - does the envelope sender sender[0..n)
 * (borrowed, without angle brackets) match one of BounceSenders? */
bool mf_config_is_bounce_sender(const struct mf_config *cfg,
                                const char *sender, size_t n);

/* mf_config_print - write every key with its effective value to fp */
void mf_config_print(const struct mf_config *cfg, FILE *fp);

/* mf_config_mode_name - "rewrite", "header-only" or "dry-run" */
const char *mf_config_mode_name(enum pb_mode mode);

#endif /* MF_CONFIG_H */
