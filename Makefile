# SPDX-License-Identifier: GPL-2.0-only
#
# mmfdev: the kernel module (driver/, built by Kbuild), libmmfdev (lib/),
# the kselftest suite (tests/) and the QEMU tooling (scripts/).
#
#   make                 module (against KDIR) + library + example + tests
#   make demo            build all, boot the module in QEMU, run the example
#   make check           host tests, then the suite in every QEMU lane
#   make quick           host tests and one lane (LANES=..., default
#                        x86_64-6.1): the day-to-day loop
#   make kselftest       run the suite on this machine (a board with mmfdev)
#   make install-kselftest  the suite and its runner (DESTDIR, PREFIX)
#   make bench           benchmarks in a QEMU lane (LANE=...), as ratios
#   make install         library, header, pkg-config file, mmfctl, its
#                        bash completion, man pages (DESTDIR, PREFIX)
#   make tools           mmfctl, the command-line tool (KMOD=0: no libkmod)
#   make man             man pages from doc/*.scd (needs scdoc)
#   make modules_install the module (INSTALL_MOD_PATH)
#   make dkms-install    the module's sources to /usr/src, then dkms
#                        add/build/install (DKMS_ARGS, e.g. -k RELEASE)
#   make dkms-remove     dkms remove --all, and the sources from /usr/src

VERSION		:= 1.4.0
SOVERSION	:= 1

KDIR		?= /lib/modules/$(shell uname -r)/build
CC		?= cc
ifneq ($(CROSS_COMPILE),)
CC		:= $(CROSS_COMPILE)gcc
AR		:= $(CROSS_COMPILE)ar
endif
AR		?= ar
# Where userspace objects go; lanes give each arch its own directory.
BUILD		?= build/host
# kselftest_harness.h, extracted from Debian's linux-source by scripts/
KSFT_DIR	?= build/ksft/tools/testing/selftests

PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include

CFLAGS		?= -O2 -g
WARNINGS	:= -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2
BASE_CFLAGS	:= -std=gnu11 $(WARNINGS) -D_FILE_OFFSET_BITS=64 \
		   -Iinclude/uapi -Ilib/include
# The kselftest harness compares signed and unsigned values.
# It also casts pointers to 64-bit integers, which 32-bit builds warn about.
TEST_CFLAGS	:= $(BASE_CFLAGS) -Wno-sign-compare -Wno-clobbered \
		   -Wno-pointer-to-int-cast -I$(KSFT_DIR)
# KMOD=0 builds the suite without libkmod; its module tests then skip.
KMOD		?= 1
ifeq ($(KMOD),1)
TEST_LIBS	:= -lkmod
else
TEST_CFLAGS	+= -DMMFDEV_TEST_NO_KMOD
TEST_LIBS	:=
endif
LIB_LDFLAGS	?=
LIB_CFLAGS	:= $(BASE_CFLAGS) -fPIC -fvisibility=hidden \
		   -DMMFDEV_VERSION='"$(VERSION)"'

LIB_SRCS	:= lib/mmfdev.c lib/io.c lib/events.c lib/dma.c lib/abi.c
LIB_OBJS	:= $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_SO		:= $(BUILD)/lib/libmmfdev.so
LIB_A		:= $(BUILD)/lib/libmmfdev.a
LIB_PC		:= $(BUILD)/lib/libmmfdev.pc
EXAMPLES	:= $(BUILD)/examples/mmfdev-hello $(BUILD)/examples/mmfdev-edu \
		   $(BUILD)/examples/mmfdev-ring \
		   $(BUILD)/examples/mmfdev-rp1-gpio
# The kselftest programs: tests/programs lists them, for the lanes too.
TEST_PROGS	:= $(shell sed -n 's/^\([a-z0-9_]\{1,\}\)[[:space:]].*/\1/p' \
		     tests/programs)
TESTS		:= $(TEST_PROGS:%=$(BUILD)/tests/%)
HOST_TESTS	:= $(BUILD)/tests/lib_test
BENCH		:= $(BUILD)/tests/mmfdev_bench

.PHONY: all modules modules_install lib examples tests host-tests clean \
	install install-kselftest checkpatch demo check quick kselftest \
	benchmarks bench dkms-source dkms-install dkms-remove

all: lib examples tools
	@if [ -d "$(KDIR)" ]; then $(MAKE) modules; \
	else echo "KDIR=$(KDIR) not found: module not built (set KDIR)"; fi

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

lib: $(LIB_SO) $(LIB_A) $(LIB_PC)

$(BUILD)/%.o: %.c lib/include/mmfdev.h include/uapi/linux/mmfdev.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(LIB_SO).$(VERSION): $(LIB_OBJS) lib/libmmfdev.sym
	$(CC) $(CFLAGS) -shared -Wl,-soname,libmmfdev.so.$(SOVERSION) \
		-Wl,--version-script=lib/libmmfdev.sym -Wl,--no-undefined \
		$(LIB_LDFLAGS) -o $@ $(LIB_OBJS)

$(LIB_SO): $(LIB_SO).$(VERSION)
	ln -sf libmmfdev.so.$(VERSION) $(LIB_SO).$(SOVERSION)
	ln -sf libmmfdev.so.$(VERSION) $@

$(LIB_A): $(LIB_OBJS)
	$(AR) rcs $@ $^

$(LIB_PC): lib/libmmfdev.pc.in Makefile
	sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(LIBDIR)|' \
	    -e 's|@includedir@|$(INCLUDEDIR)|' -e 's|@version@|$(VERSION)|' \
	    $< > $@

examples: $(EXAMPLES)

# Programs link the static library, so they run in a guest without it.
$(BUILD)/examples/%: lib/examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BASE_CFLAGS) -o $@ $< $(LIB_A)

# mmfdev-edu takes edu's register map from the tests' header.
$(BUILD)/examples/mmfdev-edu: BASE_CFLAGS += -Itests
$(BUILD)/examples/mmfdev-edu: tests/edu.h

tests: $(TESTS)
host-tests: $(HOST_TESTS)
benchmarks: $(BENCH)

$(BENCH): tests/mmfdev_bench.c tests/pingpong.c tests/pingpong.h tests/edu.h \
		$(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BASE_CFLAGS) -o $@ tests/mmfdev_bench.c \
		tests/pingpong.c $(LIB_A)

$(KSFT_DIR)/kselftest_harness.h:
	scripts/get-kselftest.sh

# The helpers every test program shares, compiled once per BUILD.
TEST_COMMON	:= $(BUILD)/tests/common.o
$(TEST_COMMON): tests/common.c tests/common.h include/uapi/linux/mmfdev.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%_test: tests/%_test.c tests/common.h tests/edu.h $(TEST_COMMON) \
		$(LIB_A) $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_COMMON) \
		$(LIB_A) $(TEST_LIBS)

# lib_test puts a fake module behind the library's ioctl() and realpath().
$(BUILD)/tests/lib_test: tests/lib_test.c $(LIB_A) \
		$(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB_A) \
		-Wl,--wrap=ioctl,--wrap=realpath

install: lib install-tools
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 0755 $(LIB_SO).$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libmmfdev.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libmmfdev.so.$(SOVERSION)
	ln -sf libmmfdev.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmmfdev.so
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(LIB_PC) $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 lib/include/mmfdev.h $(DESTDIR)$(INCLUDEDIR)/

# mmfctl: the static library, like the examples, so it runs in a guest;
# libkmod for load-module/unload-module unless KMOD=0, which links
# cmd_module_nokmod.c instead of cmd_module.c.
MMFCTL		:= $(BUILD)/tools/mmfctl
PKG_CONFIG	?= pkg-config
ifeq ($(KMOD),1)
MMFCTL_MODULE	:= cmd_module.c
MMFCTL_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libkmod 2>/dev/null)
MMFCTL_LIBS	:= $(or $(shell $(PKG_CONFIG) --libs libkmod 2>/dev/null),-lkmod)
else
MMFCTL_MODULE	:= cmd_module_nokmod.c
MMFCTL_CFLAGS	:=
MMFCTL_LIBS	:=
endif
BINDIR		?= $(PREFIX)/bin
MANDIR		?= $(PREFIX)/share/man
COMPLETIONDIR	?= $(PREFIX)/share/bash-completion/completions
# One source format for every man page: scdoc(5).
SCDOC		?= scdoc
MAN_PAGES	:= $(BUILD)/man/mmfctl.1 $(BUILD)/man/libmmfdev.3 \
		   $(BUILD)/man/mmfdev.4

.PHONY: tools man install-tools install-man

tools: $(MMFCTL)

# One file per command family, and the files they share (tools/mmfctl/).
MMFCTL_SRCS	:= mmfctl.c common.c cmd_list.c cmd_mem.c cmd_event.c \
		   cmd_dma.c $(MMFCTL_MODULE)
MMFCTL_OBJS	:= $(MMFCTL_SRCS:%.c=$(BUILD)/tools/obj/%.o)

$(BUILD)/tools/obj/%.o: tools/mmfctl/%.c tools/mmfctl/mmfctl.h \
		lib/include/mmfdev.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BASE_CFLAGS) $(MMFCTL_CFLAGS) -c -o $@ $<

$(MMFCTL): $(MMFCTL_OBJS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MMFCTL_OBJS) $(LIB_A) $(MMFCTL_LIBS)

man: $(MAN_PAGES)

$(BUILD)/man/%: doc/%.scd
	@mkdir -p $(@D)
	$(SCDOC) < $< > $@

# The man pages only when scdoc is there to build them.
install-tools: tools
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(MMFCTL) $(DESTDIR)$(BINDIR)/
	install -m 0644 tools/mmfctl/mmfctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/mmfctl
	@if command -v $(SCDOC) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory install-man; \
	else echo "$(SCDOC) not found: man pages not installed"; fi

install-man: man
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(MANDIR)/man4
	install -m 0644 $(BUILD)/man/mmfctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(BUILD)/man/libmmfdev.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(BUILD)/man/mmfdev.4 $(DESTDIR)$(MANDIR)/man4/

# The kselftest programs for a board, with a runner that ends like TAP does.
KSFT_INSTALL	?= $(PREFIX)/libexec/mmfdev/kselftest
install-kselftest: tests
	install -d $(DESTDIR)$(KSFT_INSTALL)
	install -m 0755 $(TESTS) $(DESTDIR)$(KSFT_INSTALL)/
	install -m 0755 tests/run_kselftest.sh $(DESTDIR)$(KSFT_INSTALL)/

# DKMS: the module's sources and dkms.conf in $(DKMS_SRC), the place
# dkms looks for them.  With DESTDIR (packaging), only the copy is made.
DKMS_SRC	?= /usr/src/mmfdev-$(VERSION)
DKMS_FILES	:= Kbuild driver/Kbuild include/uapi/linux/mmfdev.h \
		   $(filter-out %.mod.c,$(wildcard driver/*.c driver/*.h))
DKMS_ARGS	?=
dkms-source:
	install -d $(DESTDIR)$(DKMS_SRC)/driver \
		$(DESTDIR)$(DKMS_SRC)/include/uapi/linux
	for f in $(DKMS_FILES); do \
		install -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf \
		> $(DESTDIR)$(DKMS_SRC)/dkms.conf

dkms-install: dkms-source
ifeq ($(DESTDIR),)
	if [ -n "$$(dkms status mmfdev/$(VERSION))" ]; then \
		dkms remove mmfdev/$(VERSION) --all; fi
	dkms add mmfdev/$(VERSION)
	dkms build mmfdev/$(VERSION) $(DKMS_ARGS)
	dkms install mmfdev/$(VERSION) $(DKMS_ARGS)
else
	@echo "DESTDIR set: sources copied to $(DESTDIR)$(DKMS_SRC); run dkms there"
endif

dkms-remove:
ifeq ($(DESTDIR),)
	if [ -n "$$(dkms status mmfdev/$(VERSION))" ]; then \
		dkms remove mmfdev/$(VERSION) --all; fi
endif
	rm -rf $(DESTDIR)$(DKMS_SRC)

checkpatch:
	scripts/checkpatch.sh

# Run the suite here, as on a real board with the module loaded.
kselftest: tests
	tests/run_kselftest.sh $(TESTS)

demo:
	scripts/demo.sh

# Ratios against baselines measured in the same run, in a QEMU lane.
bench:
	scripts/lane.sh $${LANE:-x86_64-6.1} bench

check:
	scripts/check.sh

# The day-to-day loop: the host tests and one lane, no package build.
quick:
	PACKAGES=0 LANES="$${LANES:-x86_64-6.1}" scripts/check.sh

clean:
	-[ -d "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build/host
