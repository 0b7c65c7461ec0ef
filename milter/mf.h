/*
 * mf.h - small helpers shared by the plainbounce daemon's modules.
 */
#ifndef MF_H
#define MF_H

#if defined(__GNUC__) || defined(__clang__)
#define MF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MF_UNUSED __attribute__((unused))
#else
#define MF_PRINTF(f, a)
#define MF_UNUSED
#endif

#define MF_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Compiled-in configuration file (DESIGN.md section 6). */
#ifndef MF_DEFAULT_CONFIG
#define MF_DEFAULT_CONFIG "/etc/plainbounce/plainbounce.conf"
#endif

#endif /* MF_H */
