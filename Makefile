# ctop-bpf: `make`, `make run`, `make test`, `make bench`, `make install`,
# `make test-kernels`, `make image` (a local container image). Quiet by
# default; `make V=1` shows the full commands.
# `make ARCH=arm64` (or CROSS_COMPILE=aarch64-linux-gnu-) cross-builds for
# arm64 into .output-arm64.

PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/sbin
MANDIR    := $(PREFIX)/share/man/man8
SHAREDIR  := $(PREFIX)/share/ctop-bpf
VERSION   := 0.1.0

OUTPUT    := .output
CLANG     ?= clang
BPFTOOL   ?= bpftool
PKG_CONFIG ?= pkg-config
KCACHE    := .cache/kernels

# The target arch, by the names the kernel, Debian and GNU use for it.
HOST_ARCH := $(shell uname -m)
ARCH      ?= $(if $(CROSS_COMPILE),$(firstword $(subst -, ,$(CROSS_COMPILE))),$(HOST_ARCH))
ifneq ($(filter $(ARCH),x86_64 x86 amd64),)
TARGET    := x86_64
BPF_ARCH  := x86
else ifneq ($(filter $(ARCH),aarch64 arm64),)
TARGET    := aarch64
BPF_ARCH  := arm64
else
$(error ctop-bpf builds for x86_64 and arm64 only, not ARCH=$(ARCH))
endif
TRIPLET   := $(TARGET)-linux-gnu
ifneq ($(TARGET),$(HOST_ARCH))
CROSS_COMPILE ?= $(TRIPLET)-
endif
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
CFLAGS    ?= -O2 -g
CFLAGS    += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
	     -I$(OUTPUT) -Ibpf -Icore -DCTOP_VERSION='"$(VERSION)"' \
	     -DCTOP_SHAREDIR='"$(SHAREDIR)"'
# Tests and CI build with the sanitizers: `make SAN=1`.
BIN       := ctop-bpf
ifeq ($(SAN),1)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS   += -fsanitize=address,undefined
OUTPUT    := .output-san
BIN       := $(OUTPUT)/ctop-bpf
endif
ifneq ($(CROSS_COMPILE),)
ifeq ($(SAN),1)
$(error SAN=1 is for native builds only)
endif
CC        := $(CROSS_COMPILE)gcc
AR        := $(CROSS_COMPILE)ar
OUTPUT    := .output-$(BPF_ARCH)
BIN       := $(OUTPUT)/ctop-bpf
# The target's -dev packages, installed through multiarch (make deps).
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/$(TRIPLET)/pkgconfig:/usr/share/pkgconfig pkg-config
# The host's BTF is of the host's arch: cut the target's out of the newest
# Debian kernel for it (see tests/kernels/btf.sh).
BTF_KERNEL  ?= 6.12-$(BPF_ARCH)
VMLINUX_BTF := .cache/btf/vmlinux-$(BPF_ARCH).btf
# Criterion cannot be installed for two archs at once (its libnanomsg5 is
# not Multi-Arch: same), so the target's copy is extracted under .cache.
CRITERION_DIR := $(KCACHE)/criterion-$(BPF_ARCH)/root/usr/lib/$(TRIPLET)
CRITERION_LDFLAGS := -L$(CRITERION_DIR) -Wl,-rpath-link,$(CRITERION_DIR)
endif
LDLIBS_CORE := $(shell $(PKG_CONFIG) --libs libbpf jansson libzstd zlib libmicrohttpd gnutls yaml-0.1 libcrypt 2>/dev/null || echo -lbpf -lelf -lz -ljansson -lzstd -lmicrohttpd -lgnutls -lyaml -lcrypt) -lm -lpthread
LDLIBS_TUI  := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CORE_SRC  := $(wildcard core/*.c)
TUI_SRC   := $(wildcard tui/*.c)
CORE_OBJ  := $(patsubst core/%.c,$(OUTPUT)/core/%.o,$(CORE_SRC))
TUI_OBJ   := $(patsubst tui/%.c,$(OUTPUT)/tui/%.o,$(TUI_SRC))
# Two objects from one source: the legacy one for kernels before 5.17
# (see bpf/compat.bpf.h).
BPF_OBJ   := $(OUTPUT)/ctop.bpf.o $(OUTPUT)/ctop_legacy.bpf.o
SKEL      := $(OUTPUT)/ctop.skel.h $(OUTPUT)/ctop_legacy.skel.h

.DELETE_ON_ERROR:
# Made by pattern rules, kept: the build reads them again.
.SECONDARY: $(BPF_OBJ) $(SKEL)
.PHONY: all deps deps-test run test test-unit test-bpf test-e2e test-kernels bench install \
	uninstall clean check-layout image

all: $(BIN)

# Every build step waits in these folders, so the build set is checked first.
$(OUTPUT) $(OUTPUT)/core $(OUTPUT)/tui $(OUTPUT)/tests: | deps
	$(Q)mkdir -p $@

$(OUTPUT)/vmlinux.h: $(filter .cache/%,$(VMLINUX_BTF)) | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

.cache/btf/vmlinux-%.btf:
	$(call msg,BTF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)k=$$(tests/kernels/fetch.sh $(BTF_KERNEL)) && \
		tests/kernels/btf.sh $$k/root/boot/vmlinuz-$$(cat $$k/release) $@

$(OUTPUT)/ctop_legacy.bpf.o: BPF_DEFS := -DCTOP_LEGACY
$(BPF_OBJ): bpf/ctop.bpf.c $(wildcard bpf/*.h) $(OUTPUT)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) $(BPF_DEFS) \
		-I$(OUTPUT) -Ibpf -Wall -Werror -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true
	@# Kernels before 5.12 refuse atomic fetch, exchange and compare-and-exchange.
	$(Q)$(if $(BPF_DEFS),! llvm-objdump -d $@ | grep -E 'atomic_|xchg' || \
		{ echo "$@: the legacy object must use no atomic fetch or exchange" >&2; exit 1; })

# The globals of a datasec, as names, offsets and sizes.
bpf_globals = $(BPFTOOL) btf dump file $(1) | \
	awk '/^\[/ { on = /DATASEC .\.(bss|data|rodata)/ } on { sub(/\[[0-9]+\]|type_id=[0-9]+/, ""); print }'

# The loader opens the legacy object under the main one's skeleton, so
# their globals must be laid out alike.
$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(if $(filter ctop_legacy,$*),\
		$(call bpf_globals,$(OUTPUT)/ctop.bpf.o) > $@.main && \
		$(call bpf_globals,$<) > $@.legacy && \
		cmp -s $@.main $@.legacy || \
		{ echo "$<: its globals differ from ctop.bpf.o's" >&2; exit 1; })
	$(Q)rm -f $@.main $@.legacy
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(OUTPUT)/ctop_legacy.skel.h: $(OUTPUT)/ctop.bpf.o

# Only the loader includes the skeleton, but every object waits for it so
# that a parallel build never races the generator.
$(OUTPUT)/core/%.o: core/%.c $(wildcard core/*.h) bpf/ctop.h $(SKEL) | $(OUTPUT)/core
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUTPUT)/tui/%.o: tui/%.c $(wildcard tui/*.h core/*.h) bpf/ctop.h | $(OUTPUT)/tui
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUTPUT)/libctop.a: $(CORE_OBJ)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(BIN): $(TUI_OBJ) $(OUTPUT)/libctop.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS_CORE) $(LDLIBS_TUI) -o $@

# core/ must never draw: no curses, no printing to the terminal, no exit().
check-layout:
	$(Q)! grep -nE '#include *[<"](n?curses|ncursesw/)' core/*.c core/*.h || \
		{ echo "core/ must not include curses" >&2; exit 1; }
	$(Q)! grep -nE '\b(printf|puts|exit|abort)\s*\(|\b(stdout|stderr)\b' core/*.c || \
		{ echo "core/ must not print or exit" >&2; exit 1; }

# What building and running need, installed if missing (apt, as root):
# `make`, `make run` and `make install` install nothing else. Only `make
# test` and `make bench` add the test tools (tests/deps.sh says which, and
# never docker.io where a runtime is already installed).
deps:
	$(Q)./tests/deps.sh build
	$(Q)$(if $(CROSS_COMPILE),./tests/deps.sh $(BPF_ARCH))

deps-test:
	$(Q)./tests/deps.sh test

run: ctop-bpf
	./ctop-bpf

# Everything, as CI runs it: the tests use the sanitizer build.
test: deps-test check-layout
	$(Q)$(MAKE) --no-print-directory SAN=1 all tests-build
	$(Q)OUT=.output-san ./tests/run.sh

# Boots Debian's kernels in QEMU and runs the BPF tier in each; e.g.
# `make test-kernels KERNELS="6.1 6.1-arm64"`. See tests/kernels/run.sh.
KERNELS ?= 5.10 6.1 6.12 6.1-arm64
test-kernels: deps-test
	$(Q)$(if $(filter %-arm64,$(KERNELS)),./tests/deps.sh arm64)
	$(Q)./tests/kernels/run.sh $(KERNELS)

# BENCH_GUEST: the kernel-matrix guest that also runs the per-call rounds
# (fexit works there); empty skips it.
BENCH_GUEST ?= 6.1
bench: deps-test all
	$(Q)$(MAKE) --no-print-directory .output/tests/workload
	$(Q)BENCH_GUEST="$(BENCH_GUEST)" ./tests/bench/bench.sh

-include tests/tests.mk

install: $(BIN)
	install -D -m 0755 ctop-bpf $(DESTDIR)$(BINDIR)/ctop-bpf
	install -D -m 0644 man/ctop-bpf.8 $(DESTDIR)$(MANDIR)/ctop-bpf.8
	install -d $(DESTDIR)$(SHAREDIR)/themes
	install -m 0644 themes/*.theme $(DESTDIR)$(SHAREDIR)/themes/

# A local container image from this build, with no registry and no base
# image: the binary, the libraries it links and the themes on an empty
# root, given to `docker import`. man/deploy/daemonset.yaml runs it.
IMAGE ?= ctop-bpf:$(VERSION)
image: $(BIN)
	$(call msg,IMAGE,$(IMAGE))
	$(Q)d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
		install -D -m 0755 $(BIN) $$d/usr/sbin/ctop-bpf && \
		for l in $$(ldd $(BIN) | awk '$$2 == "=>" && $$3 ~ /^\// { print $$3 } $$1 ~ /^\// { print $$1 }'); do \
			install -D -m 0755 "$$l" "$$d$$l" || exit 1; done && \
		install -d $$d$(SHAREDIR)/themes $$d/tmp $$d/proc $$d/sys $$d/dev && \
		install -m 0644 themes/*.theme $$d$(SHAREDIR)/themes/ && \
		tar -C $$d -c . | docker import --change 'ENTRYPOINT ["/usr/sbin/ctop-bpf"]' \
			--change 'CMD ["--export", ":9662"]' - $(IMAGE) >/dev/null

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ctop-bpf $(DESTDIR)$(MANDIR)/ctop-bpf.8
	rm -rf $(DESTDIR)$(SHAREDIR)

# Keeps .cache: the downloaded kernels are large and do not change.
clean:
	rm -rf .output .output-san .output-fuzz .output-arm64 ctop-bpf
