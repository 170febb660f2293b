# Homegrown - build, run, test.
#
#   make up      install what is missing, build, start the whole local stack
#   make down    stop everything `make up` started
#   make test    fatal-warning build, unit tests (also under valgrind), spec lint,
#                black-box tests against a throwaway stack (services under ASan/UBSan),
#                then a subset of them with the release services under valgrind
#   make token DISTRICT=<uuid> SUB=<uuid> ROLES=district_admin,teacher
#
# VARIANT=release (default) or asan selects the build directory build/$(VARIANT).

SERVICES := resources roster
VARIANT  ?= release
B        := build/$(VARIANT)

PKGS     := libulfius jansson libpq rdkafka libmicrohttpd libjwt uuid libcrypto
CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wvla -Wno-missing-field-initializers
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icommon
CFLAGS   := -std=c11 $(WARN) -pthread
LDLIBS   := -pthread

ifeq ($(VARIANT),asan)
  CFLAGS  += -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
else
  CFLAGS  += -O2 -g
endif

# pkg-config only once the packages exist (make deps installs them).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Libraries only some services link: <service>_LIBS (unit tests link every service's objects, so all of them).
roster_LIBS = $(shell pkg-config --libs libzip 2>/dev/null) -lcsv
SERVICE_LIBS = $(foreach s,$(SERVICES),$($(s)_LIBS))

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/obj/%.o)
COMMON_LIB := $(B)/lib/libhgcommon.a

UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
INTEG_SRC  := $(wildcard tests/integration/test_*.c)
INTEG_BIN  := $(INTEG_SRC:tests/integration/%.c=$(B)/tests/integration/%)

BINS := $(SERVICES:%=$(B)/bin/hg-%) $(B)/bin/hg-token

.PHONY: all bins asan unit test deps up down token clean lint-spec blackbox valgrind-unit valgrind-service
.DEFAULT_GOAL := all

all: bins

bins: $(BINS) $(UNIT_BIN) $(INTEG_BIN)

asan:
	@$(MAKE) --no-print-directory VARIANT=asan bins

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# One service: its sources, its migrations compiled in, the common library.
define service_rules
$(1)_SRC := $$(wildcard services/$(1)/*.c)
$(1)_OBJ := $$($(1)_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/$(1)_migrations.o
$(B)/gen/$(1)_migrations.c: tools/embed-sql.sh $$(sort $$(wildcard services/$(1)/migrations/*.sql))
	@mkdir -p $$(dir $$@)
	bash tools/embed-sql.sh $(1) $$(sort $$(wildcard services/$(1)/migrations/*.sql)) > $$@
$(B)/obj/gen/$(1)_migrations.o: $(B)/gen/$(1)_migrations.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $$(PKG_CFLAGS) -c $$< -o $$@
$(B)/bin/hg-$(1): $$($(1)_OBJ) $(COMMON_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) $$^ $$(PKG_LIBS) $$($(1)_LIBS) $$(LDLIBS) -o $$@
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))

$(B)/bin/hg-token: $(B)/obj/tools/hg-token.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) $(LDLIBS) -o $@

# Unit tests may also test a service's pure domain code: they link its
# objects except main.o.
SERVICE_LIB_SRC := $(filter-out %/main.c,$(foreach s,$(SERVICES),$(wildcard services/$(s)/*.c)))
SERVICE_LIB_OBJ := $(SERVICE_LIB_SRC:%.c=$(B)/obj/%.o) $(SERVICES:%=$(B)/obj/gen/%_migrations.o)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(SERVICE_LIB_OBJ) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) $(SERVICE_LIBS) -lcmocka $(LDLIBS) -o $@

$(B)/obj/tests/unit/%.o: CPPFLAGS += $(SERVICES:%=-Iservices/%)

$(B)/tests/integration/%: $(B)/obj/tests/integration/%.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -lcmocka $(LDLIBS) -o $@

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- running and testing ----

deps:
	@bash deploy/local/deps.sh

unit: bins
	@bash tests/unit/run.sh $(B)/tests

valgrind-unit: bins
	@bash tests/unit/run.sh $(B)/tests valgrind

lint-spec:
	@bash tests/spec/lint.sh

blackbox:
	@bash tests/blackbox/run.sh

valgrind-service: bins
	@bash tests/valgrind/run.sh

test: deps
	@$(MAKE) --no-print-directory bins
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory VARIANT=asan unit
	@$(MAKE) --no-print-directory valgrind-unit
	@$(MAKE) --no-print-directory lint-spec
	@$(MAKE) --no-print-directory blackbox
	@$(MAKE) --no-print-directory valgrind-service

up: deps
	@$(MAKE) --no-print-directory bins
	@bash deploy/local/up.sh

down:
	@bash deploy/local/down.sh

token: $(B)/bin/hg-token
	@$(B)/bin/hg-token --secret-file .run/jwt-secret --district "$(DISTRICT)" --sub "$(SUB)" --roles "$(ROLES)"

clean:
	rm -rf build
