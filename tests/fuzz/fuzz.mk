# libFuzzer harnesses: every tests/fuzz/fuzz_<name>.c is one harness. They
# link core/ compiled with the fuzzer's coverage and the sanitizers, in
# their own output folder, so the normal and SAN=1 builds are untouched.
# `make fuzz` runs each for FUZZ_SECONDS (FUZZ_HARNESS=name for one);
# `make test` runs each for a few seconds through tests/fuzz/run.sh --short.

FUZZ_OUT      := .output-fuzz
FUZZ_CC       ?= $(CLANG)
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   := -g -O1 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
		 -Ibpf -Icore -DCTOP_VERSION='"$(VERSION)"' -DCTOP_SHAREDIR='"$(SHAREDIR)"' \
		 -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LDFLAGS  := -fsanitize=fuzzer $(FUZZ_SAN)
FUZZ_LDLIBS   := $(shell pkg-config --libs jansson libzstd zlib yaml-0.1 gnutls libcrypt 2>/dev/null || echo -ljansson -lzstd -lz -lyaml -lgnutls -lcrypt) -lm -lpthread
# No harness needs the loader (libbpf and the skeleton) or the collector on it.
FUZZ_CORE_SRC := $(filter-out core/loader.c core/collector.c,$(CORE_SRC))
FUZZ_CORE_OBJ := $(patsubst core/%.c,$(FUZZ_OUT)/core/%.o,$(FUZZ_CORE_SRC))
FUZZ_SRC      := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN      := $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/%,$(FUZZ_SRC))
FUZZ_SECONDS  ?= 180
FUZZ_HARNESS  ?=

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh $(FUZZ_HARNESS)

$(FUZZ_OUT)/core:
	$(Q)mkdir -p $@

$(FUZZ_OUT)/core/%.o: core/%.c $(wildcard core/*.h) bpf/ctop.h | $(FUZZ_OUT)/core
	$(call msg,CC-FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/libctop.a: $(FUZZ_CORE_OBJ)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OUT)/libctop.a
	$(call msg,FUZZER,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz $< $(FUZZ_OUT)/libctop.a $(FUZZ_LDFLAGS) \
		$(FUZZ_LDLIBS) -o $@
