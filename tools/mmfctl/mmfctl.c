// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfctl: list, inspect, read and write mmfdev devices from the shell,
 * wait for and ring their event lines, allocate and sync their DMA
 * buffers, and load or unload the module.
 *
 * Everything goes through libmmfdev (and libkmod for the module).  Exit
 * status: 0 done, 1 usage error, 2 system error.  Errors name the errno.
 * See mmfctl(1), or "mmfctl --help" and "mmfctl COMMAND --help".
 *
 * This file: main(), finding the command, and "mmfctl --help".
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "mmfctl.h"

/* The commands, in the order of "mmfctl --help". */
static const struct command *const families[] = {
	list_commands, mem_commands, event_commands, dma_commands,
	module_commands,
};

#define NUM_FAMILIES	(sizeof(families) / sizeof(families[0]))

static const struct command *find_command(const char *name)
{
	const struct command *c;
	size_t i;

	for (i = 0; i < NUM_FAMILIES; i++)
		for (c = families[i]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

static void usage(void)
{
	const struct command *c;
	size_t i;

	printf("Usage: %s [--help | --version] COMMAND [ARGS...]\n\n"
	       "List, inspect, read and write mmfdev devices.\n\nCommands:\n",
	       progname);
	for (i = 0; i < NUM_FAMILIES; i++)
		for (c = families[i]; c->name; c++)
			printf("  %-14s %s\n", c->name, c->summary);
	printf("\n"
	       "DEV is a node, /dev/mmfdev-..., or its name under /dev, e.g.\n"
	       "mmfdev-pci-0000:00:03.0.  REGION and LINE are names or indexes.\n"
	       "Numbers are decimal, or hex with 0x.\n\n"
	       "Options:\n"
	       "  -h, --help            show this help and exit\n"
	       "  -V, --version         show the version and exit\n\n"
	       "'%s COMMAND --help' describes a command.  Exit status: 0 done,\n"
	       "1 usage error, 2 system error.\n", progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command *c;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("%s (libmmfdev) %s\n", progname,
			       mmfdev_version_string());
			return 0;
		default:
			bad_option(argv);
		}
	}
	if (optind >= argc)
		die_usage("no command");
	c = find_command(argv[optind]);
	if (!c) {
		if (strstr(argv[optind], "-module"))
			die_usage("'%s': this mmfctl was built without libkmod",
				  argv[optind]);
		die_usage("unknown command '%s'", argv[optind]);
	}
	cmd = c;
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start over, for the command's options */
	return c->run(argc, argv);
}
