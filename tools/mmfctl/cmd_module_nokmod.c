// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl without libkmod (KMOD=0): no load-module or unload-module. */
#include "mmfctl.h"

/*
 * "mmfctl --help" does not list them; main() finds no such command, and
 * names the missing libkmod for any "...-module" as a usage error (exit 1).
 */
const struct command module_commands[] = {
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
