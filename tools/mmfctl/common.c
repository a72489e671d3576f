// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl's shared parts: messages, arguments, output, devices, lines. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmfctl.h"

const char *progname = "mmfctl";
/* The running command, for messages; NULL at the top level. */
const struct command *cmd;

/* --- messages ------------------------------------------------------------ */

static const char *errname(int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	return name ? name : "unknown errno";
}

static void vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
}

/* "mmfctl: CMD: WHAT: Description (ENAME)" on stderr. */
void warn_sys(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", mmfdev_strerror(err), errname(err));
}

void die_sys(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", mmfdev_strerror(err), errname(err));
	exit(EXIT_SYSTEM);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry '%s %s --help'.\n", progname, cmd->name);
	else
		fprintf(stderr, "\nTry '%s --help'.\n", progname);
	exit(EXIT_USAGE);
}

/* --- arguments ----------------------------------------------------------- */

/*
 * Numbers: decimal, or hex with 0x.  No sign, no octal, no trailing
 * characters, nothing that does not fit in 64 bits.
 */
static int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	const char *p = s;
	int base = 10;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p || !(base == 16 ? isxdigit((unsigned char)*p) :
			 isdigit((unsigned char)*p)))
		return -EINVAL;
	errno = 0;
	x = strtoull(p, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

/* A number argument no larger than @max; a usage error otherwise. */
uint64_t arg_u64(const char *what, const char *s, uint64_t max)
{
	uint64_t v;
	int ret;

	ret = parse_u64(s, &v);
	if (ret == -ERANGE)
		die_usage("%s '%s' does not fit in 64 bits", what, s);
	if (ret)
		die_usage("%s '%s' is not a number (decimal, or hex with 0x)",
			  what, s);
	if (v > max)
		die_usage("%s '%s' is larger than %" PRIu64 " (0x%" PRIx64 ")",
			  what, s, max, max);
	return v;
}

/*
 * A size: a number as above, or one with a K, M or G suffix for KiB, MiB
 * or GiB, e.g. 64K or 0x10M; no larger than @max.
 */
uint64_t arg_size(const char *what, const char *s, uint64_t max)
{
	static const char units[] = "KMG";
	unsigned int shift = 0;
	size_t n = strlen(s);
	const char *unit;
	char num[32];
	uint64_t v;
	int ret;

	unit = n ? strchr(units, toupper((unsigned char)s[n - 1])) : NULL;
	if (unit && *unit) {
		shift = 10 * (unit - units + 1);
		n--;
	}
	ret = -EINVAL;
	if (n < sizeof(num)) {
		memcpy(num, s, n);
		num[n] = '\0';
		ret = parse_u64(num, &v);
	}
	if (ret == -ERANGE || (!ret && v > UINT64_MAX >> shift))
		die_usage("%s '%s' does not fit in 64 bits", what, s);
	if (ret)
		die_usage("%s '%s' is not a size (decimal, or hex with 0x, and"
			  " an optional K, M or G)", what, s);
	v <<= shift;
	if (v > max)
		die_usage("%s '%s' is larger than %" PRIu64 " (0x%" PRIx64 ")",
			  what, s, max, max);
	return v;
}

/* --width: 8, 16, 32 or 64 bits; returns bytes. */
unsigned int arg_width(const char *s)
{
	uint64_t bits = arg_u64("width", s, 64);

	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		die_usage("width '%s' is not 8, 16, 32 or 64", s);
	return bits / 8;
}

/* After getopt_long() returned '?'. */
void bad_option(char **argv)
{
	die_usage("option '%s' is unknown, or wants an argument",
		  argv[optind - 1]);
}

static void command_help(const struct command *c)
{
	printf("Usage: %s %s%s%s\n\n%s.\n", progname, c->name,
	       *c->args ? " " : "", c->args, c->summary);
	if (c->help)
		printf("\n%s", c->help);
	printf("\nOptions:\n%s  -h, --help            show this help and exit\n",
	       c->options ? c->options : "");
}

/*
 * getopt_long over a command's arguments (argv[0] is the command), with
 * -h/--help for every command.  Returns the option, or -1 at the end.
 */
int next_opt(int argc, char **argv, const char *shortopts,
	     const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h') {
		command_help(cmd);
		exit(EXIT_SUCCESS);
	}
	if (c == '?' || c == ':')
		bad_option(argv);
	return c;
}

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Commands without options of their own. */
void no_options(int argc, char **argv)
{
	while (next_opt(argc, argv, "h", help_only) != -1)
		;
}

/* After the options: between @min and @max positional arguments. */
void want_args(int argc, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		die_usage("too few arguments");
	if (n > max)
		die_usage("too many arguments");
}

/* --- output ------------------------------------------------------------- */

/*
 * The names of the bits of @v, joined by @sep, each quoted in JSON style
 * if @quote; "-" (or nothing, when quoted) for none.  Unknown bits as hex.
 */
const char *bit_names(char *buf, size_t size, unsigned int v,
		      const struct bit_name *names, bool quote)
{
	const char *sep = quote ? ", " : ",";
	const char *q = quote ? "\"" : "";
	size_t len = 0;

	buf[0] = '\0';
	for (; names->name; names++) {
		if (!(v & names->bit))
			continue;
		len += snprintf(buf + len, size - len, "%s%s%s%s",
				len ? sep : "", q, names->name, q);
		v &= ~names->bit;
		if (len >= size)
			return buf;
	}
	if (v)
		len += snprintf(buf + len, size - len, "%s%s0x%x%s",
				len ? sep : "", q, v, q);
	if (!len && !quote)
		snprintf(buf, size, "-");
	return buf;
}

/* A JSON string: the kernel's names are plain, but quote them right. */
void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

/* --- devices, regions and lines ------------------------------------------ */

/* DEV: a path (with a '/') or a name under /dev. */
void open_target(struct target *t, const char *arg, bool write)
{
	int ret;

	if (strchr(arg, '/'))
		ret = snprintf(t->path, sizeof(t->path), "%s", arg);
	else
		ret = snprintf(t->path, sizeof(t->path), DEV_DIR "/%s", arg);
	if (ret < 0 || ret >= (int)sizeof(t->path))
		die_usage("device '%s' is too long", arg);
	ret = mmfdev_open(t->path, write ? 0 : MMFDEV_OPEN_RDONLY, &t->dev);
	if (ret)
		die_sys(ret, "%s", t->path);
}

/* REGION: a name, or else an index. */
struct mmfdev_region *get_region(struct target *t, const char *arg)
{
	struct mmfdev_region *region;
	uint64_t index;
	int ret;

	ret = mmfdev_region_find(t->dev, arg, &region);
	if (ret == -ENOENT && !parse_u64(arg, &index)) {
		if (index < mmfdev_get_num_regions(t->dev))
			ret = mmfdev_region_get(t->dev, index, &region);
	}
	if (ret)
		die_sys(ret, "%s: region '%s'", t->path, arg);
	return region;
}

/* LINE: a name, or else an index. */
struct mmfdev_event *get_line(struct target *t, const char *arg)
{
	struct mmfdev_event *event;
	uint64_t index;
	int ret;

	ret = mmfdev_event_find(t->dev, arg, &event);
	if (ret == -ENOENT && !parse_u64(arg, &index)) {
		if (index < mmfdev_get_num_events(t->dev))
			ret = mmfdev_event_get(t->dev, index, &event);
	}
	if (ret)
		die_sys(ret, "%s: event line '%s'", t->path, arg);
	return event;
}

/*
 * [OFF [LEN]] of a region: LEN defaults to the rest of the region.  A
 * range outside the region is an ENXIO error, as the library's.
 */
void get_range(struct target *t, struct mmfdev_region *region,
	       int argc, char **argv, uint64_t *offp, uint64_t *lenp)
{
	uint64_t size = mmfdev_region_get_size(region);
	uint64_t off = 0, len;

	if (argc > 0)
		off = arg_u64("offset", argv[0], UINT64_MAX);
	if (off > size)
		die_sys(-ENXIO, "%s: region '%s': offset 0x%" PRIx64
			" is past its end (size 0x%" PRIx64 ")", t->path,
			mmfdev_region_get_name(region), off, size);
	len = size - off;
	if (argc > 1) {
		len = arg_u64("length", argv[1], UINT64_MAX);
		if (len > size - off)
			die_sys(-ENXIO, "%s: region '%s': 0x%" PRIx64
				" bytes at 0x%" PRIx64 " do not fit in its 0x%"
				PRIx64, t->path,
				mmfdev_region_get_name(region), len, off, size);
	}
	if (len > SIZE_MAX)
		die_sys(-EFBIG, "%s: region '%s': length 0x%" PRIx64, t->path,
			mmfdev_region_get_name(region), len);
	*offp = off;
	*lenp = len;
}

void close_target(struct target *t)
{
	mmfdev_close(t->dev);
	t->dev = NULL;
}
