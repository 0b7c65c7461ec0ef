/*
 * names.h - reverse lookups of the public enumeration names.
 */
#ifndef PB_NAMES_H
#define PB_NAMES_H

#include <stdbool.h>

#include "plainbounce.h"

/* pb_reason_from_name - true and *out set when name is a reason name */
bool pb_reason_from_name(const char *name, enum pb_reason *out);

#endif /* PB_NAMES_H */
