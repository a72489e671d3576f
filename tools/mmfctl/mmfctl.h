/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mmfctl.h: what the files of mmfctl share: commands, messages, arguments. */
#ifndef MMFCTL_H
#define MMFCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mmfdev.h>

#define EXIT_USAGE	1
#define EXIT_SYSTEM	2

#define MODULE_NAME	"mmfdev"
#define DEV_DIR		"/dev"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;	/* the synopsis after the name */
	const char *summary;	/* one line, for "mmfctl --help" */
	const char *help;	/* more paragraphs, or NULL */
	const char *options;	/* option lines, or NULL */
};

/* Each family's commands, ending with a NULL name (cmd_*.c). */
extern const struct command list_commands[];
extern const struct command mem_commands[];
extern const struct command event_commands[];
extern const struct command dma_commands[];
extern const struct command module_commands[];

extern const char *progname;
/* The running command, for messages; NULL at the top level. */
extern const struct command *cmd;

/* --- messages (common.c) -------------------------------------------------- */

/* "mmfctl: CMD: WHAT: Description (ENAME)" on stderr. */
__attribute__((format(printf, 2, 3)))
void warn_sys(int err, const char *fmt, ...);
/* The same, then exit 2. */
__attribute__((format(printf, 2, 3), noreturn))
void die_sys(int err, const char *fmt, ...);
/* "mmfctl: CMD: WHAT", a hint at --help, then exit 1. */
__attribute__((format(printf, 1, 2), noreturn))
void die_usage(const char *fmt, ...);

/* --- arguments (common.c) ------------------------------------------------- */

uint64_t arg_u64(const char *what, const char *s, uint64_t max);
uint64_t arg_size(const char *what, const char *s, uint64_t max);
unsigned int arg_width(const char *s);
__attribute__((noreturn))
void bad_option(char **argv);
int next_opt(int argc, char **argv, const char *shortopts,
	     const struct option *longopts);
void no_options(int argc, char **argv);
void want_args(int argc, int min, int max);

/* --- output (common.c) ---------------------------------------------------- */

struct bit_name {
	unsigned int bit;
	const char *name;
};

const char *bit_names(char *buf, size_t size, unsigned int v,
		      const struct bit_name *names, bool quote);
void json_string(const char *s);

/* --- devices, regions and lines (common.c) -------------------------------- */

struct target {
	struct mmfdev *dev;
	char path[512];
};

void open_target(struct target *t, const char *arg, bool write);
struct mmfdev_region *get_region(struct target *t, const char *arg);
struct mmfdev_event *get_line(struct target *t, const char *arg);
void get_range(struct target *t, struct mmfdev_region *region,
	       int argc, char **argv, uint64_t *offp, uint64_t *lenp);
void close_target(struct target *t);

#endif /* MMFCTL_H */
