"""The `kg viz` page in headless Chromium (Debian's, never a downloaded one), opened from
file:// with every network request blocked: it draws, searches, filters, and runs no hostile text.

Two pages: the seed graph (data/demo built with the shipped pipeline) and the tiny hostile graph
of tests/fixtures/viz with paper nodes and community colours.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

CHROMIUM = Path("/usr/bin/chromium")
# .ci/run sets it: there a browser test that cannot run is a failure, not a skip
REQUIRE_BROWSER = "PAPERKG_REQUIRE_BROWSER"


def _cannot_run(reason: str) -> None:
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{reason} ({REQUIRE_BROWSER}=1)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists():
    _cannot_run(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does) to run the browser tests")
if importlib.util.find_spec("playwright") is None:
    _cannot_run("playwright is not installed (pip install -e '.[test]')")
from playwright import sync_api  # noqa: E402

from paperkg.extract.resources import data_dir  # noqa: E402
from paperkg.kg.build import build  # noqa: E402
from paperkg.kg.cli import main  # noqa: E402
from paperkg.kg.store import Store  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FIXTURE = Path(__file__).parent / "fixtures" / "viz" / "graph.ttl"
HOSTILE = "https://w3id.org/paperkg/id/entity/hostile"
SETTLE_MS = 60_000  # generous: CI machines are slow; bench/viz_speed.py measures the real time


def write_page(store: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["viz", "--store", str(store), "-o", str(out), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("viz-seed")
    build(Store(work / "store"), [str(data_dir() / "demo")])
    return work / "store"


@pytest.fixture(scope="module")
def seed_page(seed_store) -> Path:
    return write_page(seed_store, seed_store.parent / "seed.html")


@pytest.fixture(scope="module")
def focus_page(seed_store) -> Path:
    return write_page(seed_store, seed_store.parent / "focus.html", "--focus", "SAE", "--depth", "2")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("viz-hostile")
    with Store(work / "store").transaction() as db:
        db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
        del db  # the transaction closes the writer by dropping it
    return write_page(work / "store", work / "hostile.html", "--papers", "--color-by", "community")


# first dated papers for the month slider: the hostile entity last, probing and MSE undated
FIRST_SEEN = {"sae": "2024-01-10", "pythia-70m": "2024-02-03", "the-pile": "2024-02-20", "hostile": "2024-03-05"}
ENTITY = "https://w3id.org/paperkg/id/entity/"


@pytest.fixture(scope="module")
def dated_page(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("viz-dated")
    with Store(work / "store").transaction() as db:
        db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
        first_seen = ox.NamedNode("https://w3id.org/paperkg/ns#firstSeen")
        date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
        db.extend(
            ox.Quad(ox.NamedNode(ENTITY + e), first_seen, ox.Literal(day, datatype=date))
            for e, day in FIRST_SEEN.items()
        )
        del db
    return write_page(work / "store", work / "dated.html")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Opened:
    """A page loaded from file:// with everything but the page itself blocked, and a record of
    each request attempted and each console error."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda r: r.continue_() if r.request.url == self.url else r.abort())
        self.page.goto(self.url)
        # a function, not an expression string: the page's CSP forbids eval, also Playwright's
        self.page.wait_for_function("() => window.paperkg && window.paperkg.settled", timeout=SETTLE_MS)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def search(self, text: str) -> list:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        return self.js("() => window.paperkg.network.getSelectedNodes()")

    def hover_node(self, node_id: str) -> None:
        point = self.js(
            # once the view stands still (a search before may still be zooming to its node), the
            # node is brought to the middle of the window, so that it is on screen to be hovered
            """async id => {
            const net = window.paperkg.network;
            const box = document.querySelector('#graph canvas').getBoundingClientRect();
            let last = null;
            for (let frame = 0; frame < 600; frame++) {
                const dom = net.canvasToDOM(net.getPositions([id])[id]);
                if (last && dom.x === last.x && dom.y === last.y) break;
                last = dom;
                await new Promise(next => requestAnimationFrame(next));
            }
            net.moveTo({position: net.getPositions([id])[id], animation: false});
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
            node_id,
        )
        self.page.mouse.move(point["x"] + 40, point["y"] + 40)
        self.page.mouse.move(point["x"], point["y"], steps=4)


@pytest.fixture(scope="module")
def seed(browser, seed_page):
    opened = Opened(browser, seed_page)
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def focus(browser, focus_page):
    opened = Opened(browser, focus_page)
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def hostile(browser, hostile_page):
    opened = Opened(browser, hostile_page)
    yield opened
    opened.page.close()


@pytest.fixture
def dated(browser, dated_page):
    opened = Opened(browser, dated_page)
    yield opened
    opened.page.close()


def test_seed_page_makes_no_request_and_logs_no_error(seed):
    assert seed.requests == [seed.url]
    assert seed.errors == []


def test_seed_page_draws_every_node_on_a_canvas(seed):
    expected = seed.js("() => JSON.parse(document.getElementById('graph-data').textContent).nodes.length")
    assert expected > 20
    assert seed.js("() => window.paperkg.network.body.nodeIndices.length") == expected
    inked = seed.js("""() => {
        const c = document.querySelector('#graph canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 600) n++;
        return n;
    }""")
    assert inked > 2000
    # physics was stopped once the layout settled
    assert seed.js("() => window.paperkg.network.physics.options.enabled") is False


def test_seed_page_search_finds_a_node_by_alias_and_selects_it(seed):
    assert seed.js("() => window.paperkg.network.getSelectedNodes()") == []
    selected = seed.search("saes")
    assert len(selected) == 1
    node = seed.js("id => window.paperkg.nodes.get(id)", selected[0])
    assert "SAE" in [node["name"], *node["aliases"]] or node["name"].lower().startswith("sparse autoencoder")
    assert seed.page.is_visible("#details")
    assert seed.page.text_content("#details-name") == node["name"]
    seed.search("no such entity at all")
    assert "No entity matches" in seed.page.text_content("#status")


def test_hostile_text_is_shown_as_text_and_runs_nothing(hostile):
    assert hostile.requests == [hostile.url]
    assert hostile.errors == []
    hostile.hover_node(HOSTILE)
    tooltip = hostile.page.wait_for_selector("div.vis-tooltip", state="visible")
    text = tooltip.inner_text()
    assert "<svg onload=window.__pwned=3> feature" in text
    assert '<img src=x onerror="window.__pwned=1"> Scaling SAEs' in text
    assert tooltip.query_selector("img, svg, script") is None
    assert hostile.search("'); window.__pwned=4; ('") == [HOSTILE]
    assert hostile.page.text_content("#details-name") == "<svg onload=window.__pwned=3> feature"
    hostile.page.wait_for_timeout(200)
    assert hostile.js("() => typeof window.__pwned") == "undefined"
    assert hostile.js("() => document.querySelectorAll('img, #side svg:not(.icon):not(.line)').length") == 0


ANCHORS = """sel => Array.from(document.querySelectorAll(sel)).map(a => ({
    href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel'),
    text: a.textContent}))"""
PWC_SAE = "https://paperswithcode.com/method/sparse-autoencoder"
SAE = "https://w3id.org/paperkg/id/entity/sae"


def test_a_link_is_an_anchor_opening_a_new_tab_in_the_tooltip_and_the_details(hostile):
    hostile.hover_node(SAE)
    # the tooltip of the node hovered before may still be up for a moment: wait for this one's
    hostile.page.wait_for_function(
        "name => { const t = document.querySelector('div.vis-tooltip'); return t && t.innerText.startsWith(name); }",
        arg="sparse autoencoder",
    )
    wanted = [{"href": PWC_SAE, "target": "_blank", "rel": "noopener noreferrer", "text": "Papers with Code"}]
    assert hostile.js(ANCHORS, "div.vis-tooltip a") == wanted
    assert hostile.search("SAE") == [SAE]
    assert hostile.js(ANCHORS, "#details-links a") == wanted
    assert hostile.requests == [hostile.url]  # showing a link fetches nothing


MSE = "https://w3id.org/paperkg/id/entity/mse"
PROBING = "https://w3id.org/paperkg/id/entity/probing"


def test_search_keys_names_as_the_graph_does_plurals_accents_and_latex(hostile):
    from paperkg.kg.names import lookup_key

    # every listed name carries the key Python's normaliser gives it
    node = hostile.js("id => window.paperkg.nodes.get(id)", SAE)
    assert node["keys"] == {name: lookup_key(name) for name in [node["name"], *node["aliases"]]}
    # typed text no name on the page is written as: a plural, accents, a LaTeX accent, case
    assert hostile.search("Mean Squared Errors") == [MSE]
    assert hostile.search("Probïng") == [PROBING]
    assert hostile.search('prob\\"ings') == [PROBING]
    assert hostile.search("SPARSE AUTO-ENCODERS") == [SAE]
    assert "No entity matches" not in hostile.page.text_content("#status")


def test_a_javascript_link_is_never_an_anchor(hostile):
    assert hostile.search("'); window.__pwned=4; ('") == [HOSTILE]
    assert hostile.js(ANCHORS, "#details-links a, div.vis-tooltip a[href^='javascript']") == []
    assert hostile.page.text_content("#details-links") == ""


def test_type_filter_hides_and_restores_a_type_with_its_links(hostile):
    visible = "() => window.paperkg.network.body.nodeIndices.length"
    before = hostile.js(visible)
    hostile.page.uncheck("input.type-filter[data-type='Concept']")
    assert hostile.js("id => window.paperkg.nodes.get(id).hidden", HOSTILE) is True
    assert hostile.js(visible) == before - 1
    hidden_links = hostile.js(
        """id => window.paperkg.edges.get()
        .filter(e => e.from === id || e.to === id).every(e => e.hidden)""",
        HOSTILE,
    )
    assert hidden_links is True
    # a search for a hidden entity shows its type again
    assert hostile.search("svg onload") == [HOSTILE]
    assert hostile.page.is_checked("input.type-filter[data-type='Concept']")
    assert hostile.js(visible) == before


def test_paper_nodes_and_communities_are_drawn(hostile):
    kinds = hostile.js("() => window.paperkg.nodes.get().map(n => n.kind)")
    assert kinds.count("Paper") == 3
    assert hostile.page.is_visible("#legend-communities")


# the labels drawn at the default zoom: on-screen font size (vis-network's own font size times
# the view's scale, as its renderer computes it) and box, for every node whose label is drawn
DRAWN_LABELS = """() => {
    const net = window.paperkg.network, scale = net.getScale();
    const canvas = document.querySelector('#graph canvas').getBoundingClientRect();
    return net.body.nodeIndices.map(id => net.body.nodes[id])
        .filter(n => n.options.label && n.labelModule.visible())
        .map(n => {
            const dom = net.canvasToDOM({x: n.x, y: n.y});
            return {id: n.id, px: n.labelModule.fontOptions.size * scale,
                    inside: dom.x >= 0 && dom.y >= 0 && dom.x <= canvas.width && dom.y <= canvas.height};
        });
}"""
MIN_LABEL_PX = 12


def test_focus_is_at_the_centre_of_the_canvas_and_marked(focus):
    assert focus.errors == []
    focus_id = focus.js("() => JSON.parse(document.getElementById('graph-data').textContent).view.focus[0]")
    name = focus.js("id => window.paperkg.nodes.get(id).name", focus_id)
    assert name == "SAE"  # the acronym is written more often than its long form
    where = focus.js(
        """id => {
        const net = window.paperkg.network;
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        return {dx: dom.x - box.width / 2, dy: dom.y - box.height / 2};
    }""",
        focus_id,
    )
    assert abs(where["dx"]) < 2 and abs(where["dy"]) < 2
    node = focus.js("id => window.paperkg.network.body.nodes[id].options", focus_id)
    assert node["borderWidth"] >= 4 and node["color"]["border"] == "#1A1A1A"
    assert focus_id in focus.js("() => window.paperkg.labelled")
    # neighbours are on rings by distance: every node one link away is nearer than every node two away
    radii = focus.js(
        """() => {
        const view = JSON.parse(document.getElementById('graph-data').textContent).view;
        const at = window.paperkg.network.getPositions();
        const c = at[view.focus[0]];
        const byRing = {};
        window.paperkg.nodes.get().forEach(n => {
            const p = at[n.id];
            (byRing[n.distance] = byRing[n.distance] || []).push(Math.hypot(p.x - c.x, p.y - c.y));
        });
        return byRing;
    }"""
    )
    assert set(radii) == {"0", "1", "2"}
    assert max(radii["1"]) < min(radii["2"])


def test_drawn_labels_are_readable_at_the_default_zoom(browser, seed_page, focus_page):
    for path in (seed_page, focus_page):
        opened = Opened(browser, path)  # fresh: the default zoom, before any search or zoom
        labels = opened.js(DRAWN_LABELS)
        on_screen = [label for label in labels if label["inside"]]
        assert len(on_screen) >= 20
        assert min(label["px"] for label in labels) >= MIN_LABEL_PX - 0.01
        # every drawn label is one the page placed (the rest wait for hover or zoom)
        assert {label["id"] for label in labels} <= set(opened.js("() => window.paperkg.labelled"))
        opened.page.close()


def test_zooming_in_shows_more_labels_still_readable(seed):
    before = len(seed.js(DRAWN_LABELS))
    seed.js("() => window.paperkg.network.moveTo({scale: window.paperkg.network.getScale() * 2.5})")
    seed.js("() => window.paperkg.placeLabels()")
    labels = seed.js(DRAWN_LABELS)
    assert min(label["px"] for label in labels) >= MIN_LABEL_PX - 0.01
    inside = [label for label in labels if label["inside"]]
    assert len(inside) > 0 and len(labels) != before
    seed.js("() => { window.paperkg.network.fit({animation: false}); window.paperkg.placeLabels(); }")


def test_the_default_page_opens_fitted(browser, seed_page):
    seed = Opened(browser, seed_page)
    outside = seed.js(
        """() => {
        const net = window.paperkg.network;
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        return Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
            .filter(d => d.x < 0 || d.y < 0 || d.x > box.width || d.y > box.height).length;
    }"""
    )
    assert outside == 0
    seed.page.close()


# grey pixels drawn mostly opaque (the region names' colour; the regions' discs are nearly
# transparent) in boxes given in CSS pixels
GREY_INK = """boxes => {
    const canvas = document.querySelector('#graph canvas');
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const ctx = canvas.getContext('2d');
    let n = 0;
    for (const b of boxes) {
        const px = ctx.getImageData(b.x0 * ratio, b.y0 * ratio, (b.x1 - b.x0) * ratio, (b.y1 - b.y0) * ratio).data;
        for (let i = 0; i < px.length; i += 4) {
            const [r, g, bl, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
            if (a > 100 && r < 170 && Math.abs(r - g) < 6 && Math.abs(g - bl) < 6) n++;
        }
    }
    return n;
}"""
NAME_BOXES = """() => {
    const net = window.paperkg.network;
    return window.paperkg.regionNames.map(l => {
        const top = net.canvasToDOM({x: l.x, y: l.y});
        return {x0: top.x - 30, x1: top.x + 30, y0: top.y, y1: top.y + l.px};
    });
}"""


def test_the_map_names_its_community_regions_on_the_canvas_readably(browser, seed_page):
    opened = Opened(browser, seed_page)  # fresh: the default zoom
    regions = opened.js("() => JSON.parse(document.getElementById('graph-data').textContent).view.regions")
    names = [" · ".join(r["names"]) for r in regions if r["size"] >= 3]
    assert len(names) >= 3
    drawn = opened.js("() => window.paperkg.regionNames")
    assert len(drawn) >= 3
    for label in drawn:
        assert label["px"] >= MIN_LABEL_PX  # as readable as the nodes' labels
        assert any(name.startswith(label["text"]) for name in names)  # leading entities, as many as fit
    # drawn on the canvas as text: ink where the names are, gone when they are not drawn
    boxes = opened.js(NAME_BOXES)
    with_names = opened.js(GREY_INK, boxes)
    opened.js("() => { window.paperkg.regionNames = []; window.paperkg.network.redraw(); }")
    without = opened.js(GREY_INK, boxes)
    assert with_names > 1.5 * without + 100, (with_names, without)
    assert (
        opened.js("() => document.querySelectorAll('#graph *:not(canvas):not(.vis-network):not(.vis-tooltip)').length")
        == 0
    )
    opened.page.close()


# -- the month slider ----------------------------------------------------------------------------

SHOWN = "() => window.paperkg.nodes.get().filter(n => !n.hidden).map(n => n.id.split('/').pop()).sort()"
LINKS_SHOWN = """() => window.paperkg.edges.get().filter(e => !e.hidden)
    .map(e => [e.from, e.to].map(id => id.split('/').pop()).sort().join(' '))"""


def slide_to(opened, month: str) -> None:
    months = opened.page.get_attribute("#month", "data-months").split(" ")
    opened.page.fill("#month", str(months.index(month)))  # a range input takes its value as text


def test_the_month_slider_shows_the_graph_as_of_a_month(dated):
    assert dated.requests == [dated.url] and dated.errors == []
    everything = dated.js(SHOWN)
    assert everything == ["hostile", "mse", "probing", "pythia-70m", "sae", "the-pile"]
    assert dated.page.get_attribute("#month", "data-months") == "2024-01 2024-02 2024-03"
    slide_to(dated, "2024-01")
    # after January: Pythia-70M, The Pile and the hostile concept are hidden; undated ones stay
    assert dated.js(SHOWN) == ["mse", "probing", "sae"]
    assert dated.page.text_content("#month-shown") == "2024-01"
    assert "As of 2024-01: 3 of 6 nodes" in dated.page.text_content("#status")
    # a link shows only when both its ends do
    links = dated.js(LINKS_SHOWN)
    assert links and all(not ({"pythia-70m", "the-pile", "hostile"} & set(pair.split())) for pair in links)
    slide_to(dated, "2024-02")
    assert dated.js(SHOWN) == ["mse", "probing", "pythia-70m", "sae", "the-pile"]
    slide_to(dated, "2024-03")
    assert dated.js(SHOWN) == everything


def test_the_slider_and_the_type_filter_hide_together_and_a_search_undoes_both(dated):
    slide_to(dated, "2024-01")
    dated.page.uncheck("input.type-filter[data-type='Method']")
    assert dated.js(SHOWN) == ["mse", "probing"]
    slide_to(dated, "2024-03")
    assert "sae" not in dated.js(SHOWN)  # still unticked
    slide_to(dated, "2024-01")
    # the hostile concept first appeared in March: finding it moves the slider there
    assert dated.search("svg onload") == [ENTITY + "hostile"]
    assert dated.page.text_content("#month-shown") == "2024-03"
    assert "hostile" in dated.js(SHOWN)
