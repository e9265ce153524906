"""The scripts and stylesheets inlined into the page, read from disk at render time.

vis-network comes from the copy bundled inside the installed pyvis package (nothing is
downloaded); the page's own script and stylesheet live in `viz/static/`. Every asset is checked
so that none can close the element it is inlined into.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_SOURCE_MAP = re.compile(r"^[ \t]*(//|/\*)# sourceMappingURL=\S*(?:[ \t]*\*/)?[ \t]*$", re.M)


@dataclass(frozen=True)
class Assets:
    vis_js: str
    vis_css: str
    page_js: str
    page_css: str

    def script_hashes(self) -> list[str]:
        """CSP source expressions allowing exactly the page's inline scripts."""
        return [_csp_hash(self.vis_js), _csp_hash(self.page_js)]


@cache
def load_assets() -> Assets:
    vis = _bundled_vis_network()
    static = files(__package__) / "static"
    return Assets(
        vis_js=_inlinable(vis / "vis-network.min.js", "script"),
        vis_css=_inlinable(vis / "vis-network.css", "style"),
        page_js=_inlinable(static / "page.js", "script"),
        page_css=_inlinable(static / "page.css", "style"),
    )


def _bundled_vis_network():
    """The newest vis-network directory pyvis ships (`templates/lib/vis-9.1.2` in pyvis 0.3.2)."""
    lib = files("pyvis") / "templates" / "lib"
    found = [d for d in lib.iterdir() if d.name.startswith("vis-") and (d / "vis-network.min.js").is_file()]
    if not found:
        raise RuntimeError(f"no vis-network bundled with pyvis under {lib}")
    return max(found, key=lambda d: tuple(int(p) for p in re.findall(r"\d+", d.name)))


def _inlinable(resource, element: str) -> str:
    # HTML parsers turn CRLF into LF; normalise first so the CSP hash matches what the browser sees
    text = resource.read_text(encoding="utf-8").replace("\r\n", "\n")
    # a source map next to an inlined script does not exist: drop the pointer to it
    text = _SOURCE_MAP.sub("", text)
    if f"</{element}" in text.lower():
        raise RuntimeError(f"{resource} cannot be inlined: it contains </{element}")
    return text


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
