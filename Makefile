# Homegrown - build, run, test.
#
#   make up      install what is missing, build, start the whole local stack
#   make down    stop everything `make up` started
#   make test    install what is missing; style and layering checks (make check); fatal-warning release
#                and ASan/UBSan builds; unit tests (ASan/UBSan, then valgrind); spec lint; integration,
#                contract and black-box tests against a throwaway stack (services under ASan/UBSan); a
#                subset again with the release services under valgrind, and one with ThreadSanitizer builds;
#                the libFuzzer harnesses for a bounded time each (make fuzz); every benchmark's smoke run
#                (make bench-smoke)
#   make bench-smoke  every bench/*.sh for seconds with tiny sizes (BENCH_SMOKE=1) against a throwaway stack:
#                the benchmarks run, no timing asserted (tests/bench/run.sh)
#   make fuzz    build the libFuzzer harnesses (tests/fuzz/) and run each for FUZZ_SECONDS (default 4) on its
#                seed corpus; FUZZ_SECONDS=600 make fuzz is the longer run (docs/testing.md)
#   make check   formatting (clang-format), layering and banned-function rules (tools/check.sh)
#   make token DISTRICT=<uuid> SUB=<uuid> ROLES=district_admin,teacher
#
# VARIANT=release (default), asan, tsan or fuzz selects the build directory build/$(VARIANT).
# Layout (docs/architecture.md): common/ is the shared library; services/<name>/ (and its context folders)
# one binary each; tests/unit/common/ and tests/unit/<service>/ the unit tests, each service's linked only
# with that service's objects. Sources include by path from the repository root ("common/db.h").

SERVICES := resources roster surveys coaching analytics
VARIANT  ?= release
B        := build/$(VARIANT)

PKGS     := libulfius jansson libpq rdkafka libmicrohttpd libjwt uuid libcrypto
CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
            -Wmissing-declarations -Wconversion -Wcast-qual -Wpointer-arith -Wvla \
            -Wno-missing-field-initializers
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I.
CFLAGS   := -std=c11 $(WARN) -pthread
LDLIBS   := -pthread

ifeq ($(VARIANT),asan)
  # The test builds: sanitizers, and the fault tests' hooks (HG_TEST_HOOKS; never in release builds).
  CPPFLAGS += -DHG_TEST_HOOKS
  CFLAGS  += -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
else ifeq ($(VARIANT),tsan)
  # The shim hands librdkafka's C11 threads and locks to TSan (tests/tsan/thrd_shim.c).
  CFLAGS  += -O1 -g -fno-omit-frame-pointer -fsanitize=thread
  LDFLAGS += -fsanitize=thread
  TSAN_SHIM := $(B)/obj/tests/tsan/thrd_shim.o
else ifeq ($(VARIANT),fuzz)
  # libFuzzer harnesses (tests/fuzz/): clang's coverage instrumentation with ASan and UBSan on every object.
  CC      := clang
  CFLAGS  += -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=fuzzer,address,undefined
else
  CFLAGS  += -O2 -g
endif

# pkg-config only once the packages exist (make deps installs them).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Libraries only some services link: <service>_LIBS.
roster_LIBS = $(shell pkg-config --libs libzip libcurl 2>/dev/null) -lcsv
resources_LIBS = -lz  # gzip of the credentials' status lists (libz is already loaded through libpq and libcurl)

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/hg_common_migrations.o
COMMON_LIB := $(B)/lib/libhgcommon.a
COMMON_SQL := $(sort $(wildcard common/migrations/*.sql))

UNIT_COMMON_SRC := $(wildcard tests/unit/common/test_*.c)
UNIT_BIN   := $(UNIT_COMMON_SRC:tests/unit/%.c=$(B)/tests/%)
INTEG_SRC  := $(wildcard tests/integration/test_*.c)
INTEG_BIN  := $(INTEG_SRC:tests/integration/%.c=$(B)/tests/integration/%)
# libFuzzer harnesses: tests/fuzz/common/ link common only, tests/fuzz/<service>/ that service's objects too.
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/common/fuzz_*.c))
FUZZ_SECONDS ?= 4

.PHONY: all bins asan tsan unit test deps up down token clean lint-spec blackbox valgrind-unit valgrind-service \
	check check-selftest tsan-blackbox deploy-check images contract fuzz fuzz-bins bench-smoke
.DEFAULT_GOAL := all

all: bins

asan:
	@$(MAKE) --no-print-directory VARIANT=asan bins

tsan:
	@$(MAKE) --no-print-directory VARIANT=tsan bins

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

# Migrations compiled into the binary (tools/embed-sql.sh): common's, then each service's.
$(B)/gen/hg_common_migrations.c: tools/embed-sql.sh $(COMMON_SQL)
	@mkdir -p $(dir $@)
	bash tools/embed-sql.sh hg_common $(COMMON_SQL) > $@
$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

# One service: its sources (every folder below services/<name>), its migrations, the common library; its
# unit tests (tests/unit/<name>/test_*.c) link its objects except main.o, and nothing of another service.
define service_rules
$(1)_SRC := $$(shell find services/$(1) -name '*.c' 2>/dev/null | sort)
$(1)_OBJ := $$($(1)_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/$(1)_migrations.o
$(1)_LIBOBJ := $$(filter-out $(B)/obj/services/$(1)/main.o,$$($(1)_OBJ))
$(1)_SQL := $$(sort $$(wildcard services/$(1)/migrations/*.sql))
$(1)_UNIT := $$(patsubst tests/unit/%.c,$(B)/tests/%,$$(wildcard tests/unit/$(1)/test_*.c))
UNIT_BIN += $$($(1)_UNIT)
FUZZ_BIN += $$(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$$(wildcard tests/fuzz/$(1)/fuzz_*.c))
$(B)/gen/$(1)_migrations.c: tools/embed-sql.sh $$($(1)_SQL)
	@mkdir -p $$(dir $$@)
	bash tools/embed-sql.sh $(1) $$($(1)_SQL) > $$@
$(B)/bin/hg-$(1): $$($(1)_OBJ) $(COMMON_LIB) $(TSAN_SHIM)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) $$^ $$(PKG_LIBS) $$($(1)_LIBS) $$(LDLIBS) -o $$@
$(B)/tests/$(1)/%: $(B)/obj/tests/unit/$(1)/%.o $$($(1)_LIBOBJ) $(COMMON_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) $$^ $$(PKG_LIBS) $$($(1)_LIBS) -lcmocka $$(LDLIBS) -o $$@
$(B)/fuzz/$(1)/%: $(B)/obj/tests/fuzz/$(1)/%.o $$($(1)_LIBOBJ) $(COMMON_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) $$^ $$(PKG_LIBS) $$($(1)_LIBS) $$(LDLIBS) -o $$@
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))

BINS := $(SERVICES:%=$(B)/bin/hg-%) $(B)/bin/hg-token

bins: $(BINS) $(UNIT_BIN) $(INTEG_BIN)

$(B)/bin/hg-token: $(B)/obj/tools/hg-token.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@

$(B)/tests/common/%: $(B)/obj/tests/unit/common/%.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -lcmocka $(LDLIBS) -o $@

$(B)/tests/integration/%: $(B)/obj/tests/integration/%.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -lcmocka $(LDLIBS) -o $@

$(B)/fuzz/common/%: $(B)/obj/tests/fuzz/common/%.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@

fuzz-bins: $(FUZZ_BIN)

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- running and testing ----

deps:
	@bash deploy/local/deps.sh

check:
	@bash tools/check.sh

# tools/check.sh against a planted violation of each of its rules.
check-selftest:
	@bash tests/check/run.sh

unit: bins
	@bash tests/unit/run.sh $(B)/tests

valgrind-unit: bins
	@bash tests/unit/run.sh $(B)/tests valgrind

lint-spec:
	@bash tests/spec/lint.sh

# docker/ and deploy/k8s/ checked without building images: generated files current, hadolint, each runtime
# stage against ldd of the release binary, compose.yaml against its schema, kustomize + kubeconform + policy.
deploy-check: bins
	@bash tests/deploy/run.sh

# The images, built for real with buildah (slow: minutes; not part of make test). docs/deploy.md.
images: bins
	@bash docker/build.sh

blackbox:
	@bash tests/blackbox/run.sh

# schemathesis against every api-spec/<service>.yaml through the gateway (tests/contract/run.sh).
contract:
	@bash tests/contract/run.sh

valgrind-service: bins
	@bash tests/valgrind/run.sh

# The black-box tests of common behaviour (HTTP, auth, tenancy, idempotency) against ThreadSanitizer builds.
tsan-blackbox: tsan
	@bash tests/tsan/run.sh

# Each libFuzzer harness for FUZZ_SECONDS on its seeds (tests/fuzz/corpus/<harness>/), under ASan and UBSan.
fuzz:
	@$(MAKE) --no-print-directory VARIANT=fuzz fuzz-bins
	@bash tests/fuzz/run.sh build/fuzz/fuzz $(FUZZ_SECONDS)

# Every bench/*.sh with BENCH_SMOKE=1 (seconds each, tiny sizes) against a throwaway PostgreSQL and Kafka.
bench-smoke: bins
	@bash tests/bench/run.sh

test: deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check-selftest
	@$(MAKE) --no-print-directory bins
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory VARIANT=asan unit
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory valgrind-unit
	@$(MAKE) --no-print-directory lint-spec
	@$(MAKE) --no-print-directory deploy-check
	@$(MAKE) --no-print-directory blackbox
	@$(MAKE) --no-print-directory contract
	@$(MAKE) --no-print-directory valgrind-service
	@$(MAKE) --no-print-directory tsan-blackbox
	@$(MAKE) --no-print-directory bench-smoke

up: deps
	@$(MAKE) --no-print-directory bins
	@bash deploy/local/up.sh

down:
	@bash deploy/local/down.sh

token: $(B)/bin/hg-token
	@$(B)/bin/hg-token --secret-file .run/jwt-secret --district "$(DISTRICT)" --sub "$(SUB)" --roles "$(ROLES)"

clean:
	rm -rf build
