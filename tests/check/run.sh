#!/usr/bin/env bash
# Self-test of tools/check.sh: on a scratch copy of the tree, plant one violation of each rule in turn and
# assert that the check fails and names that rule at the planted file. Never touches the work tree.
# Prints each run's output (quotable as evidence) and "check self-test: N passed, N failed"; non-zero on a failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
work="$tmp/tree"
mkdir -p "$work"

# Where the violations are planted: small files of each kind (a handler, a store, a common module, two headers).
HANDLER=services/roster/school_handlers.c
STORE=services/roster/school_store.c
COMMON=common/cursor.c
SMALL=common/clock.c
HDR_A=common/clock.h
HDR_B=common/date.h
MOD_A=common/clock
MOD_B=common/date

# The work tree's versions of the tracked files (what is being edited is what gets checked), plus the check itself,
# which may not be committed yet. A scratch git index lets check.sh list the files as it does in the real tree.
cd "$root" || exit 2
{
	git ls-files -z
	printf '%s\0' .clang-format tools/check.sh tools/check_rules.py
} | while IFS= read -r -d '' f; do [[ -f $f ]] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -xf - -C "$work" || { echo "check self-test: cannot copy the tree" >&2; exit 2; }
cd "$work" || exit 2
git init -q . && git add -A || { echo "check self-test: cannot index the copy" >&2; exit 2; }
for f in "$HANDLER" "$STORE" "$COMMON" "$SMALL" "$HDR_A" "$HDR_B" "$MOD_A.c" "$MOD_B.c"; do
	[[ -f $f ]] || { echo "check self-test: $f is gone; choose another file at the top of $0" >&2; exit 2; }
done

cf=""
for c in clang-format-14 clang-format; do
	if command -v "$c" >/dev/null; then
		cf=$c
		break
	fi
done

passed=0
failed=0
out="$tmp/out"

# Put the scratch tree back as copied, between cases.
restore() {
	git checkout -q -- . && git clean -fdq
}

# Run the check; its output goes to $out and, indented, to the log.
run_check() {
	echo "  \$ tools/check.sh $*"
	bash tools/check.sh "$@" >"$out" 2>&1
	rc=$?
	sed 's/^/    /' "$out"
	echo "    (exit $rc)"
	return 0
}

verdict() {
	if [[ $1 == ok && $pre_ok == 0 ]]; then
		failed=$((failed + 1))
		echo "  FAIL: the files failed the check already before planting (see the control above)"
	elif [[ $1 == ok ]]; then
		passed=$((passed + 1))
		echo "  PASS"
	else
		failed=$((failed + 1))
		echo "  FAIL: $2"
	fi
	pre_ok=1
	restore
}

# Insert a line after a file's last #include (after its first line if it has none).
insert_include() {
	local file=$1 line=$2
	local at
	at=$(grep -n '^#include' "$file" | tail -n 1 | cut -d: -f1)
	sed -i "${at:-1}a\\$line" "$file"
}

# expect_fail NAME RULE FILE MESSAGE-WORD -- CHECK-ARGS...: the check exits 1 with a line "FILE:N: RULE: ...WORD...".
expect_fail() {
	local name=$1 rule=$2 file=$3 word=$4
	shift 5
	echo "== $name"
	run_check "$@"
	if ((rc != 1)); then
		verdict bad "expected exit 1, got $rc"
	elif ! grep -Eq "^${file//./\\.}:[0-9]+: ${rule}: .*${word}" "$out"; then
		verdict bad "no '$rule' violation naming '$word' at $file"
	else
		verdict ok
	fi
}

expect_pass() {
	local name=$1
	shift
	echo "== $name"
	run_check "$@"
	if ((rc != 0)); then
		verdict bad "expected a clean check, got exit $rc"
	else
		verdict ok
	fi
}

# Each planted case first checks its files untouched, so a violation already in the tree cannot pass for the plant.
pre_ok=1
control() {
	bash tools/check.sh "$@" >/dev/null 2>&1 || {
		pre_ok=0
		echo "== (control) tools/check.sh $* fails before planting:"
		bash tools/check.sh "$@" 2>&1 | sed 's/^/    /'
	}
}

# --- the tree as it is: rules 2-6 (formatting is checked below on one file formatted first) ----------------
expect_pass "baseline: rules 2-6 hold on the whole tree" --no-format

# --- 1. formatting -----------------------------------------------------------------------------------------
if [[ -z $cf ]]; then
	echo "== formatting"
	verdict bad "clang-format not found (deploy/local/deps.sh installs it)"
else
	# A copy formatted first, so that only the planted line can be what clang-format objects to.
	"$cf" --style=file -i "$SMALL"
	expect_pass "formatting: $SMALL once formatted is clean" "$SMALL"
	"$cf" --style=file -i "$SMALL"
	printf 'int   selftest_planted( void ){return 0;}\n' >>"$SMALL"
	expect_fail "formatting: a badly formatted line in $SMALL" format "$SMALL" "clang-format" -- "$SMALL"
fi

# --- 2. handlers: no libpq, no SQL -------------------------------------------------------------------------
control --no-format "$HANDLER"
printf 'static void selftest_planted(void *pg) { PQexec(pg, "ROLLBACK"); }\n' >>"$HANDLER"
expect_fail "handler-sql: a PQexec call in $HANDLER" handler-sql "$HANDLER" PQexec -- --no-format "$HANDLER"

# --- 3. stores: no HTTP ------------------------------------------------------------------------------------
control --no-format "$STORE"
insert_include "$STORE" '#include "common/reply.h"'
expect_fail "store-http: common/reply.h included in $STORE" store-http "$STORE" "common/reply.h" -- --no-format "$STORE"

# --- 4. composition root -----------------------------------------------------------------------------------
control --no-format "$COMMON"
insert_include "$COMMON" '#include "services/roster/import.h"'
expect_fail "composition-root: $COMMON includes a service" composition-root "$COMMON" "services/roster/import.h" \
	-- --no-format "$COMMON"

# --- 5. include cycles -------------------------------------------------------------------------------------
control --no-format "$HDR_A" "$HDR_B"
insert_include "$HDR_A" "#include \"$HDR_B\""
insert_include "$HDR_B" "#include \"$HDR_A\""
expect_fail "include-cycle: $HDR_A and $HDR_B include each other" include-cycle "$HDR_A" "$HDR_B" \
	-- --no-format "$HDR_A" "$HDR_B"

control --no-format "$MOD_A.c" "$MOD_B.c"
insert_include "$MOD_A.c" "#include \"$MOD_B.h\""
insert_include "$MOD_B.c" "#include \"$MOD_A.h\""
expect_fail "include-cycle: $MOD_A.c and $MOD_B.c include each other's header" include-cycle "$MOD_A.c" \
	"modules include each other" -- --no-format "$MOD_A.c" "$MOD_B.c"

# --- 6. banned functions and volatile ----------------------------------------------------------------------
control --no-format "$SMALL"
printf 'static void selftest_planted(char *d) { strcpy(d, "x"); }\n' >>"$SMALL"
expect_fail "banned: a strcpy call in $SMALL" banned "$SMALL" strcpy -- --no-format "$SMALL"

printf 'static volatile int selftest_counter;\n' >>"$SMALL"
expect_fail "banned: a volatile int counter in $SMALL" banned "$SMALL" volatile -- --no-format "$SMALL"

# The names alone are not calls: in comments, in string literals, and the bounded cousins, they pass.
cat >>"$SMALL" <<'EOF'
/* strcpy(d, s), sprintf(b, "x") and volatile are banned; gets( too. */
// atoi(s) and rand() in a line comment
static const char *selftest_text = "strcpy(d, s); volatile int n; atoi(\"1\") \" rand()";
static void selftest_fine(char *b, size_t n) { snprintf(b, n, "%d", 1); }
EOF
expect_pass "banned: names in comments and strings, and snprintf, are fine" --no-format "$SMALL"

echo "check self-test: $passed passed, $failed failed"
((failed == 0))
