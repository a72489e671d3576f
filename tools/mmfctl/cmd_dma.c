// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl dma alloc, free, info and sync: the DMA buffers of a device. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mmfctl.h"

/* --- names of the ABI's numbers ------------------------------------------- */

static const struct {
	const char *name;
	unsigned int kind;
} dma_kinds[] = {
	{ "coherent", MMFDEV_DMA_COHERENT },
	{ "streaming", MMFDEV_DMA_STREAMING },
	{ "contiguous", MMFDEV_DMA_CONTIGUOUS },
};

#define NUM_DMA_KINDS	(sizeof(dma_kinds) / sizeof(dma_kinds[0]))

static const char *dma_kind_name(unsigned int kind)
{
	size_t i;

	for (i = 0; i < NUM_DMA_KINDS; i++)
		if (dma_kinds[i].kind == kind)
			return dma_kinds[i].name;
	return "unknown";
}

/* KIND: coherent, streaming or contiguous. */
static unsigned int arg_dma_kind(const char *s)
{
	size_t i;

	for (i = 0; i < NUM_DMA_KINDS; i++)
		if (!strcmp(dma_kinds[i].name, s))
			return dma_kinds[i].kind;
	die_usage("kind '%s' is not coherent, streaming or contiguous", s);
}

static const struct bit_name device_flags[] = {
	{ MMFDEV_DEVICE_DMA, "dma" },
	{ MMFDEV_DEVICE_IOMMU, "iommu" },
	{ MMFDEV_DEVICE_DMA_COHERENT, "dma_coherent" },
	{ MMFDEV_DEVICE_ALL_MEMORY, "all_memory" },
	{ 0, NULL }
};

static const struct bit_name buffer_flags[] = {
	{ MMFDEV_DMA_F_SYNC, "sync" },
	{ MMFDEV_DMA_F_CONTIGUOUS, "contiguous" },
	{ MMFDEV_DMA_F_IOMMU, "iommu" },
	{ 0, NULL }
};

/* INDEX: a region number. */
static unsigned int arg_index(const char *s)
{
	return arg_u64("index", s, UINT_MAX);
}

/* --- alloc, free ------------------------------------------------------------ */

static int cmd_alloc(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "hold", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int kind, index;
	bool hold = false;
	struct target t;
	uint64_t size;
	sigset_t stop;
	int c, sig, ret;

	while ((c = next_opt(argc, argv, "h", opts)) != -1)
		hold = true;
	want_args(argc, 3, 3);
	kind = arg_dma_kind(argv[optind + 1]);
	size = arg_size("size", argv[optind + 2], UINT64_MAX);

	/* Blocked from the start, so that an early signal still counts. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (hold && sigprocmask(SIG_BLOCK, &stop, NULL))
		die_sys(-errno, "sigprocmask");

	open_target(&t, argv[optind], true);
	ret = mmfdev_dma_alloc(t.dev, kind, size, &index);
	if (ret)
		die_sys(ret, "%s: %s DMA buffer of 0x%" PRIx64 " bytes", t.path,
			dma_kind_name(kind), size);
	printf("%u\n", index);
	if (hold) {
		fflush(stdout);
		ret = sigwait(&stop, &sig);
		if (ret)
			die_sys(-ret, "sigwait");
	} else {
		fprintf(stderr, "%s: %s: note: buffer %u goes when %s exits,"
			" unless another process holds %s open (see --hold)\n",
			progname, cmd->name, index, progname, t.path);
	}
	close_target(&t);
	return 0;
}

static int cmd_free(int argc, char **argv)
{
	unsigned int index;
	struct target t;
	int ret;

	no_options(argc, argv);
	want_args(argc, 2, 2);
	index = arg_index(argv[optind + 1]);
	open_target(&t, argv[optind], true);
	ret = mmfdev_dma_free(t.dev, index);
	if (ret)
		die_sys(ret, "%s: DMA buffer %u", t.path, index);
	close_target(&t);
	return 0;
}

/* --- info ------------------------------------------------------------------- */

/* Buffer @index of @t, or NULL after a warning. */
static struct mmfdev_dma_desc *describe(struct target *t, unsigned int index)
{
	struct mmfdev_dma_desc *desc;
	int ret;

	ret = mmfdev_dma_describe(t->dev, index, &desc);
	if (ret) {
		warn_sys(ret, "%s: DMA buffer %u", t->path, index);
		return NULL;
	}
	return desc;
}

static void buffer_text(unsigned int index, const struct mmfdev_dma_desc *d)
{
	unsigned int i, n = mmfdev_dma_desc_get_num_segments(d);
	char buf[128];

	printf("buffer %u: %s, 0x%" PRIx64 " bytes\n", index,
	       dma_kind_name(mmfdev_dma_desc_get_kind(d)),
	       mmfdev_dma_desc_get_size(d));
	printf("  flags: %s\n  dma mask: 0x%" PRIx64 "\n  bus address: 0x%"
	       PRIx64 "\n  segments: %u\n",
	       bit_names(buf, sizeof(buf), mmfdev_dma_desc_get_flags(d),
			 buffer_flags, false),
	       mmfdev_dma_desc_get_dma_mask(d), mmfdev_dma_desc_get_bus_addr(d),
	       n);
	for (i = 0; i < n; i++) {
		uint64_t addr, len;

		mmfdev_dma_desc_get_segment(d, i, &addr, &len);
		printf("    0x%" PRIx64 "  0x%" PRIx64 "\n", addr, len);
	}
}

/* One buffer as JSON, at nesting @ind (a string of spaces). */
static void buffer_json(unsigned int index, const struct mmfdev_dma_desc *d,
			const char *ind)
{
	unsigned int i, n = mmfdev_dma_desc_get_num_segments(d);
	char buf[128];

	printf("%s{\"index\": %u, \"kind\": \"%s\", \"size\": %" PRIu64
	       ", \"flags\": [%s], \"dma_mask\": %" PRIu64
	       ", \"bus_addr\": %" PRIu64 ",\n%s \"segments\": [",
	       ind, index, dma_kind_name(mmfdev_dma_desc_get_kind(d)),
	       mmfdev_dma_desc_get_size(d),
	       bit_names(buf, sizeof(buf), mmfdev_dma_desc_get_flags(d),
			 buffer_flags, true),
	       mmfdev_dma_desc_get_dma_mask(d), mmfdev_dma_desc_get_bus_addr(d),
	       ind);
	for (i = 0; i < n; i++) {
		uint64_t addr, len;

		mmfdev_dma_desc_get_segment(d, i, &addr, &len);
		printf("%s{\"addr\": %" PRIu64 ", \"len\": %" PRIu64 "}",
		       i ? ", " : "", addr, len);
	}
	printf("]}");
}

static int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t mask, quota, used;
	struct mmfdev_dma_desc *d;
	unsigned int i, n, found = 0;
	bool json = false;
	struct target t;
	char buf[128];
	int c, ret, rc = 0;

	while ((c = next_opt(argc, argv, "hj", opts)) != -1)
		json = true;
	want_args(argc, 1, 2);
	if (argc - optind == 2) {
		i = arg_index(argv[optind + 1]);
		open_target(&t, argv[optind], false);
		ret = mmfdev_dma_describe(t.dev, i, &d);
		if (ret)
			die_sys(ret, "%s: DMA buffer %u", t.path, i);
		if (json) {
			buffer_json(i, d, "");
			putchar('\n');
		} else {
			buffer_text(i, d);
		}
		mmfdev_dma_desc_free(d);
		close_target(&t);
		return 0;
	}

	open_target(&t, argv[optind], false);
	ret = mmfdev_get_dma_limits(t.dev, &mask, &quota, &used);
	if (ret)
		die_sys(ret, "%s: DMA", t.path);
	bit_names(buf, sizeof(buf), mmfdev_get_device_flags(t.dev),
		  device_flags, json);
	if (json) {
		printf("{\n  \"path\": ");
		json_string(t.path);
		printf(",\n  \"name\": ");
		json_string(mmfdev_get_name(t.dev));
		printf(",\n  \"flags\": [%s],\n  \"dma_mask\": %" PRIu64
		       ",\n  \"dma_quota\": %" PRIu64 ",\n  \"dma_used\": %"
		       PRIu64 ",\n  \"buffers\": [", buf, mask, quota, used);
	} else {
		printf("device: %s\npath: %s\nflags: %s\ndma mask: 0x%" PRIx64
		       "\ndma quota: 0x%" PRIx64 "\ndma used: 0x%" PRIx64 "\n",
		       mmfdev_get_name(t.dev), t.path, buf, mask, quota, used);
	}

	n = mmfdev_get_num_regions(t.dev);
	for (i = 0; i < n; i++) {
		struct mmfdev_region *r;

		ret = mmfdev_region_get(t.dev, i, &r);
		if (ret) {
			warn_sys(ret, "%s: region %u", t.path, i);
			rc = EXIT_SYSTEM;
			continue;
		}
		if (mmfdev_region_get_kind(r) != MMFDEV_REGION_DMA) {
			mmfdev_region_free(r);
			continue;
		}
		mmfdev_region_free(r);
		d = describe(&t, i);
		if (!d) {
			rc = EXIT_SYSTEM;
			continue;
		}
		if (json) {
			printf("%s\n", found ? "," : "");
			buffer_json(i, d, "    ");
		} else {
			buffer_text(i, d);
		}
		mmfdev_dma_desc_free(d);
		found++;
	}
	if (json)
		printf("%s]\n}\n", found ? "\n  " : "");
	else if (!found)
		printf("buffers: none\n");
	close_target(&t);
	return rc;
}

/* --- sync ------------------------------------------------------------------- */

static int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "to-device", no_argument, NULL, 't' },
		{ "from-device", no_argument, NULL, 'f' },
		{ "bidirectional", no_argument, NULL, 'b' },
		{ "for-cpu", no_argument, NULL, 'c' },
		{ "for-device", no_argument, NULL, 'd' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int dir = 0, side = 0, index;
	uint64_t off = 0, len = 0;
	bool have_len = false;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 't':
		case 'f':
		case 'b':
			if (dir)
				die_usage("give one of --to-device, --from-device"
					  " and --bidirectional");
			dir = c == 't' ? MMFDEV_DMA_TO_DEVICE :
			      c == 'f' ? MMFDEV_DMA_FROM_DEVICE :
			      MMFDEV_DMA_BIDIRECTIONAL;
			break;
		case 'c':
		case 'd':
			if (side)
				die_usage("give one of --for-cpu and --for-device");
			side = c == 'c' ? MMFDEV_DMA_FOR_CPU :
			       MMFDEV_DMA_FOR_DEVICE;
			break;
		case 'o':
			off = arg_size("offset", optarg, UINT64_MAX);
			break;
		default:
			len = arg_size("length", optarg, UINT64_MAX);
			have_len = true;
			break;
		}
	}
	if (!dir)
		die_usage("give --to-device, --from-device or --bidirectional");
	if (!side)
		die_usage("give --for-cpu or --for-device");
	if (have_len && !len)
		die_usage("length must be at least 1");
	want_args(argc, 2, 2);
	index = arg_index(argv[optind + 1]);
	open_target(&t, argv[optind], false);

	if (!have_len) {
		struct mmfdev_dma_desc *d;
		uint64_t size;

		ret = mmfdev_dma_describe(t.dev, index, &d);
		if (ret)
			die_sys(ret, "%s: DMA buffer %u", t.path, index);
		size = mmfdev_dma_desc_get_size(d);
		mmfdev_dma_desc_free(d);
		if (off >= size)
			die_sys(-ENXIO, "%s: DMA buffer %u: offset 0x%" PRIx64
				" is at or past its end (size 0x%" PRIx64 ")",
				t.path, index, off, size);
		len = size - off;
	}
	ret = mmfdev_dma_sync(t.dev, index, dir | side, off, len);
	if (ret)
		die_sys(ret, "%s: DMA buffer %u: 0x%" PRIx64 " bytes at 0x%"
			PRIx64, t.path, index, len, off);
	close_target(&t);
	return 0;
}

/* --- the dma family ----------------------------------------------------------- */

#define SIZE_HELP \
	"Sizes are numbers, or numbers with K, M or G for KiB, MiB or GiB.\n"

static const struct command dma_subcommands[] = {
	{ "dma alloc", cmd_alloc, "[--hold] DEV KIND SIZE",
	  "Allocate a DMA buffer of the device, and print its region index",
	  "KIND is coherent, streaming or contiguous.  SIZE is a multiple of\n"
	  "the page size.\n" SIZE_HELP
	  "\n"
	  "The buffer belongs to the device, and goes when its last open file\n"
	  "is closed: when mmfctl exits, unless another process holds DEV\n"
	  "open.  With --hold, mmfctl keeps it open after printing the index,\n"
	  "until SIGINT or SIGTERM.\n",
	  "      --hold            keep DEV open until SIGINT or SIGTERM\n" },
	{ "dma free", cmd_free, "DEV INDEX",
	  "Free a DMA buffer: its mappings are revoked, everywhere",
	  NULL, NULL },
	{ "dma info", cmd_info, "[--json] DEV [INDEX]",
	  "Describe the device's DMA limits and buffers, or one buffer",
	  "The device's DMA flags (dma, iommu, dma_coherent), mask, quota and\n"
	  "bytes in use, then each buffer: kind, size, flags (sync,\n"
	  "contiguous, iommu), the DMA mask it was made for, its bus address\n"
	  "and its segments as the device sees them, address and length.\n"
	  "With INDEX, only that buffer.\n",
	  "  -j, --json            print JSON\n" },
	{ "dma sync", cmd_sync,
	  "DIRECTION SIDE [--offset N] [--length N] DEV INDEX",
	  "Hand a range of a DMA buffer over to the CPU or the device",
	  "DIRECTION is --to-device, --from-device or --bidirectional; SIDE\n"
	  "is --for-cpu or --for-device: --to-device --for-device after the\n"
	  "CPU wrote, --from-device --for-cpu before the CPU reads what the\n"
	  "device wrote.  The range is the rest of the buffer from --offset\n"
	  "(default 0) unless --length.\n" SIZE_HELP,
	  "      --to-device       the CPU wrote, the device reads\n"
	  "      --from-device     the device wrote, the CPU reads\n"
	  "      --bidirectional   both\n"
	  "      --for-cpu         the CPU uses the range next\n"
	  "      --for-device      the device uses the range next\n"
	  "      --offset N        start of the range (default 0)\n"
	  "      --length N        bytes in the range (default: to the end)\n" },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

static void dma_help(void)
{
	const struct command *c;

	printf("Usage: %s dma SUBCOMMAND [ARGS...]\n\n%s.\n\n", progname,
	       cmd->summary);
	for (c = dma_subcommands; c->name; c++)
		printf("  %s %s %s\n        %s\n", progname, c->name, c->args,
		       c->summary);
	printf("\n'%s dma SUBCOMMAND --help' describes a subcommand.\n\n"
	       "Options:\n  -h, --help            show this help and exit\n",
	       progname);
}

static int cmd_dma(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command *c;
	char name[64];
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (opt != 'h')
			bad_option(argv);
		dma_help();
		return 0;
	}
	if (optind >= argc)
		die_usage("no subcommand: alloc, free, info or sync");
	snprintf(name, sizeof(name), "dma %s", argv[optind]);
	for (c = dma_subcommands; c->name; c++)
		if (!strcmp(c->name, name))
			break;
	if (!c->name)
		die_usage("unknown subcommand '%s'", argv[optind]);
	cmd = c;
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start over, for the subcommand's options */
	return c->run(argc, argv);
}

const struct command dma_commands[] = {
	{ "dma", cmd_dma, "SUBCOMMAND [ARGS...]",
	  "Allocate, free, describe and sync DMA buffers", NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
