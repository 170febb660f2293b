#!/usr/bin/env bash
# Style as a tool (STYLE.md practice 12): formatting, layering and banned-function rules over the tracked C files.
#   tools/check.sh [--no-format] [FILE...]
# With FILEs, only violations in those files are reported (the include graph is still built from every file).
# --no-format skips the clang-format rule, for a tree that has not been formatted yet.
# Prints one "path:line: rule: message" line per violation, then "check: N violations" or "check: clean (N files)";
# exits 1 on any violation, 2 when it cannot run.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

format=1
if [[ ${1:-} == --no-format ]]; then
	format=0
	shift
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The index and what is about to be added to it (untracked but not ignored), not a directory walk: build output
# and scratch files are not the project's code.
{ git ls-files -- '*.c' '*.h' && git ls-files --others --exclude-standard -- '*.c' '*.h'; } >"$tmp/all" ||
	{ echo "check: not a git work tree: $root" >&2; exit 2; }
# A file deleted in the work tree but not yet in the index is not there to check.
while IFS= read -r f; do [[ -f $f ]] && echo "$f"; done <"$tmp/all" >"$tmp/files"
if (($#)); then
	printf '%s\n' "$@" >"$tmp/targets"
else
	cp "$tmp/files" "$tmp/targets"
fi
nfiles=$(wc -l <"$tmp/targets")

: >"$tmp/out"

# --- 1. formatting -------------------------------------------------------------------------------------------
if ((format)); then
	# .clang-format is written for clang-format 14 (Debian 12); other versions format some constructs differently.
	cf="${CLANG_FORMAT:-}"
	if [[ -z $cf ]]; then
		for c in clang-format-14 clang-format; do
			if command -v "$c" >/dev/null; then
				cf=$c
				break
			fi
		done
	fi
	if [[ -z $cf ]]; then
		echo "check: clang-format not found (deploy/local/deps.sh installs it; or run with --no-format)" >&2
		exit 2
	fi
	[[ -f .clang-format ]] || { echo "check: no .clang-format at $root" >&2; exit 2; }
	ver="$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')"
	[[ $ver == 14 ]] || echo "check: note: $cf is version ${ver:-unknown}; .clang-format is tuned for 14" >&2
	# One clang-format run for all files; it names each place it would change. One violation per file, at the
	# first such line: the fix is to format the whole file.
	xargs -r -a "$tmp/targets" -d '\n' "$cf" --style=file --dry-run --Werror 2>"$tmp/cf" >/dev/null
	cf_rc=$?
	sed -n 's/^\(.*\):\([0-9][0-9]*\):[0-9][0-9]*: error: code should be clang-formatted.*/\1 \2/p' "$tmp/cf" |
		awk -v cf="$cf" '
			!($1 in first) { first[$1] = $2; order[++n] = $1 }
			{ lines[$1 " " $2] = 1 }
			END {
				for (k in lines) { split(k, a, " "); count[a[1]]++ }
				for (i = 1; i <= n; i++) {
					f = order[i]
					printf "%s:%d: format: not as clang-format writes it (%d place%s in this file; fix: %s -i %s)\n", \
						f, first[f], count[f], count[f] == 1 ? "" : "s", cf, f
				}
			}' >>"$tmp/out"
	if ((cf_rc != 0)) && ! grep -q ': format: ' "$tmp/out"; then
		echo "check: $cf failed:" >&2
		head -n 20 "$tmp/cf" >&2
		exit 2
	fi
fi

# --- 2-6. layering, composition root, include cycles, banned functions ----------------------------------------
if (($#)); then
	python3 tools/check_rules.py "$root" "$tmp/files" "$@" >>"$tmp/out" 2>"$tmp/py"
else
	python3 tools/check_rules.py "$root" "$tmp/files" >>"$tmp/out" 2>"$tmp/py"
fi
py_rc=$?
if ((py_rc > 1)) || [[ -s $tmp/py ]]; then
	echo "check: tools/check_rules.py failed (exit $py_rc):" >&2
	cat "$tmp/py" >&2
	exit 2
fi

cat "$tmp/out"
n=$(wc -l <"$tmp/out")
if ((n > 0)); then
	echo "check: $n violation$( ((n == 1)) || echo s)"
	exit 1
fi
echo "check: clean ($nfiles file$( ((nfiles == 1)) || echo s))"
