// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl list and info: nodes, regions and event lines, as tables or JSON. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmfctl.h"

/* --- names of the ABI's numbers ------------------------------------------- */

static const char *kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[MMFDEV_REGION_NONE] = "none",
		[MMFDEV_REGION_RAM] = "ram",
		[MMFDEV_REGION_MMIO] = "mmio",
		[MMFDEV_REGION_RESERVED] = "reserved",
		[MMFDEV_REGION_IOPORT] = "ioport",
		[MMFDEV_REGION_DMA] = "dma",
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

static const struct bit_name region_flags[] = {
	{ MMFDEV_REGION_READ, "read" },
	{ MMFDEV_REGION_WRITE, "write" },
	{ MMFDEV_REGION_MMAP, "mmap" },
	{ MMFDEV_REGION_SIZED, "sized" },
	{ MMFDEV_REGION_SHARED, "shared" },
	{ MMFDEV_REGION_DMA_SYNC, "dma_sync" },
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

/* --- describing a device --------------------------------------------------- */

/* The region rows of @t's device into @tb (DEVICE column if @device). */
/* Region @i of @t, or NULL after a warning, with its errno in @err. */
static struct mmfdev_region *region_at(struct target *t, unsigned int i,
				       int *err)
{
	struct mmfdev_region *r;
	int ret;

	ret = mmfdev_region_get(t->dev, i, &r);
	if (ret) {
		warn_sys(ret, "%s: region %u", t->path, i);
		*err = ret;
		return NULL;
	}
	return r;
}

static int region_rows(struct table *tb, struct target *t, bool device)
{
	unsigned int i, n = mmfdev_get_num_regions(t->dev);
	unsigned int c0 = device ? 1 : 0;
	char buf[128];
	int err = 0;

	for (i = 0; i < n; i++) {
		struct mmfdev_region *r = region_at(t, i, &err);

		if (!r)
			continue;
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
		struct mmfdev_region *r = region_at(t, i, &err);

		if (!r)
			continue;
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

const struct command list_commands[] = {
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
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
