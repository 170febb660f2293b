"""An axe-core accessibility check of the page a browser test has open.

axe-core is pinned in web/package.json (a development dependency: installed by `make deps`, never served by the
gateway) and evaluated in the page through the browser's debugging protocol, so the pages' Content-Security-Policy
stays as it is served. `serious(page)` answers the serious and critical violations (WCAG 2.x A and AA rules and
axe's best practices), each with the elements it found, so a failing assertion says what to fix.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"

RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ((n.any[0] && n.any[0].data && n.any[0].data.fgColor)
                  ? ` (${n.any[0].data.fgColor} on ${n.any[0].data.bgColor}: ${n.any[0].data.contrastRatio}:1)` : ''))}));
}"""


def serious(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("typeof window.axe.run") == "function", "axe-core did not load into the page"
    return page.evaluate(RUN)


def check(page) -> None:
    """Fails naming every serious or critical violation, its rule and up to five of its elements."""
    found = serious(page)
    assert found == [], "accessibility violations:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']}: {', '.join(v['nodes'])}" for v in found)
