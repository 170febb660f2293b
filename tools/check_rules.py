#!/usr/bin/env python3
"""Layering and banned-function rules for Homegrown's C files (called by tools/check.sh).

usage: check_rules.py ROOT ALL_FILES_LIST [FILE...]
  ALL_FILES_LIST: a file naming every tracked C file, one per line (the include graph needs them all).
  FILE...: report only violations in these files (default: all of them).
Prints one "path:line: rule: message" line per violation; exits 1 if there is any, 0 otherwise.
"""
import os
import re
import sys

# --- Which files play which part (STYLE.md practice 2: route table -> handler -> domain -> store) -------------
HANDLER_NAME = re.compile(r"(^|/)([^/]+_handlers\.[ch]|[^/]+_routes\.h|routes\.c)$")
# common/health.c is not among them: the readiness probe asks the pool (hg_db_ping) by design; it still may not
# use libpq or SQL (rule 6 does not cover it, review does).
HANDLER_COMMON = {"common/crud.c", "common/request.c", "common/reply.c", "common/server.c", "common/write.c"}
STORE_NAME = re.compile(r"(^|/)[^/]+_store\.[ch]$")
STORE_COMMON = {"common/record.c", "common/db.c", "common/outbox.c", "common/migrate.c"}
# The composition root: only these may see every part of a service at once.
ROOT_FILES = re.compile(r"^(common/service\.c|services/.+/main\.c)$")

HANDLER_BANNED_INCLUDES = {"libpq-fe.h", "common/db.h"}
# Handlers reach the database only through the CRUD kit or a store; the statement type is the store's.
HANDLER_BANNED_CODE = [
    (re.compile(r"\b(PQ[a-zA-Z]+)\s*\("), "calls {0} (libpq)"),
    (re.compile(r"\b(PG(?:result|conn))\b"), "uses {0} (libpq)"),
    (re.compile(r"\b(hg_db_(?:exec|acquire|tx)\w*)\s*\("), "calls {0} (the database layer)"),
    (re.compile(r"\b(struct\s+hg_stmt)\b"), "declares {0} (a SQL statement)"),
]
SQL_STRING = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s")
STORE_BANNED_INCLUDES = {"ulfius.h", "common/request.h", "common/reply.h", "common/server.h", "common/crud.h"}
STORE_BANNED_CODE = [
    (re.compile(r"\b(struct\s+hg_request)\b"), "mentions {0} (the HTTP layer)"),
    (re.compile(r"\b(hg_reply_\w+)"), "uses {0} (the HTTP layer)"),
]
# Unbounded writes, unchecked conversions, a weak and shared random source; volatile is not synchronisation.
BANNED_CALLS = re.compile(r"\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atoll|rand|srand)\s*\(")
BANNED_INSTEAD = {
    "sprintf": "snprintf or xasprintf",
    "vsprintf": "vsnprintf",
    "strcpy": "snprintf or memcpy with a checked length",
    "strcat": "snprintf or a size-capped buffer",
    "gets": "fgets",
    "atoi": "strtol with an end pointer and errno",
    "atol": "strtol with an end pointer and errno",
    "atoll": "strtoll with an end pointer and errno",
    "rand": "a CSPRNG (RAND_bytes, getrandom) or a per-thread generator",
    "srand": "a CSPRNG (RAND_bytes, getrandom) or a per-thread generator",
}
VOLATILE = re.compile(r"\bvolatile\b")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]', re.M)


def split_source(text):
    """Return (code, strings): code with comments and string/char literals blanked (same offsets, newlines kept),
    and [(line, literal contents)] for each string literal. Good enough for C without trigraphs."""
    out = []
    strings = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            if c == '"':
                strings.append((line, text[i + 1 : j - 1]))
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            if c == "\n":
                line += 1
            out.append(c)
            i += 1
    return "".join(out), strings


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


class Checker:
    def __init__(self, root, files, report):
        self.root = root
        self.files = files
        self.fileset = set(files)
        self.report = set(report)
        self.violations = []
        self.includes = {}  # path -> [(line, include as written, resolved tracked path or None)]

    def add(self, path, line, rule, msg):
        if path in self.report:
            self.violations.append((path, line, rule, msg))

    def resolve(self, path, inc):
        # Includes are by path from the repository root (-I.); a sibling-relative one still counts.
        if inc in self.fileset:
            return inc
        rel = os.path.normpath(os.path.join(os.path.dirname(path), inc))
        return rel if rel in self.fileset else None

    def scan(self, path):
        try:
            with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except FileNotFoundError:
            return  # deleted in the work tree but still in the index
        code, strings = split_source(text)
        # Includes are read from the text with comments gone but the quoted path kept.
        incs = []
        for m in INCLUDE.finditer(comment_free(text, code)):
            ln = line_of(text, m.start())
            incs.append((ln, m.group(2), self.resolve(path, m.group(2)) if m.group(1) == '"' else None))
        self.includes[path] = incs
        if path not in self.report:
            return
        self.check_layers(path, code, strings, incs)
        self.check_banned(path, code)

    def check_layers(self, path, code, strings, incs):
        if HANDLER_NAME.search(path) or path in HANDLER_COMMON:
            why = "handlers speak HTTP only, SQL belongs in a *_store.c"
            for ln, inc, _ in incs:
                if inc in HANDLER_BANNED_INCLUDES:
                    self.add(path, ln, "handler-sql", f'includes "{inc}"; {why}')
            for rx, msg in HANDLER_BANNED_CODE:
                for m in rx.finditer(code):
                    self.add(path, line_of(code, m.start()), "handler-sql", msg.format(m.group(1)) + "; " + why)
            for ln, s in strings:
                if SQL_STRING.match(s):
                    self.add(path, ln, "handler-sql", f'SQL in a string literal "{s[:40]}"; {why}')
        if STORE_NAME.search(path) or path in STORE_COMMON:
            why = "stores speak SQL only, HTTP belongs in a *_handlers.c"
            for ln, inc, _ in incs:
                if os.path.basename(inc) == "ulfius.h" or inc in STORE_BANNED_INCLUDES:
                    self.add(path, ln, "store-http", f'includes "{inc}"; {why}')
            for rx, msg in STORE_BANNED_CODE:
                for m in rx.finditer(code):
                    self.add(path, line_of(code, m.start()), "store-http", msg.format(m.group(1)) + "; " + why)
        for ln, inc, _ in incs:
            if path.startswith("common/") and inc.startswith("services/"):
                self.add(path, ln, "composition-root",
                         f'includes "{inc}" (common/ is the shared library: it never depends on a service)')
            if inc == "common/service.h" and not ROOT_FILES.match(path):
                self.add(path, ln, "composition-root",
                         'includes "common/service.h" (only common/service.c and services/*/main.c wire a service)')

    def check_banned(self, path, code):
        for m in BANNED_CALLS.finditer(code):
            name = m.group(1)
            self.add(path, line_of(code, m.start()), "banned", f"{name}() is banned; use {BANNED_INSTEAD[name]}")
        for m in VOLATILE.finditer(code):
            self.add(path, line_of(code, m.start()), "banned",
                     "volatile is banned; use a mutex, _Atomic or sig_atomic_t for what it was meant to do")

    def check_graph(self):
        edges = {p: [(ln, t) for ln, _, t in incs if t is not None] for p, incs in self.includes.items()}
        # Header cycles: strongly connected components of the header-to-header graph (Tarjan, iterative).
        headers = [p for p in edges if p.endswith(".h")]
        hedges = {p: [t for _, t in edges[p] if t.endswith(".h")] for p in headers}
        for comp in sccs(headers, hedges):
            if len(comp) == 1 and comp[0] not in hedges[comp[0]]:
                continue
            cycle = find_cycle(comp, hedges)
            # Reported once, at the first file of the cycle that is being checked, as a path from it back to it.
            at = next((p for p in cycle[:-1] if p in self.report), None)
            if at is None:
                continue
            k = cycle.index(at)
            ln = next(ln for ln, t in edges[at] if t == cycle[k + 1])
            self.add(at, ln, "include-cycle", "headers include each other: " + " -> ".join(cycle[k:] + cycle[1:k + 1]))
        # Module pairs: a.c includes b.h while b.c includes a.h (module = path without extension).
        seen = set()
        for a in edges:
            if not a.endswith(".c"):
                continue
            ma = a[:-2]
            for ln, t in edges[a]:
                if not t.endswith(".h") or t[:-2] == ma:
                    continue
                mb = t[:-2]
                b = mb + ".c"
                for ln_b, t_b in edges.get(b, []):
                    if t_b == ma + ".h" and (mb, ma) not in seen:
                        seen.add((ma, mb))
                        where = a if a in self.report else b if b in self.report else None
                        if where == a:
                            self.add(a, ln, "include-cycle",
                                     f'modules include each other: {a} includes "{t}" and {b} includes "{t_b}"')
                        elif where == b:
                            self.add(b, ln_b, "include-cycle",
                                     f'modules include each other: {b} includes "{t_b}" and {a} includes "{t}"')

    def run(self):
        for p in self.files:
            self.scan(p)
        self.check_graph()
        self.violations.sort(key=lambda v: (v[0], v[1], v[2]))
        for path, line, rule, msg in self.violations:
            print(f"{path}:{line}: {rule}: {msg}")
        return len(self.violations)


def comment_free(text, code):
    """text with comments blanked but literals kept: code's blanks outside literals, text's inside them."""
    out = list(code)
    for m in re.finditer(r'"[ ]*"', code):
        out[m.start():m.end()] = text[m.start():m.end()]
    return "".join(out)


def sccs(nodes, edges):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on.add(v)
            recurse = False
            succ = edges.get(v, [])
            while i < len(succ):
                w = succ[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    return out


def find_cycle(comp, edges):
    """A shortest cycle through comp's first node, as a closed path [a, b, ..., a]."""
    members = set(comp)
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in edges.get(v, []):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return [start, start]


def main():
    root, listfile = sys.argv[1], sys.argv[2]
    with open(listfile) as f:
        files = [line.strip() for line in f if line.strip()]
    report = sys.argv[3:] or files
    n = Checker(root, files, [os.path.normpath(p) for p in report]).run()
    sys.exit(1 if n else 0)


if __name__ == "__main__":
    main()
