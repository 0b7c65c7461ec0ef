/*
 * plainbounce.c - the milter daemon: options, configuration, socket,
 *                 privileges, signals, and the libmilter main loop.
 *
 * Usage:   plainbounce [-fnV] [-c file] [-p socket] [-u user[:group]]
 *                      [-P pidfile]
 *
 * Input:     the command line and the configuration file (config.c).
 * Output:    a running milter (filter.c) until SIGTERM or SIGINT.
 * Ownership: the main thread owns the configuration in force (live.c)
 *            and replaces it on SIGHUP; message threads hold their own
 *            references.
 * Status:    exit 0 after a clean stop or a good -n check; 64 (EX_USAGE)
 *            for a bad command line; 78 (EX_CONFIG) for a bad
 *            configuration; 71 (EX_OSERR) when the socket, the user or
 *            the daemon set-up fails.
 *
 * Threads and signals: libmilter runs smfi_main() in its own thread and
 * starts a signal thread that sigwait()s for SIGHUP, SIGTERM and SIGINT
 * and would stop the milter on SIGHUP.  To keep SIGHUP for reloading,
 * every thread but the main one blocks these signals, and the main
 * thread keeps them unblocked with handlers that only write to a pipe;
 * Linux delivers a process-directed signal to the main thread when it
 * does not block it.  The main thread then reloads (SIGHUP), logs the
 * counters (SIGUSR1) or stops (SIGTERM, SIGINT): smfi_stop(), then wait
 * up to ShutdownWait seconds for messages in progress.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "plainbounce.h"
#include "filter.h"
#include "live.h"
#include "log.h"
#include "mf.h"
#include "mf_config.h"
#include "stats.h"

#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_OSERR_ 71
#define EX_CONFIG_ 78

static const char *progname = "plainbounce";

/* The command line, kept for reloads. */
static const char *conf_path;           /* -c, or NULL for the default */
static struct mf_override overrides[3]; /* -p, -u, -P */
static size_t noverrides;

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t got_hup, got_term, got_usr1;
static volatile sig_atomic_t milter_done;

/* usage - print the synopsis to fp */
static void
usage(FILE *fp)
{
	fprintf(fp,
	        "usage: %s [-fnV] [-c file] [-p socket] [-u user[:group]] "
	        "[-P pidfile]\n"
	        "  -c file    configuration file (default %s)\n"
	        "  -p socket  unix:/path, inet:port@host or inet6:port@host\n"
	        "  -f         stay in the foreground, log to standard error\n"
	        "  -u user    run as user[:group] once the socket is open\n"
	        "  -P file    write the process id to file\n"
	        "  -n         check the configuration, print it and exit\n"
	        "  -V         print the version and exit\n",
	        progname, MF_DEFAULT_CONFIG);
}

/* on_signal - note the signal and wake the main loop */
static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
	(void)!write(sig_pipe[1], "s", 1);
	errno = saved;
}

/* make_ctx - the library context for cfg (catalogs are read here, so a
 * reload reads them again); PB_OK and *out new, or a status and *why
 * new text naming the catalog file and line (or NULL) */
static enum pb_status
make_ctx(const struct mf_config *cfg, struct pb_ctx **out, char **why)
{
	struct pb_options opt;

	pb_options_init(&opt);
	mf_config_options(cfg, &opt);
#ifdef PB_CATALOG_DIR
	/* English is built in; other languages come from the installed
	 * catalogs unless CatalogDir says otherwise */
	if (opt.catalog_dir == NULL &&
	    (strcmp(opt.lang, "en") != 0 || opt.nlang_map > 0))
		opt.catalog_dir = PB_CATALOG_DIR;
#endif
	return pb_ctx_new_err(&opt, out, why);
}

/* load - read the configuration and build its context; returns new
 * live pair, or NULL with the reason in err */
static struct mf_live *
load(char *err, size_t errlen)
{
	struct mf_config *cfg;
	struct pb_ctx *ctx;
	struct mf_live *l;
	enum pb_status st;
	char *why = NULL;

	if (mf_config_load(conf_path, overrides, noverrides, &cfg, err,
	                   errlen) != 0)
		return NULL;
	if ((st = make_ctx(cfg, &ctx, &why)) != PB_OK) {
		snprintf(err, errlen, "%s: catalog for DefaultLanguage %s: %s",
		         cfg->file[0] != '\0' ? cfg->file : "built-in defaults",
		         cfg->default_language,
		         why != NULL ? why : pb_strerror(st));
		free(why);
		mf_config_free(cfg);
		return NULL;
	}
	if ((l = mf_live_new(cfg, ctx)) == NULL)
		snprintf(err, errlen, "out of memory");
	return l;
}

/* same - are two optional strings equal? */
static bool
same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* reload - SIGHUP: swap in a new configuration, or keep the old one */
static void
reload(void)
{
	struct mf_live *old = mf_live_acquire(), *l;
	char err[1024];

	if ((l = load(err, sizeof(err))) == NULL) {
		mf_log(LOG_ERR, "reload refused, configuration unchanged: %s",
		       err);
		mf_live_release(old);
		return;
	}
	if (old != NULL &&
	    (!same(old->cfg->socket, l->cfg->socket) ||
	     old->cfg->socket_mode != l->cfg->socket_mode ||
	     !same(old->cfg->socket_group, l->cfg->socket_group) ||
	     !same(old->cfg->user_id, l->cfg->user_id) ||
	     !same(old->cfg->pid_file, l->cfg->pid_file) ||
	     old->cfg->syslog != l->cfg->syslog ||
	     old->cfg->syslog_facility != l->cfg->syslog_facility))
		mf_log(LOG_WARNING, "reload: Socket, SocketMode, SocketGroup, "
		                    "UserID, PidFile and Syslog changes take "
		                    "effect only after a restart");
	mf_live_release(old);
	mf_log_set_level(l->cfg->log_level);
	mf_live_install(l);
	mf_log(LOG_NOTICE, "reloaded configuration %s (generation %lu)",
	       l->cfg->file[0] != '\0' ? l->cfg->file : "(built-in defaults)",
	       l->generation);
}

/* socket_path - the file of a unix socket spec, or NULL for inet */
static const char *
socket_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return NULL;
}

/* lookup_user - resolve "user[:group]"; 0 and uid/gid, or -1 */
static int
lookup_user(const char *spec, uid_t *uid, gid_t *gid, char *name,
            size_t namelen)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	struct passwd *pw;
	struct group *gr;

	if (n == 0 || n >= namelen) {
		mf_log(LOG_ERR, "UserID \"%s\": bad user name", spec);
		return -1;
	}
	memcpy(name, spec, n);
	name[n] = '\0';
	if ((pw = getpwnam(name)) == NULL) {
		mf_log(LOG_ERR, "UserID \"%s\": no such user", spec);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (colon != NULL) {
		if ((gr = getgrnam(colon + 1)) == NULL) {
			mf_log(LOG_ERR, "UserID \"%s\": no such group", spec);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

/* clear_stale - remove a socket file that nobody listens on; 0 or -1
 * (not a socket, or another process answers) */
static int
clear_stale(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		mf_log(LOG_ERR, "%s exists and is not a socket", path);
		return -1;
	}
	if (strlen(path) >= sizeof(sun.sun_path)) {
		mf_log(LOG_ERR, "%s: socket path too long", path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		mf_log_errno(LOG_ERR, errno, "socket");
		return -1;
	}
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0) {
		mf_log(LOG_ERR, "%s: another process is listening there", path);
		return -1;
	}
	mf_log(LOG_INFO, "removing stale socket %s", path);
	if (unlink(path) != 0 && errno != ENOENT) {
		mf_log_errno(LOG_ERR, errno, "unlink %s", path);
		return -1;
	}
	return 0;
}

/* open_socket - create the listening socket with its owner, group and
 * mode, before privileges are dropped; 0 or -1 (logged) */
static int
open_socket(const struct mf_config *cfg, bool have_user, uid_t uid, gid_t gid)
{
	const char *path = socket_path(cfg->socket);
	struct group *gr;
	char dir[4096], *slash;
	mode_t old;
	int rc;

	if (smfi_setconn(cfg->socket) != MI_SUCCESS) {
		mf_log(LOG_ERR, "smfi_setconn %s failed", cfg->socket);
		return -1;
	}
	if (path != NULL) {
		if (cfg->socket_group[0] != '\0') {
			if ((gr = getgrnam(cfg->socket_group)) == NULL) {
				mf_log(LOG_ERR, "SocketGroup %s: no such group",
				       cfg->socket_group);
				return -1;
			}
			gid = gr->gr_gid;
		} else if (!have_user)
			gid = getgid();
		if (!have_user)
			uid = getuid();
		/* make the socket's directory when it is missing */
		snprintf(dir, sizeof(dir), "%s", path);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0755) == 0) {
				if (have_user &&
				    chown(dir, uid, (gid_t)-1) != 0)
					mf_log_errno(LOG_WARNING, errno,
					             "chown %s", dir);
			} else if (errno != EEXIST) {
				mf_log_errno(LOG_ERR, errno, "mkdir %s", dir);
				return -1;
			}
		}
		if (clear_stale(path) != 0)
			return -1;
	}
	old = umask(0177);
	rc = smfi_opensocket(false);
	umask(old);
	if (rc != MI_SUCCESS) {
		mf_log(LOG_ERR, "cannot listen on %s", cfg->socket);
		return -1;
	}
	if (path == NULL)
		return 0;
	if (chown(path, uid, gid) != 0) {
		mf_log_errno(LOG_ERR, errno, "chown %s", path);
		return -1;
	}
	if (chmod(path, (mode_t)cfg->socket_mode) != 0) {
		mf_log_errno(LOG_ERR, errno, "chmod %s", path);
		return -1;
	}
	return 0;
}

/* same_user - are we uid/gid already? */
static bool
same_user(uid_t uid, gid_t gid)
{
	return getuid() == uid && geteuid() == uid && getgid() == gid;
}

/* may_become - can we become uid/gid?  Checked before the socket is
 * made, so that a start that cannot drop leaves nothing behind; 0 or
 * -1 (logged) */
static int
may_become(const char *name, uid_t uid, gid_t gid)
{
	if (same_user(uid, gid) || geteuid() == 0)
		return 0;
	mf_log(LOG_ERR, "UserID %s: only root can change user", name);
	return -1;
}

/* drop_privileges - become uid/gid for good; 0 or -1 */
static int
drop_privileges(const char *name, uid_t uid, gid_t gid)
{
	if (same_user(uid, gid))
		return 0;
	if (may_become(name, uid, gid) != 0)
		return -1;
	if (initgroups(name, gid) != 0 || setgid(gid) != 0 ||
	    setuid(uid) != 0) {
		mf_log_errno(LOG_ERR, errno, "cannot become %s", name);
		return -1;
	}
	if (setuid(0) == 0) {
		mf_log(LOG_ERR, "could regain root after dropping it");
		return -1;
	}
	return 0;
}

/* daemonize - detach from the terminal; 0 in the child, -1 on error;
 * the parent exits */
static int
daemonize(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

/* write_pidfile - write our pid to path; 0 or -1 */
static int
write_pidfile(const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		mf_log_errno(LOG_ERR, errno, "PidFile %s", path);
		return -1;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) != 0) {
		mf_log_errno(LOG_ERR, errno, "PidFile %s", path);
		return -1;
	}
	return 0;
}

/* run_milter - thread: libmilter's loop; wakes the main thread at end */
static void *
run_milter(void *arg MF_UNUSED)
{
	if (smfi_main() != MI_SUCCESS)
		mf_log(LOG_ERR, "libmilter's main loop failed");
	milter_done = 1;
	(void)!write(sig_pipe[1], "m", 1);
	return NULL;
}

/* set_signals - handlers for HUP, TERM, INT, USR1; ignore PIPE */
static int
set_signals(void)
{
	struct sigaction sa;
	int i, fl;

	if (pipe(sig_pipe) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fl = fcntl(sig_pipe[i], F_GETFL);
		fcntl(sig_pipe[i], F_SETFL, fl | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGHUP, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGUSR1, &sa, NULL) != 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* start_milter - run libmilter in a thread that, like every thread it
 * starts, blocks our signals; 0 or -1 */
static int
start_milter(pthread_t *tid)
{
	sigset_t set, old;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = pthread_create(tid, NULL, run_milter, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

/* main_loop - serve signals and the statistics timer until told to
 * stop or libmilter ends */
static void
main_loop(void)
{
	struct mf_live *l;
	struct pollfd pfd;
	time_t next = 0, now;
	unsigned interval;
	char drain[64];
	int timeout;

	pfd.fd = sig_pipe[0];
	pfd.events = POLLIN;
	while (!got_term && !milter_done) {
		l = mf_live_acquire();
		interval = l != NULL ? l->cfg->stats_interval : 0;
		mf_live_release(l);
		now = time(NULL);
		if (interval > 0 && next == 0)
			next = now + interval;
		if (interval > 0 && now >= next) {
			mf_stats_log();
			next = now + interval;
		}
		timeout = interval > 0 ? (int)(next - now) * 1000 : 60000;
		if (timeout < 0 || timeout > 60000)
			timeout = 60000;
		if (poll(&pfd, 1, timeout) > 0)
			while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
				;
		if (got_hup) {
			got_hup = 0;
			reload();
			next = 0;
		}
		if (got_usr1) {
			got_usr1 = 0;
			mf_stats_log();
		}
	}
}

/* shutdown_wait - wait up to secs for messages in progress */
static void
shutdown_wait(unsigned secs)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	unsigned long n;
	unsigned i;

	for (i = 0; i < secs * 20 && (n = mf_filter_inflight()) > 0; i++) {
		if (i == 0)
			mf_log(LOG_NOTICE,
			       "waiting for %lu message(s) in "
			       "progress",
			       n);
		nanosleep(&ts, NULL);
	}
	if ((n = mf_filter_inflight()) > 0)
		mf_log(LOG_WARNING,
		       "stopping with %lu message(s) in progress; "
		       "the MTA passes them on unchanged",
		       n);
}

/* print_hints - after -n: the lines that connect the MTAs */
static void
print_hints(const struct mf_config *cfg)
{
	const char *path = socket_path(cfg->socket);
	char spec[4200];

	if (path != NULL)
		snprintf(spec, sizeof(spec), "unix:%s", path);
	else
		snprintf(spec, sizeof(spec), "%s", cfg->socket);
	printf("\nPostfix (main.cf; a chrooted smtpd needs the socket inside "
	       "its chroot):\n"
	       "  smtpd_milters = { %s, default_action=accept }\n"
	       "  non_smtpd_milters = { %s, default_action=accept }\n"
	       "  internal_mail_filter_classes = bounce\n"
	       "Sendmail (sendmail.mc):\n"
	       "  INPUT_MAIL_FILTER(`plainbounce', `S=%s%s, "
	       "T=S:30s;R:60s;E:5m')\n",
	       spec, spec, path != NULL ? "local:" : "",
	       path != NULL ? path : cfg->socket);
}

int
main(int argc, char **argv)
{
	bool foreground = false, check = false, have_user = false;
	struct mf_live *l;
	const struct mf_config *cfg;
	char err[1024], uname[256];
	const char *path;
	unsigned maj, min, pl;
	uid_t uid = 0;
	gid_t gid = 0;
	pthread_t tid;
	int ch;

	while ((ch = getopt(argc, argv, "c:p:fu:P:nVh")) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'p':
			overrides[noverrides++] =
			    (struct mf_override){"Socket", optarg};
			break;
		case 'u':
			overrides[noverrides++] =
			    (struct mf_override){"UserID", optarg};
			break;
		case 'P':
			overrides[noverrides++] =
			    (struct mf_override){"PidFile", optarg};
			break;
		case 'f':
			foreground = true;
			break;
		case 'n':
			check = true;
			break;
		case 'V':
			smfi_version(&maj, &min, &pl);
			printf("%s %s (libmilter %u.%u.%u)\n", progname,
			       PACKAGE_VERSION, maj, min, pl);
			return EX_OK_;
		case 'h':
			usage(stdout);
			return EX_OK_;
		default:
			usage(stderr);
			return EX_USAGE_;
		}
		if (noverrides == MF_NELEM(overrides)) {
			/* each flag at most once: the last one counts */
			size_t i, j, k = 0;

			for (i = 0; i < noverrides; i++) {
				for (j = i + 1; j < noverrides; j++)
					if (strcmp(overrides[i].key,
					           overrides[j].key) == 0)
						break;
				if (j == noverrides)
					overrides[k++] = overrides[i];
			}
			noverrides = k;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE_;
	}
	mf_log_open(false, LOG_MAIL, LOG_NOTICE);
	if ((l = load(err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return EX_CONFIG_;
	}
	cfg = l->cfg;
	if (check) {
		printf("%s: configuration OK (%s)\n", progname,
		       cfg->file[0] != '\0' ? cfg->file
		                            : "built-in defaults; no file");
		mf_config_print(cfg, stdout);
		print_hints(cfg);
		mf_live_release(l);
		return EX_OK_;
	}
	mf_log_open(!foreground && cfg->syslog, cfg->syslog_facility,
	            cfg->log_level);
	mf_filter_fault_init();
	if (cfg->user_id[0] != '\0') {
		if (lookup_user(cfg->user_id, &uid, &gid, uname,
		                sizeof(uname)) != 0)
			goto fail_config;
		if (may_become(uname, uid, gid) != 0)
			goto fail_os;
		have_user = true;
	} else if (geteuid() == 0)
		mf_log(LOG_WARNING, "running as root: set UserID (or -u)");
	if (smfi_register(mf_filter_desc) != MI_SUCCESS) {
		mf_log(LOG_ERR, "smfi_register failed");
		goto fail_os;
	}
	smfi_settimeout((int)cfg->milter_timeout);
	if (open_socket(cfg, have_user, uid, gid) != 0)
		goto fail_os;
	if (!foreground && daemonize() != 0) {
		mf_log_errno(LOG_ERR, errno, "cannot become a daemon");
		goto fail_os;
	}
	if (cfg->pid_file[0] != '\0' && write_pidfile(cfg->pid_file) != 0)
		goto fail_os;
	if (have_user && drop_privileges(uname, uid, gid) != 0)
		goto fail_os;
	if (set_signals() != 0) {
		mf_log_errno(LOG_ERR, errno, "signal set-up");
		goto fail_os;
	}
	mf_live_install(l);
	if (start_milter(&tid) != 0) {
		mf_log(LOG_ERR, "cannot start the milter thread");
		goto fail_os;
	}
	mf_log(LOG_NOTICE, "%s %s started on %s mode=%s", progname,
	       PACKAGE_VERSION, cfg->socket, mf_config_mode_name(cfg->mode));
	main_loop();
	/* finish the messages in progress while libmilter still serves
	 * their connections; new ones pass untouched meanwhile */
	mf_filter_stop_new();
	l = mf_live_acquire();
	if (!milter_done)
		shutdown_wait(l != NULL ? l->cfg->shutdown_wait : 0);
	if (!milter_done)
		smfi_stop();
	pthread_join(tid, NULL);
	if (l != NULL && (path = socket_path(l->cfg->socket)) != NULL &&
	    unlink(path) != 0 && errno != ENOENT)
		mf_log_errno(LOG_INFO, errno, "cannot remove %s", path);
	if (l != NULL && l->cfg->pid_file[0] != '\0' &&
	    unlink(l->cfg->pid_file) != 0 && errno != ENOENT)
		mf_log_errno(LOG_INFO, errno, "cannot remove %s",
		             l->cfg->pid_file);
	mf_live_release(l);
	mf_stats_log();
	mf_log(LOG_NOTICE, "stopped");
	mf_live_install(NULL);
	return EX_OK_;
fail_config:
	mf_live_release(l);
	return EX_CONFIG_;
fail_os:
	mf_live_release(l);
	return EX_OSERR_;
}
