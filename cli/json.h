/*
 * json.h - the one-line JSON analysis of DESIGN.md section 8.
 */
#ifndef PB_CLI_JSON_H
#define PB_CLI_JSON_H

#include <stdio.h>

#include "plainbounce.h"

/* json_write_result - print one line for res (borrowed) read from file
 * name (borrowed) to fp; returns 0, or -1 on a write error */
int json_write_result(FILE *fp, const char *file, const struct pb_result *res);

#endif /* PB_CLI_JSON_H */
