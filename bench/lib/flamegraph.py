"""A flame graph (SVG) from `perf script` output, without the FlameGraph scripts (not in Debian).

    perf script -i perf.data | python3 bench/lib/flamegraph.py "title" > graph.svg

Each sample's stack (root at the bottom) is folded into a tree; each node is a rectangle as wide as its share
of the samples, its function name inside when it fits and in its tooltip (<title>) with the sample count and
percentage. Frames of the same function at the same place in the tree merge; colours are a hash of the
function name (warm for C code, grey for the kernel).
"""

from __future__ import annotations

import hashlib
import html
import sys

WIDTH, ROW, FONT = 1200, 16, 11


def stacks(lines):
    """(comm, [frames root first]) per sample of `perf script`'s default output."""
    comm, frames = None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if comm is not None and frames:
                yield comm, list(reversed(frames))
            comm, frames = None, []
        elif not line[0].isspace():
            comm, frames = line.split()[0], []
        else:
            parts = line.strip().split(None, 1)
            sym = parts[1] if len(parts) > 1 else parts[0]
            sym, _, dso = sym.partition(" (")
            dso = dso.rstrip(")").rsplit("/", 1)[-1]
            sym = sym.split("+0x")[0]
            if sym == "[unknown]":
                sym = f"[{dso}]"
            elif "kernel.kallsyms" in dso:
                sym = "[k] " + sym
            frames.append(sym)
    if comm is not None and frames:
        yield comm, list(reversed(frames))


def main() -> None:
    title = sys.argv[1] if len(sys.argv) > 1 else "flame graph"
    tree: dict = {"n": 0, "kids": {}}
    for comm, frames in stacks(sys.stdin):
        node = tree
        node["n"] += 1
        for f in [comm] + frames:
            node = node["kids"].setdefault(f, {"n": 0, "kids": {}})
            node["n"] += 1
    total = max(tree["n"], 1)

    def depth(node) -> int:
        return 1 + max((depth(k) for k in node["kids"].values()), default=0)

    rows = depth(tree)
    height = rows * ROW + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="monospace" font-size="{FONT}">',
           f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="14">{html.escape(title)} '
           f'({total} samples)</text>']

    def colour(name: str) -> str:
        h = int(hashlib.md5(name.encode()).hexdigest()[:6], 16)
        if name.startswith(("[k]", "entry_", "__x64", "do_syscall")) or "[kernel" in name:
            g = 180 + h % 50
            return f"rgb({g},{g},{g})"
        return f"rgb({205 + h % 50},{80 + (h >> 8) % 120},{30 + (h >> 16) % 50})"

    def draw(node, name: str, x: float, level: int) -> None:
        w = node["n"] / total * WIDTH
        if w < 0.3:
            return
        y = height - (level + 1) * ROW
        tip = f"{name} ({node['n']} samples, {100 * node['n'] / total:.1f} %)"
        out.append(f'<g><title>{html.escape(tip)}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" '
                   f'height="{ROW - 1}" fill="{colour(name)}"/>')
        chars = int(w / (FONT * 0.6))
        if chars >= 3:
            label = name if len(name) <= chars else name[:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{html.escape(label)}</text>')
        out.append("</g>")
        for kname, kid in sorted(node["kids"].items()):
            draw(kid, kname, x, level + 1)
            x += kid["n"] / total * WIDTH

    x = 0.0
    for name, kid in sorted(tree["kids"].items()):
        draw(kid, name, x, 0)
        x += kid["n"] / total * WIDTH
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
