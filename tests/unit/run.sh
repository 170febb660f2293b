#!/usr/bin/env bash
# Run every cmocka unit test binary below a directory (build/<variant>/tests/<part>/test_*); with "valgrind", under
# valgrind's leak checker. Prints one "N passed, N failed" line at the end.
set -uo pipefail
dir=$1
mode=${2:-}
passed=0
failed=0
# One folder per part (common, each service); integration tests need the stack and run elsewhere.
for t in "$dir"/*/test_*; do
	[ -x "$t" ] || continue
	[[ $t == */integration/* ]] && continue
	if [ "$mode" = valgrind ]; then
		cmd=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$t")
	else
		cmd=("$t")
	fi
	if "${cmd[@]}"; then
		passed=$((passed + 1))
	else
		echo "unit test $(basename "$t") FAILED${mode:+ under $mode}"
		failed=$((failed + 1))
	fi
done
echo "unit test programs${mode:+ ($mode)}: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
