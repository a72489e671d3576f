// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfctl: list, inspect, read and write mmfdev devices from the shell,
 * wait for and ring their event lines, and load or unload the module.
 *
 * Everything goes through libmmfdev (and libkmod for the module).  Exit
 * status: 0 done, 1 usage error, 2 system error.  Errors name the errno.
 * See mmfctl(1), or "mmfctl --help" and "mmfctl COMMAND --help".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MMFCTL_NO_KMOD
#include <libkmod.h>
#endif

#include <mmfdev.h>

#define EXIT_USAGE	1
#define EXIT_SYSTEM	2

/* Bytes per library call for dump, save, load and fill. */
#define CHUNK		(1U << 20)
/* Ranges from this size up get a progress bar, when stderr is a terminal. */
#define PROGRESS_MIN	(4U << 20)

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

static const char *progname = "mmfctl";
/* The running command, for messages; NULL at the top level. */
static const struct command *cmd;

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
__attribute__((format(printf, 2, 3)))
static void warn_sys(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", mmfdev_strerror(err), errname(err));
}

__attribute__((format(printf, 2, 3), noreturn))
static void die_sys(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", mmfdev_strerror(err), errname(err));
	exit(EXIT_SYSTEM);
}

__attribute__((format(printf, 1, 2), noreturn))
static void die_usage(const char *fmt, ...)
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
static uint64_t arg_u64(const char *what, const char *s, uint64_t max)
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

/* --width: 8, 16, 32 or 64 bits; returns bytes. */
static unsigned int arg_width(const char *s)
{
	uint64_t bits = arg_u64("width", s, 64);

	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		die_usage("width '%s' is not 8, 16, 32 or 64", s);
	return bits / 8;
}

/* After getopt_long() returned '?'. */
__attribute__((noreturn))
static void bad_option(char **argv)
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
static int next_opt(int argc, char **argv, const char *shortopts,
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
static void no_options(int argc, char **argv)
{
	while (next_opt(argc, argv, "h", help_only) != -1)
		;
}

/* After the options: between @min and @max positional arguments. */
static void want_args(int argc, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		die_usage("too few arguments");
	if (n > max)
		die_usage("too many arguments");
}

/* --- devices, regions and lines ------------------------------------------ */

struct target {
	struct mmfdev *dev;
	char path[512];
};

/* DEV: a path (with a '/') or a name under /dev. */
static void open_target(struct target *t, const char *arg, bool write)
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
static struct mmfdev_region *get_region(struct target *t, const char *arg)
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
static struct mmfdev_event *get_line(struct target *t, const char *arg)
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
static void get_range(struct target *t, struct mmfdev_region *region,
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

static void close_target(struct target *t)
{
	mmfdev_close(t->dev);
	t->dev = NULL;
}

/* --- names of the ABI's numbers ------------------------------------------- */

static const char *kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[MMFDEV_REGION_NONE] = "none",
		[MMFDEV_REGION_RAM] = "ram",
		[MMFDEV_REGION_MMIO] = "mmio",
		[MMFDEV_REGION_RESERVED] = "reserved",
		[MMFDEV_REGION_IOPORT] = "ioport",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ?
	       names[kind] : "unknown";
}

static const char *cache_name(unsigned int mode)
{
	switch (mode) {
	case MMFDEV_CACHE_UC: return "uc";
	case MMFDEV_CACHE_WC: return "wc";
	case MMFDEV_CACHE_WB: return "wb";
	default: return "unknown";
	}
}

static const char *event_kind_name(unsigned int kind)
{
	switch (kind) {
	case MMFDEV_EVENT_DOORBELL: return "doorbell";
	case MMFDEV_EVENT_MSIX: return "msix";
	case MMFDEV_EVENT_MSI: return "msi";
	case MMFDEV_EVENT_INTX: return "intx";
	case MMFDEV_EVENT_IRQ: return "irq";
	default: return "unknown";
	}
}

struct bit_name {
	unsigned int bit;
	const char *name;
};

static const struct bit_name region_flags[] = {
	{ MMFDEV_REGION_READ, "read" },
	{ MMFDEV_REGION_WRITE, "write" },
	{ MMFDEV_REGION_MMAP, "mmap" },
	{ MMFDEV_REGION_SIZED, "sized" },
	{ MMFDEV_REGION_SHARED, "shared" },
	{ 0, NULL }
};

static const struct bit_name event_flags[] = {
	{ MMFDEV_EVENT_NEEDS_UNMASK, "needs_unmask" },
	{ MMFDEV_EVENT_CAN_RING, "can_ring" },
	{ MMFDEV_EVENT_MASKED, "masked" },
	{ 0, NULL }
};

static const struct bit_name cache_modes[] = {
	{ MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC), "uc" },
	{ MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC), "wc" },
	{ MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB), "wb" },
	{ 0, NULL }
};

/*
 * The names of the bits of @v, joined by @sep, each quoted in JSON style
 * if @quote; "-" (or nothing, when quoted) for none.  Unknown bits as hex.
 */
static const char *bit_names(char *buf, size_t size, unsigned int v,
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

/* The region's cache modes, the default one marked with '*': "uc*,wc". */
static const char *cache_list(char *buf, size_t size,
			      const struct mmfdev_region *r)
{
	unsigned int modes = mmfdev_region_get_cache_modes(r);
	unsigned int def = mmfdev_region_get_cache_default(r);
	unsigned int mode;
	size_t len = 0;

	buf[0] = '\0';
	for (mode = MMFDEV_CACHE_UC; mode <= MMFDEV_CACHE_WB; mode++) {
		if (!(modes & MMFDEV_CACHE_BIT(mode)) || len >= size)
			continue;
		len += snprintf(buf + len, size - len, "%s%s%s",
				len ? "," : "", cache_name(mode),
				mode == def ? "*" : "");
	}
	if (!len)
		snprintf(buf, size, "-");
	return buf;
}

/* --- tables and JSON ------------------------------------------------------ */

#define TABLE_COLS	8

struct table {
	unsigned int ncols, nrows, cap;
	char **cells;		/* nrows * ncols strings */
	bool right[TABLE_COLS];	/* right-aligned columns */
};

__attribute__((format(printf, 3, 4)))
static void cell(struct table *tb, unsigned int col, const char *fmt, ...)
{
	unsigned int row = tb->nrows - 1;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		die_sys(-ENOMEM, "table");
	free(tb->cells[row * tb->ncols + col]);
	tb->cells[row * tb->ncols + col] = s;
}

static void add_row(struct table *tb)
{
	if (tb->nrows == tb->cap) {
		unsigned int cap = tb->cap ? tb->cap * 2 : 16;
		char **c = realloc(tb->cells, sizeof(*c) * cap * tb->ncols);

		if (!c)
			die_sys(-ENOMEM, "table");
		tb->cells = c;
		tb->cap = cap;
	}
	memset(&tb->cells[tb->nrows * tb->ncols], 0,
	       sizeof(*tb->cells) * tb->ncols);
	tb->nrows++;
}

static void free_table(struct table *tb)
{
	unsigned int i;

	for (i = 0; i < tb->nrows * tb->ncols; i++)
		free(tb->cells[i]);
	free(tb->cells);
	memset(tb, 0, sizeof(*tb));
}

/* Print with columns two spaces apart, indented by @indent; free. */
static void print_table(struct table *tb, const char *indent)
{
	size_t width[TABLE_COLS] = { 0 };
	unsigned int r, c;

	for (r = 0; r < tb->nrows; r++)
		for (c = 0; c < tb->ncols; c++) {
			const char *s = tb->cells[r * tb->ncols + c];
			size_t n = s ? strlen(s) : 0;

			if (n > width[c])
				width[c] = n;
		}
	for (r = 0; r < tb->nrows; r++) {
		fputs(indent, stdout);
		for (c = 0; c < tb->ncols; c++) {
			const char *s = tb->cells[r * tb->ncols + c];
			bool last = c == tb->ncols - 1;

			if (!s)
				s = "";
			if (tb->right[c])
				printf("%*s", (int)width[c], s);
			else if (last)
				fputs(s, stdout);
			else
				printf("%-*s", (int)width[c], s);
			if (!last)
				fputs("  ", stdout);
		}
		putchar('\n');
	}
	free_table(tb);
}

/* A JSON string: the kernel's names are plain, but quote them right. */
static void json_string(const char *s)
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

/* --- describing a device --------------------------------------------------- */

/* The region rows of @t's device into @tb (DEVICE column if @device). */
static int region_rows(struct table *tb, struct target *t, bool device)
{
	unsigned int i, n = mmfdev_get_num_regions(t->dev);
	unsigned int c0 = device ? 1 : 0;
	char buf[128];
	int ret, err = 0;

	for (i = 0; i < n; i++) {
		struct mmfdev_region *r;

		ret = mmfdev_region_get(t->dev, i, &r);
		if (ret) {
			warn_sys(ret, "%s: region %u", t->path, i);
			err = ret;
			continue;
		}
		add_row(tb);
		if (device)
			cell(tb, 0, "%s", mmfdev_get_name(t->dev));
		cell(tb, c0, "%u", i);
		cell(tb, c0 + 1, "%s", mmfdev_region_get_name(r));
		cell(tb, c0 + 2, "%s", kind_name(mmfdev_region_get_kind(r)));
		cell(tb, c0 + 3, "0x%" PRIx64, mmfdev_region_get_size(r));
		cell(tb, c0 + 4, "0x%" PRIx64, mmfdev_region_get_offset(r));
		cell(tb, c0 + 5, "%s", bit_names(buf, sizeof(buf),
			mmfdev_region_get_flags(r), region_flags, false));
		cell(tb, c0 + 6, "%s", cache_list(buf, sizeof(buf), r));
		mmfdev_region_free(r);
	}
	return err;
}

static void region_table_init(struct table *tb, bool device)
{
	static const char *const head[] = {
		"DEVICE", "IDX", "REGION", "KIND", "SIZE", "OFFSET", "FLAGS",
		"CACHE"
	};
	unsigned int i, c0 = device ? 0 : 1;

	memset(tb, 0, sizeof(*tb));
	tb->ncols = TABLE_COLS - c0;
	tb->right[1 - c0] = true;
	add_row(tb);
	for (i = c0; i < TABLE_COLS; i++)
		cell(tb, i - c0, "%s", head[i]);
}

/* JSON of one device, at nesting @ind (a string of spaces). */
static int device_json(struct target *t, const char *ind)
{
	unsigned int i, n = mmfdev_get_num_regions(t->dev);
	char buf[128];
	int ret, err = 0;

	printf("%s{\n%s  \"path\": ", ind, ind);
	json_string(t->path);
	printf(",\n%s  \"name\": ", ind);
	json_string(mmfdev_get_name(t->dev));
	printf(",\n%s  \"page_size\": %zu,\n%s  \"regions\": [", ind,
	       mmfdev_get_page_size(t->dev), ind);
	for (i = 0; i < n; i++) {
		struct mmfdev_region *r;

		ret = mmfdev_region_get(t->dev, i, &r);
		if (ret) {
			warn_sys(ret, "%s: region %u", t->path, i);
			err = ret;
			continue;
		}
		printf("%s\n%s    {\"index\": %u, \"name\": ", i ? "," : "",
		       ind, i);
		json_string(mmfdev_region_get_name(r));
		printf(", \"kind\": \"%s\", \"size\": %" PRIu64
		       ", \"offset\": %" PRIu64 ", \"flags\": [%s]",
		       kind_name(mmfdev_region_get_kind(r)),
		       mmfdev_region_get_size(r), mmfdev_region_get_offset(r),
		       bit_names(buf, sizeof(buf), mmfdev_region_get_flags(r),
				 region_flags, true));
		printf(", \"cache_modes\": [%s], \"cache_default\": ",
		       bit_names(buf, sizeof(buf),
				 mmfdev_region_get_cache_modes(r), cache_modes,
				 true));
		if (mmfdev_region_get_cache_modes(r))
			printf("\"%s\"}",
			       cache_name(mmfdev_region_get_cache_default(r)));
		else
			printf("null}");
		mmfdev_region_free(r);
	}
	printf("%s],\n%s  \"events\": [", n ? "\n" : "", ind);
	n = mmfdev_get_num_events(t->dev);
	for (i = 0; i < n; i++) {
		struct mmfdev_event *e;
		uint64_t count = 0;

		ret = mmfdev_event_get(t->dev, i, &e);
		if (!ret)
			ret = mmfdev_event_peek(t->dev, i, &count, NULL, NULL);
		if (ret) {
			warn_sys(ret, "%s: event line %u", t->path, i);
			mmfdev_event_free(e);
			err = ret;
			continue;
		}
		printf("%s\n%s    {\"index\": %u, \"name\": ", i ? "," : "",
		       ind, i);
		json_string(mmfdev_event_get_name(e));
		printf(", \"kind\": \"%s\", \"trigger\": \"%s\", \"flags\": [%s]"
		       ", \"count\": %" PRIu64 "}",
		       event_kind_name(mmfdev_event_get_kind(e)),
		       mmfdev_event_get_trigger(e) == MMFDEV_EVENT_LEVEL ?
		       "level" : "edge",
		       bit_names(buf, sizeof(buf), mmfdev_event_get_flags(e),
				 event_flags, true), count);
		mmfdev_event_free(e);
	}
	printf("%s]\n%s}", n ? "\n" : "", ind);
	return err;
}

/* The nodes in /dev: "mmfdev" and "mmfdev-*", sorted. */
static int is_node_name(const struct dirent *d)
{
	return !strcmp(d->d_name, MODULE_NAME) ||
	       !strncmp(d->d_name, MODULE_NAME "-", strlen(MODULE_NAME) + 1);
}

/* --- list, info ------------------------------------------------------------ */

static int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct dirent **names;
	bool json = false, first = true;
	int c, i, n, rc = 0;
	struct table tb;

	while ((c = next_opt(argc, argv, "hj", opts)) != -1)
		json = true;
	want_args(argc, 0, 0);

	n = scandir(DEV_DIR, &names, is_node_name, alphasort);
	if (n < 0)
		die_sys(-errno, "%s", DEV_DIR);
	if (json)
		printf("{\n  \"devices\": [");
	else
		region_table_init(&tb, true);
	for (i = 0; i < n; i++) {
		struct target t;
		int ret;

		snprintf(t.path, sizeof(t.path), DEV_DIR "/%s",
			 names[i]->d_name);
		free(names[i]);
		ret = mmfdev_open(t.path, MMFDEV_OPEN_RDONLY, &t.dev);
		if (ret) {
			warn_sys(ret, "%s", t.path);
			rc = EXIT_SYSTEM;
			continue;
		}
		if (json) {
			printf("%s\n", first ? "" : ",");
			ret = device_json(&t, "    ");
		} else {
			ret = region_rows(&tb, &t, true);
		}
		first = false;
		if (ret)
			rc = EXIT_SYSTEM;
		close_target(&t);
	}
	free(names);
	if (json)
		printf("%s]\n}\n", first ? "" : "\n  ");
	else if (!first)
		print_table(&tb, "");
	else
		free_table(&tb);	/* no devices: no header either */
	return rc;
}

static int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int i, n;
	bool json = false;
	struct target t;
	struct table tb;
	char buf[128];
	int c, rc = 0;

	while ((c = next_opt(argc, argv, "hj", opts)) != -1)
		json = true;
	want_args(argc, 1, 1);
	open_target(&t, argv[optind], false);

	if (json) {
		if (device_json(&t, ""))
			rc = EXIT_SYSTEM;
		putchar('\n');
		close_target(&t);
		return rc;
	}
	printf("device: %s\npath: %s\npage size: %zu\nregions: %u\n",
	       mmfdev_get_name(t.dev), t.path, mmfdev_get_page_size(t.dev),
	       mmfdev_get_num_regions(t.dev));
	region_table_init(&tb, false);
	if (region_rows(&tb, &t, false))
		rc = EXIT_SYSTEM;
	print_table(&tb, "  ");

	n = mmfdev_get_num_events(t.dev);
	printf("event lines: %u\n", n);
	memset(&tb, 0, sizeof(tb));
	tb.ncols = 6;
	tb.right[0] = tb.right[5] = true;
	add_row(&tb);
	cell(&tb, 0, "IDX");
	cell(&tb, 1, "LINE");
	cell(&tb, 2, "KIND");
	cell(&tb, 3, "TRIGGER");
	cell(&tb, 4, "FLAGS");
	cell(&tb, 5, "COUNT");
	for (i = 0; i < n; i++) {
		struct mmfdev_event *e;
		uint64_t count = 0;
		int ret;

		ret = mmfdev_event_get(t.dev, i, &e);
		if (!ret)
			ret = mmfdev_event_peek(t.dev, i, &count, NULL, NULL);
		if (ret) {
			warn_sys(ret, "%s: event line %u", t.path, i);
			mmfdev_event_free(e);
			rc = EXIT_SYSTEM;
			continue;
		}
		add_row(&tb);
		cell(&tb, 0, "%u", i);
		cell(&tb, 1, "%s", mmfdev_event_get_name(e));
		cell(&tb, 2, "%s", event_kind_name(mmfdev_event_get_kind(e)));
		cell(&tb, 3, "%s", mmfdev_event_get_trigger(e) ==
		     MMFDEV_EVENT_LEVEL ? "level" : "edge");
		cell(&tb, 4, "%s", bit_names(buf, sizeof(buf),
		     mmfdev_event_get_flags(e), event_flags, false));
		cell(&tb, 5, "%" PRIu64, count);
		mmfdev_event_free(e);
	}
	if (n)
		print_table(&tb, "  ");
	else
		free_table(&tb);
	close_target(&t);
	return rc;
}

/* --- progress -------------------------------------------------------------- */

struct progress {
	const char *what;
	uint64_t total, done;
	int shown;		/* percent last drawn */
	bool on;
};

/* A bar on stderr, only for large ranges and when stderr is a terminal. */
static void progress_init(struct progress *p, const char *what,
			  uint64_t total)
{
	p->what = what;
	p->total = total;
	p->done = 0;
	p->shown = -1;
	p->on = total >= PROGRESS_MIN && isatty(STDERR_FILENO);
}

static void progress_step(struct progress *p, uint64_t n)
{
	static const char bar[] = "##############################";
	const int w = sizeof(bar) - 1;
	int pct;

	p->done += n;
	if (!p->on)
		return;
	pct = p->total ? (int)(p->done * 100 / p->total) : 100;
	if (pct == p->shown)
		return;
	p->shown = pct;
	fprintf(stderr, "\r%s: [%-*.*s] %3d%% %" PRIu64 "/%" PRIu64 " MiB",
		p->what, w, pct * w / 100, bar, pct, p->done >> 20,
		p->total >> 20);
	if (p->done >= p->total)
		fputc('\n', stderr);
}

/* --- dump, peek, poke, fill ------------------------------------------------ */

struct hexdump {
	uint64_t addr;
	uint8_t prev[16];
	bool have_prev, squeezing, verbose;
};

/* One line of hexdump -C: 16 bytes, or fewer at the end. */
static void hexdump_line(struct hexdump *h, const uint8_t *b, size_t n)
{
	size_t i;

	if (!h->verbose && n == 16 && h->have_prev &&
	    !memcmp(h->prev, b, 16)) {
		if (!h->squeezing)
			puts("*");
		h->squeezing = true;
		h->addr += 16;
		return;
	}
	h->squeezing = false;
	printf("%08" PRIx64 " ", h->addr);
	for (i = 0; i < 16; i++) {
		if (i == 8)
			putchar(' ');
		if (i < n)
			printf(" %02x", b[i]);
		else
			fputs("   ", stdout);
	}
	fputs("  |", stdout);
	for (i = 0; i < n; i++)
		putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	puts("|");
	memcpy(h->prev, b, n);
	h->have_prev = n == 16;
	h->addr += n;
}

/* One sized read of @width bytes at @off: the value, native endian. */
static uint64_t read_sized(struct target *t, struct mmfdev_region *r,
			   uint64_t off, unsigned int width)
{
	unsigned int index = mmfdev_region_get_index(r);
	uint8_t buf[8];
	uint64_t v = 0;
	ssize_t n;

	n = mmfdev_read(t->dev, index, off, buf, width);
	if (n >= 0 && (size_t)n < width)
		n = -ENXIO;
	if (n < 0)
		die_sys(n, "%s: region '%s': %u-bit read at 0x%" PRIx64,
			t->path, mmfdev_region_get_name(r), width * 8, off);
	switch (width) {
	case 1: v = buf[0]; break;
	case 2: { uint16_t x; memcpy(&x, buf, 2); v = x; break; }
	case 4: { uint32_t x; memcpy(&x, buf, 4); v = x; break; }
	default: memcpy(&v, buf, 8); break;
	}
	return v;
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "width", required_argument, NULL, 'w' },
		{ "no-squeeze", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct hexdump h = { 0 };
	struct mmfdev_region *r;
	unsigned int width = 0;
	uint64_t off, len;
	struct target t;
	uint8_t *buf;
	int c;

	while ((c = next_opt(argc, argv, "hw:v", opts)) != -1) {
		if (c == 'w')
			width = arg_width(optarg);
		else
			h.verbose = true;
	}
	want_args(argc, 2, 4);
	open_target(&t, argv[optind], false);
	r = get_region(&t, argv[optind + 1]);
	get_range(&t, r, argc - optind - 2, argv + optind + 2, &off, &len);
	if (width && (off % width || len % width))
		die_usage("with --width %u, offset and length must be multiples of %u",
			  width * 8, width);

	buf = malloc(len < CHUNK ? len + 1 : CHUNK);
	if (!buf)
		die_sys(-ENOMEM, "dump");
	h.addr = off;
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK, i;

		if (width) {
			for (i = 0; i < n; i += width) {
				uint64_t v = read_sized(&t, r, off + i, width);

				memcpy(buf + i, (uint8_t *)&v +
				       (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
					8 - width : 0), width);
			}
		} else {
			int ret = mmfdev_copy_from_region(t.dev,
				mmfdev_region_get_index(r), off, buf, n);

			if (ret)
				die_sys(ret, "%s: region '%s': 0x%zx bytes at 0x%"
					PRIx64, t.path,
					mmfdev_region_get_name(r), n, off);
		}
		for (i = 0; i < n; i += 16)
			hexdump_line(&h, buf + i, n - i < 16 ? n - i : 16);
		off += n;
		len -= n;
	}
	printf("%08" PRIx64 "\n", h.addr);
	free(buf);
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

static int cmd_peek(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "width", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct mmfdev_region *r;
	unsigned int width = 4;
	struct target t;
	uint64_t off, v;
	int c;

	while ((c = next_opt(argc, argv, "hw:", opts)) != -1)
		width = arg_width(optarg);
	want_args(argc, 3, 3);
	off = arg_u64("offset", argv[optind + 2], UINT64_MAX);
	open_target(&t, argv[optind], false);
	r = get_region(&t, argv[optind + 1]);
	v = read_sized(&t, r, off, width);
	printf("0x%0*" PRIx64 "\n", (int)width * 2, v);
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

static int cmd_poke(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "width", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct mmfdev_region *r;
	unsigned int width = 4;
	uint64_t off, v, max;
	uint8_t buf[8];
	struct target t;
	ssize_t n;
	int c;

	while ((c = next_opt(argc, argv, "hw:", opts)) != -1)
		width = arg_width(optarg);
	want_args(argc, 4, 4);
	off = arg_u64("offset", argv[optind + 2], UINT64_MAX);
	max = width == 8 ? UINT64_MAX : (UINT64_C(1) << (width * 8)) - 1;
	v = arg_u64("value", argv[optind + 3], max);
	open_target(&t, argv[optind], true);
	r = get_region(&t, argv[optind + 1]);
	switch (width) {
	case 1: buf[0] = v; break;
	case 2: { uint16_t x = v; memcpy(buf, &x, 2); break; }
	case 4: { uint32_t x = v; memcpy(buf, &x, 4); break; }
	default: memcpy(buf, &v, 8); break;
	}
	n = mmfdev_write(t.dev, mmfdev_region_get_index(r), off, buf, width);
	if (n >= 0 && (size_t)n < width)
		n = -ENXIO;
	if (n < 0)
		die_sys(n, "%s: region '%s': %u-bit write at 0x%" PRIx64,
			t.path, mmfdev_region_get_name(r), width * 8, off);
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

static int cmd_fill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "value", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct mmfdev_region *r;
	struct progress p;
	unsigned int value = 0;
	uint64_t off, len;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "hb:", opts)) != -1)
		value = arg_u64("value", optarg, 0xff);
	want_args(argc, 2, 4);
	open_target(&t, argv[optind], true);
	r = get_region(&t, argv[optind + 1]);
	get_range(&t, r, argc - optind - 2, argv + optind + 2, &off, &len);
	progress_init(&p, "fill", len);
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;

		ret = mmfdev_fill_region(t.dev, mmfdev_region_get_index(r),
					 off, value, n);
		if (ret)
			die_sys(ret, "%s: region '%s': 0x%zx bytes at 0x%" PRIx64,
				t.path, mmfdev_region_get_name(r), n, off);
		progress_step(&p, n);
		off += n;
		len -= n;
	}
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

/* --- save, load ------------------------------------------------------------- */

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Up to @len bytes, fewer only at the end of the input. */
static ssize_t read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += n;
	}
	return got;
}

static int cmd_save(int argc, char **argv)
{
	struct mmfdev_region *r;
	const char *file;
	struct progress p;
	uint64_t off = 0, len;
	struct target t;
	uint8_t *buf;
	int fd, ret;

	no_options(argc, argv);
	want_args(argc, 3, 3);
	file = argv[optind + 2];
	open_target(&t, argv[optind], false);
	r = get_region(&t, argv[optind + 1]);
	get_range(&t, r, 0, NULL, &off, &len);

	if (!strcmp(file, "-"))
		fd = STDOUT_FILENO;
	else
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		die_sys(-errno, "%s", file);
	buf = malloc(CHUNK);
	if (!buf)
		die_sys(-ENOMEM, "save");
	progress_init(&p, "save", len);
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;

		ret = mmfdev_copy_from_region(t.dev, mmfdev_region_get_index(r),
					      off, buf, n);
		if (ret)
			die_sys(ret, "%s: region '%s': 0x%zx bytes at 0x%" PRIx64,
				t.path, mmfdev_region_get_name(r), n, off);
		ret = write_all(fd, buf, n);
		if (ret)
			die_sys(ret, "%s", file);
		progress_step(&p, n);
		off += n;
		len -= n;
	}
	if (fd != STDOUT_FILENO && close(fd))
		die_sys(-errno, "%s", file);
	free(buf);
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	struct mmfdev_region *r;
	const char *file;
	struct progress p;
	uint64_t off = 0, size;
	struct target t;
	struct stat st;
	uint8_t *buf;
	int fd, ret;

	no_options(argc, argv);
	want_args(argc, 3, 3);
	file = argv[optind];
	open_target(&t, argv[optind + 1], true);
	r = get_region(&t, argv[optind + 2]);
	size = mmfdev_region_get_size(r);

	if (!strcmp(file, "-"))
		fd = STDIN_FILENO;
	else
		fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die_sys(-errno, "%s", file);
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > size)
		die_sys(-EFBIG, "%s: %" PRIu64 " bytes do not fit in region"
			" '%s' of %s (0x%" PRIx64 " bytes)", file,
			(uint64_t)st.st_size, mmfdev_region_get_name(r),
			t.path, size);
	buf = malloc(CHUNK);
	if (!buf)
		die_sys(-ENOMEM, "load");
	progress_init(&p, "load", S_ISREG(st.st_mode) ? (uint64_t)st.st_size :
		      size);
	for (;;) {
		ssize_t n = read_full(fd, buf, CHUNK);

		if (n < 0)
			die_sys(n, "%s", file);
		if (!n)
			break;
		if ((uint64_t)n > size - off)
			die_sys(-EFBIG, "%s: more than 0x%" PRIx64
				" bytes, the size of region '%s' of %s", file,
				size, mmfdev_region_get_name(r), t.path);
		ret = mmfdev_copy_to_region(t.dev, mmfdev_region_get_index(r),
					    off, buf, n);
		if (ret)
			die_sys(ret, "%s: region '%s': 0x%zx bytes at 0x%" PRIx64,
				t.path, mmfdev_region_get_name(r), (size_t)n,
				off);
		progress_step(&p, n);
		off += n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	mmfdev_region_free(r);
	close_target(&t);
	return 0;
}

/* --- wait, ring -------------------------------------------------------------- */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t timeout_ns = -1, deadline = 0;
	uint64_t want = 1, got = 0;
	struct mmfdev_event *e;
	unsigned int index;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "ht:c:", opts)) != -1) {
		if (c == 't')
			timeout_ns = arg_u64("timeout", optarg,
					     INT64_MAX / 1000000) * 1000000;
		else
			want = arg_u64("count", optarg, UINT64_MAX);
	}
	if (!want)
		die_usage("count must be at least 1");
	want_args(argc, 2, 2);
	open_target(&t, argv[optind], false);
	e = get_line(&t, argv[optind + 1]);
	index = mmfdev_event_get_index(e);

	/* A new handle has seen what came before it was opened. */
	if (timeout_ns >= 0)
		deadline = now_ns() + timeout_ns;
	while (got < want) {
		int64_t left = -1;
		uint64_t n;

		if (timeout_ns >= 0) {
			left = deadline - now_ns();
			if (left < 0)
				left = 0;
		}
		ret = mmfdev_event_wait(t.dev, MMFDEV_EVENT_BIT(index), left,
					NULL);
		if (!ret)
			ret = mmfdev_event_read(t.dev, index, NULL, &n, NULL);
		if (ret)
			die_sys(ret, "%s: event line '%s': %" PRIu64 " of %"
				PRIu64 " events", t.path,
				mmfdev_event_get_name(e), got, want);
		got += n;
	}
	printf("%s: %" PRIu64 " event%s\n", mmfdev_event_get_name(e), got,
	       got == 1 ? "" : "s");
	mmfdev_event_free(e);
	close_target(&t);
	return 0;
}

static int cmd_ring(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct mmfdev_event *e;
	uint64_t count = 1, i;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "hc:", opts)) != -1)
		count = arg_u64("count", optarg, UINT64_MAX);
	want_args(argc, 2, 2);
	open_target(&t, argv[optind], true);
	e = get_line(&t, argv[optind + 1]);
	for (i = 0; i < count; i++) {
		ret = mmfdev_event_ring(t.dev, mmfdev_event_get_index(e));
		if (ret)
			die_sys(ret, "%s: event line '%s'", t.path,
				mmfdev_event_get_name(e));
	}
	mmfdev_event_free(e);
	close_target(&t);
	return 0;
}

/* --- load-module, unload-module ---------------------------------------------- */

#ifndef MMFCTL_NO_KMOD
/* Our own messages say what failed; libkmod's would repeat it. */
static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
}

/*
 * @config: read modprobe.d (options, blacklist), as modprobe does; else
 * none, as insmod does for a .ko file.
 */
static struct kmod_ctx *kmod_open(bool config)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, config ? NULL : &null_config);

	if (!ctx)
		die_sys(-ENOMEM, "libkmod");
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	return ctx;
}

static int cmd_load_module(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "module", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char *params = NULL;
	size_t len = 0;
	int c, i, ret;

	while ((c = next_opt(argc, argv, "hm:", opts)) != -1)
		path = optarg;
	for (i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);
		char *p;

		if (!n || strchr(argv[i], ' ') || argv[i][0] == '=')
			die_usage("bad module parameter '%s'", argv[i]);
		p = realloc(params, len + n + 2);
		if (!p)
			die_sys(-ENOMEM, "load-module");
		params = p;
		if (len)
			params[len++] = ' ';
		memcpy(params + len, argv[i], n + 1);
		len += n;
	}

	ctx = kmod_open(!path);
	if (path) {
		ret = kmod_module_new_from_path(ctx, path, &mod);
		if (ret)
			die_sys(ret, "%s", path);
		ret = kmod_module_insert_module(mod, 0, params ? params : "");
	} else {
		path = MODULE_NAME;
		ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
		if (ret)
			die_sys(ret, "%s", path);
		ret = kmod_module_probe_insert_module(mod,
			KMOD_PROBE_FAIL_ON_LOADED, params, NULL, NULL, NULL);
	}
	if (ret < 0)
		die_sys(ret, "%s%s%s", path, params ? " " : "",
			params ? params : "");
	kmod_module_unref(mod);
	kmod_unref(ctx);
	free(params);
	return 0;
}

static int cmd_unload_module(int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret;

	no_options(argc, argv);
	want_args(argc, 0, 0);
	ctx = kmod_open(false);
	ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret)
		ret = kmod_module_remove_module(mod, 0);
	if (ret < 0)
		die_sys(ret, "%s", MODULE_NAME);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}
#endif /* MMFCTL_NO_KMOD */

/* --- main -------------------------------------------------------------------- */

#define RANGE_HELP \
	"OFF defaults to 0 and LEN to the rest of the region.\n"

static const struct command commands[] = {
	{ "list", cmd_list, "[--json]",
	  "List every mmfdev node in /dev and its regions",
	  "One line per region: device, index, name, kind, size and offset\n"
	  "(hex bytes), flags, and cache modes, the default one marked with\n"
	  "a '*'.  With --json, the devices with their regions and event\n"
	  "lines as one JSON object.\n",
	  "  -j, --json            print JSON\n" },
	{ "info", cmd_info, "[--json] DEV",
	  "Describe a device: its regions and event lines", NULL,
	  "  -j, --json            print JSON, as one device of 'list --json'\n" },
	{ "dump", cmd_dump, "[-v] [--width BITS] DEV REGION [OFF [LEN]]",
	  "Print a range of a region as hexdump -C does",
	  RANGE_HELP
	  "Reads through pread(): on MMIO regions with naturally aligned\n"
	  "accesses of up to 8 bytes, or of exactly --width bits.  Identical\n"
	  "lines print as one '*' unless -v.  Addresses are region offsets.\n",
	  "  -w, --width BITS      read with 8, 16, 32 or 64-bit accesses\n"
	  "  -v, --no-squeeze      print every line\n" },
	{ "peek", cmd_peek, "[--width BITS] DEV REGION OFF",
	  "Read one value with one sized access, and print it in hex",
	  "The access is one pread() of the width (default 32 bits), in the\n"
	  "CPU's byte order; MMIO regions want it aligned to its size.\n",
	  "  -w, --width BITS      8, 16, 32 (default) or 64\n" },
	{ "poke", cmd_poke, "[--width BITS] DEV REGION OFF VALUE",
	  "Write one value with one sized access",
	  "As peek, the other way.  VALUE must fit in the width.\n",
	  "  -w, --width BITS      8, 16, 32 (default) or 64\n" },
	{ "fill", cmd_fill, "[--value BYTE] DEV REGION [OFF [LEN]]",
	  "Set a range of a region to a byte value (default 0)",
	  RANGE_HELP,
	  "      --value BYTE      the byte, 0 to 255 or 0x0 to 0xff\n" },
	{ "save", cmd_save, "DEV REGION FILE",
	  "Copy a whole region into FILE ('-': standard output)",
	  "A progress bar goes to stderr when it is a terminal and the\n"
	  "region holds 4 MiB or more.\n", NULL },
	{ "load", cmd_load, "FILE DEV REGION",
	  "Copy FILE ('-': standard input) into a region, from its start",
	  "FILE may be shorter than the region, not longer.  A progress bar\n"
	  "goes to stderr as for save.\n", NULL },
	{ "wait", cmd_wait, "[--timeout MS] [--count N] DEV LINE",
	  "Wait for events on an event line",
	  "Counts the events that come after the device is opened, until\n"
	  "there are N (default 1), then prints 'LINE: N events'.  Level\n"
	  "lines are not unmasked.  Running out of time is an ETIMEDOUT\n"
	  "error.\n",
	  "  -t, --timeout MS      give up after MS milliseconds\n"
	  "  -c, --count N         wait for N events (default 1)\n" },
	{ "ring", cmd_ring, "[--count N] DEV LINE",
	  "Ring a doorbell event line", NULL,
	  "  -c, --count N         ring N times (default 1)\n" },
#ifndef MMFCTL_NO_KMOD
	{ "load-module", cmd_load_module, "[--module FILE] [PARAM=VALUE...]",
	  "Load the mmfdev module with parameters, through libkmod",
	  "Without --module, the installed module, as modprobe finds it;\n"
	  "with it, that .ko file.  Parameters as for modprobe, e.g.\n"
	  "size=16M pci_ids=1234:11e8 (see mmfdev(4)).  A loaded module\n"
	  "is an EEXIST error.\n",
	  "  -m, --module FILE     load this .ko file\n" },
	{ "unload-module", cmd_unload_module, "",
	  "Unload the mmfdev module",
	  "It fails while a process has a node open or mapped.\n", NULL },
#endif
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

static void usage(void)
{
	const struct command *c;

	printf("Usage: %s [--help | --version] COMMAND [ARGS...]\n\n"
	       "List, inspect, read and write mmfdev devices.\n\nCommands:\n",
	       progname);
	for (c = commands; c->name; c++)
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
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[optind]))
			break;
	if (!c->name) {
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
