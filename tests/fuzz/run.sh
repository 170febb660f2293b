#!/usr/bin/env bash
# Run every libFuzzer harness below DIR (build/fuzz/fuzz/<part>/fuzz_*) for SECONDS each, ASan and UBSan on.
#   tests/fuzz/run.sh DIR SECONDS [HARNESS...]
# Each starts from its corpus in the repository, tests/fuzz/corpus/<harness>/ (hand-made seeds, and regress-*
# inputs that once broke a property: all of them are run first, every time), with tests/fuzz/dict/<harness>.dict
# when there is one (tokens the mutations insert: claim names, parameter names, extreme integers). New inputs go to
# build/fuzz/corpus/<harness>/, emptied at the start of each run so its cost stays bounded (to keep what a long
# run found: <harness> -merge=1 tests/fuzz/corpus/<harness> build/fuzz/corpus/<harness>). A crash, a leak, undefined
# behaviour, a broken property (FUZZ_CHECK), a timeout (10 s per input) or more than 2 GB fails the harness;
# its input is kept under build/fuzz/crashes/ and the line printed says how to replay it.
# Prints one line per harness, then "fuzz harnesses: N passed, N failed; R runs in S s".
set -uo pipefail
dir=$1
seconds=$2
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/build/fuzz"
mkdir -p "$out/corpus" "$out/crashes" "$out/logs"
passed=0
failed=0
runs=0
start=$(date +%s)
for h in "$dir"/*/fuzz_*; do
	[ -x "$h" ] || continue
	name=$(basename "$h")
	if (($#)) && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	seeds="$root/tests/fuzz/corpus/$name"
	work="$out/corpus/$name"
	log="$out/logs/$name.log"
	if [ ! -d "$seeds" ]; then
		echo "fuzz $name: no seed corpus at tests/fuzz/corpus/$name"
		failed=$((failed + 1))
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work"
	dict=()
	[ -f "$root/tests/fuzz/dict/$name.dict" ] && dict=(-dict="$root/tests/fuzz/dict/$name.dict")
	"$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$out/crashes/$name-" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	n=${n:-0}
	runs=$((runs + n))
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $name: $n runs, corpus $(find "$work" "$seeds" -type f | wc -l) inputs"
		passed=$((passed + 1))
	else
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		echo "fuzz $name FAILED (exit $rc) after $n runs; log $log"
		grep -m3 -E 'property broken|ERROR: |SUMMARY: ' "$log" | sed 's/^/    /'
		[ -n "$art" ] && echo "    replay: $h $art  (fix, then keep it: cp $art tests/fuzz/corpus/$name/regress-<what>)"
		failed=$((failed + 1))
	fi
done
echo "fuzz harnesses: $passed passed, $failed failed; $runs runs in $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
