"""Regenerate docs/screenshot.png: the demo graph's `kg viz` page in headless Chromium.

    python docs/screenshot.py                          # builds data/demo in a temporary store
    python docs/screenshot.py --store ./mygraph --out shot.png --hover "GPT-2" -- --focus SAE

Builds the demo corpus into a temporary store (unless --store is given), writes the page with
`kg viz` (arguments after `--` are passed on), opens it from file:// in Debian's Chromium
(/usr/bin/chromium; playwright never downloads a browser here) with every other request
blocked, waits until the layout has settled, hovers a node so its tooltip shows, and saves a
1400x900 PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshot.png"


def kg(*args: str) -> None:
    from paperkg.kg.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {result.stderr or result.output}")


def shoot(page_path: Path, out: Path, hover: str | None, size: tuple[int, int] = (1400, 900)) -> None:
    from playwright.sync_api import sync_playwright

    url = page_path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
            page.goto(url)
            page.wait_for_function("() => window.paperkg && window.paperkg.settled", timeout=120_000)
            page.wait_for_timeout(500)  # the fit animation, if any
            if hover:
                point = page.evaluate(
                    """name => {
                    const net = window.paperkg.network;
                    const key = s => String(s).toLowerCase();
                    const node = window.paperkg.nodes.get().find(n => key(n.name) === key(name)
                        || (n.aliases || []).some(a => key(a) === key(name)));
                    if (!node) return null;
                    const dom = net.canvasToDOM(net.getPositions([node.id])[node.id]);
                    const box = document.querySelector('#graph canvas').getBoundingClientRect();
                    return {x: box.left + dom.x, y: box.top + dom.y};
                }""",
                    hover,
                )
                if point:
                    page.mouse.move(point["x"] + 30, point["y"] + 30)
                    page.mouse.move(point["x"], point["y"], steps=5)
                    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build data/demo in a temporary one)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"PNG to write (default {OUT})")
    parser.add_argument("--hover", default="SAE", help="entity whose tooltip to show ('' for none)")
    parser.add_argument("viz_args", nargs="*", help="extra `kg viz` arguments, after --")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="paperkg-shot-") as work:
        store = args.store
        if store is None:
            store = Path(work) / "store"
            os.chdir(ROOT)  # sources recorded as data/demo/..., so the page is titled "data/demo"
            kg("build", "data/demo/", "--store", str(store))
        page = Path(work) / "graph.html"
        kg("viz", "--store", str(store), "-o", str(page), *args.viz_args)
        shoot(page, args.out, args.hover or None)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
