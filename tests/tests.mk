# Test binaries. Every tests/unit/test_*.c and tests/bpf/test_*.c is one
# Criterion binary linked with core/; a file named test_tui_*.c also links
# tui/, its modes too, without main.c (main() and the table of modes).

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
BPFT_SRC  := $(wildcard tests/bpf/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRC))
BPFT_BIN  := $(patsubst tests/bpf/%.c,$(OUTPUT)/tests/%,$(BPFT_SRC))
TUI_LIB_OBJ := $(filter-out $(OUTPUT)/tui/main.o,$(TUI_OBJ))
HELPERS   := $(OUTPUT)/tests/workload

.PHONY: tests-build
tests-build: $(UNIT_BIN) $(BPFT_BIN) $(HELPERS)

# A cross build links the target's Criterion from .cache (see Makefile).
CRITERION_DEP := $(if $(CRITERION_DIR),$(CRITERION_DIR)/libcriterion.so)

$(CRITERION_DIR)/libcriterion.so:
	$(call msg,FETCH,$@)
	$(Q)tests/kernels/fetch.sh debs $(BPF_ARCH) criterion-$(BPF_ARCH) \
		libcriterion3 libcriterion-dev libnanomsg5 >/dev/null

$(OUTPUT)/tests/test_tui_%: tests/unit/test_tui_%.c $(TUI_LIB_OBJ) $(OUTPUT)/libctop.a | $(OUTPUT)/tests $(CRITERION_DEP)
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itui -Itests $^ $(LDFLAGS) $(CRITERION_LDFLAGS) -lcriterion $(LDLIBS_CORE) $(LDLIBS_TUI) -o $@

$(OUTPUT)/tests/%: tests/unit/%.c $(OUTPUT)/libctop.a | $(OUTPUT)/tests $(CRITERION_DEP)
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $^ $(LDFLAGS) $(CRITERION_LDFLAGS) -lcriterion $(LDLIBS_CORE) -o $@

$(OUTPUT)/tests/%: tests/bpf/%.c $(OUTPUT)/libctop.a | $(OUTPUT)/tests $(CRITERION_DEP)
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $^ $(LDFLAGS) $(CRITERION_LDFLAGS) -lcriterion $(LDLIBS_CORE) -o $@

# The workload generator runs inside test containers too: static, no sanitizer.
$(OUTPUT)/tests/workload: tests/workload.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -static -Wall -Wextra -Werror $< -o $@

$(OUTPUT)/tests/bench_core: tests/bench/bench_core.c $(OUTPUT)/libctop.a | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(LDLIBS_CORE) -o $@

-include tests/fuzz/fuzz.mk

# A realloc that can be made to fail, for the snapshot-ownership test.
$(OUTPUT)/tests/test_agg_alloc: LDFLAGS += -Wl,--wrap=realloc

$(OUTPUT)/tests/record_bench: tests/bench/record_bench.c $(OUTPUT)/libctop.a | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $^ $(LDFLAGS) $(LDLIBS_CORE) -o $@
