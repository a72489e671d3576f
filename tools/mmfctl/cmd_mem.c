// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl dump, peek, poke, fill, save, load: reading and writing regions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmfctl.h"

/* Bytes per library call for dump, save, load and fill. */
#define CHUNK		(1U << 20)
/* Ranges from this size up get a progress bar, when stderr is a terminal. */
#define PROGRESS_MIN	(4U << 20)

#define RANGE_HELP \
	"OFF defaults to 0 and LEN to the rest of the region.\n"

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

const struct command mem_commands[] = {
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
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
