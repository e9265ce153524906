"""viz through its API: what a page selects, caps and reports, how it draws links, and that
hostile text from papers reaches the HTML only as inert, escaped data."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from paperkg.kg.names import lookup_key
from paperkg.viz.communities import communities
from paperkg.viz.html import page_html
from paperkg.viz.layout import ring_layout, spread_layout
from paperkg.viz.regions import region_layout
from paperkg.viz.select import SelectionError, cap, find_nodes, select, weak_links

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"> and </script><script>window.__pwned=2</script>'
HOSTILE_LABEL = "<svg onload=window.__pwned=3> {{ 7*7 }} 'single' \"double\" {braces}"


HOSTILE_IRI = 'javascript:alert(1)//"></a><img src=x onerror="window.__pwned=6">'
PWC_SAE = "https://paperswithcode.com/method/sparse-autoencoder"


def entity(g, node, label, kind="Method", papers=1, aliases=(), titles=(), links=()):
    g.add_node(
        node, label=label, type=kind, papers=papers, aliases=list(aliases), paper_titles=list(titles), links=list(links)
    )


def cooc(g, a, b, weight=1):
    g.add_edge(a, b, key="coOccursWith", relation="coOccursWith", weight=weight)


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """A hub (SAE) with a chain hanging off it and a separate pair; one hostile entity."""
    g = nx.MultiDiGraph()
    entity(
        g,
        "sae",
        "sparse autoencoder",
        papers=5,
        aliases=["SAE", "SAEs"],
        titles=[HOSTILE_TITLE, "Plain title"],
        links=[{"iri": PWC_SAE, "match": "exact", "source": "Papers with Code"}],
    )
    entity(g, "pythia", "Pythia-70M", "Model", papers=2)
    entity(g, "pile", "The Pile", "Dataset", papers=3)
    entity(g, "mse", "mean squared error", "Metric", papers=1, aliases=["MSE"])
    entity(g, "probe", "probing", "Task", papers=1)
    entity(g, "far", "far concept", "Concept", papers=1)
    entity(
        g,
        "evil",
        HOSTILE_LABEL,
        "Concept",
        papers=2,
        aliases=["'); window.__pwned=4; ('"],
        titles=[HOSTILE_TITLE],
        links=[{"iri": HOSTILE_IRI, "match": "close", "source": HOSTILE_LABEL}],
    )
    entity(g, "x", "island x", "Concept", papers=1)
    entity(g, "y", "island y", "Concept", papers=1)
    for other in ("pythia", "pile", "mse", "evil"):
        cooc(g, "sae", other, 2)
    cooc(g, "pythia", "pile")
    cooc(g, "mse", "probe")
    cooc(g, "probe", "far")
    cooc(g, "x", "y")
    g.add_edge("sae", "pile", key="evaluatedOn", relation="evaluatedOn", weight=1)
    return g


# -- selection --------------------------------------------------------------------------------


def test_focus_by_alias_takes_the_ego_network_to_the_given_depth(graph):
    one = select(graph, key=lookup_key, focus="saes", depth=1)
    assert set(one.graph) == {"sae", "pythia", "pile", "mse", "evil"}
    assert one.focus == ("sae",)
    two = select(graph, key=lookup_key, focus="SAE", depth=2)
    assert set(two.graph) == {"sae", "pythia", "pile", "mse", "evil", "probe"}
    assert two.filtered_out == graph.number_of_nodes() - 6


def test_unknown_focus_is_a_clear_error_with_suggestions(graph):
    with pytest.raises(SelectionError, match=r"no entity named 'island' .*did you mean: island x, island y"):
        select(graph, key=lookup_key, focus="island")


def test_find_nodes_uses_the_given_key(graph):
    assert find_nodes(graph, "mean-squared ERROR", key=lookup_key) == ["mse"]
    assert find_nodes(graph, "whatever", key=lambda s: "k") == list(find_nodes(graph, "x", key=lambda s: "k"))


def test_types_and_min_papers_filter_entities_but_keep_the_focus(graph):
    chosen = select(graph, types={"Dataset", "Model"}, min_papers=3)
    assert set(chosen.graph) == {"pile"}
    focused = select(graph, key=lookup_key, focus="probing", depth=2, types={"Method"})
    assert set(focused.graph) == {"probe", "sae"}


def test_cap_keeps_the_entities_of_most_papers_and_reports_the_rest(graph):
    chosen = select(graph, max_nodes=3)
    # papers: sae 5, pile 3, pythia and evil 2 (pythia has more neighbours), the rest 1 each,
    # ranked among themselves by neighbours (mse and probe 2, the others fewer)
    assert set(chosen.graph) == {"sae", "pile", "pythia"}
    assert chosen.left_out == ["evil", "mse", "probe", "far", "x", "y"]
    assert len(chosen.left_out_labels) == len(chosen.left_out)
    assert chosen.max_nodes == 3
    assert select(graph, max_nodes=0).left_out == []


def test_a_capped_focus_keeps_the_nearest_typed_first_then_most_shared_and_says_how(graph):
    # around SAE: pile has a typed relation to it (and 3 papers); pythia, mse and evil share 2
    # papers each with it, pythia and evil are in 2 papers, pythia has more neighbours; probe is 2 away
    capped = select(graph, key=lookup_key, focus="SAE", depth=2, max_nodes=3)
    assert list(capped.rank) == ["sae", "pile", "pythia"]
    assert capped.left_out == ["evil", "mse", "probe"]  # the only node two links away comes last
    assert capped.distances == {"sae": 0, "pile": 1, "pythia": 1}
    assert "nearest the focus" in capped.ranked_by
    assert "nearest the focus" in page_html(capped)


def test_ring_layout_centres_the_focus_and_rings_neighbours_by_distance(graph):
    chosen = select(graph, key=lookup_key, focus="SAE", depth=2)
    positions, rings = ring_layout(chosen.graph, chosen.distances, chosen.rank)
    assert positions["sae"] == (0.0, 0.0)
    assert [r["distance"] for r in rings] == [1, 2]
    for node, distance in chosen.distances.items():
        if distance:
            ring = rings[distance - 1]
            radius = (positions[node][0] ** 2 + positions[node][1] ** 2) ** 0.5
            assert ring["inner"] - 1 <= radius <= ring["outer"] + 1
    assert rings[0]["outer"] < rings[1]["inner"]
    data = payload(page_html(chosen))
    assert data["view"]["focus"] == ["sae"]
    focus = next(n for n in data["nodes"] if n["id"] == "sae")
    assert focus["focus"] is True and (focus["x"], focus["y"]) == (0.0, 0.0)
    assert data["options"]["physics"]["enabled"] is False


def test_cap_ranks_by_distinct_neighbours_then_papers_and_keeps_the_focus_first(graph):
    kept, left = cap(graph, 2, keep=("far",))
    assert kept == ["far", "sae"]
    assert left[0] == "pile"  # 2 neighbours and 3 papers beats mse/probe (2 neighbours, 1 paper)


def test_paper_nodes_only_with_papers(graph):
    graph.add_node("p1", label="A paper", type="Paper", papers=1)
    graph.add_edge("p1", "sae", key="proposes", relation="proposes", weight=1)
    assert "p1" not in select(graph).graph
    with_papers = select(graph, papers=True)
    assert "p1" in with_papers.graph and with_papers.papers_shown == 1
    assert with_papers.total_papers == 1


def test_totals_come_from_the_graph_attributes_when_the_view_is_partial(graph):
    graph.graph.update(entities=1000, papers=400)
    chosen = select(graph, max_nodes=2)
    assert (chosen.total_entities, chosen.total_papers, chosen.entities) == (1000, 400, 2)


# -- communities ------------------------------------------------------------------------------


def test_communities_are_named_by_their_leading_entities_and_skip_isolated_nodes(graph):
    graph.add_node("alone", label="alone", type="Concept", papers=9)
    found = communities(graph)
    members = [set(c.members) for c in found]
    assert {"x", "y"} in members
    assert not any("alone" in m for m in members)
    assert found[0].index == 0 and len(found[0].members) >= len(found[-1].members)
    sae_group = next(c for c in found if "sae" in c.members)
    assert sae_group.name.startswith("sparse autoencoder")
    assert communities(graph) == found  # deterministic


# -- the page ---------------------------------------------------------------------------------


def payload(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def test_page_has_no_external_scripts_styles_or_urls_to_fetch(graph):
    html = page_html(select(graph))
    assert not re.search(r"<script[^>]*\ssrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\shref\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", html, re.I)
    assert "bootstrap" not in html.lower() and "tom-select" not in html.lower()


def test_hostile_text_is_escaped_everywhere_and_scripts_are_pinned_by_hash(graph):
    graph.graph["name"] = HOSTILE_LABEL
    html = page_html(select(graph, key=lookup_key, focus="sae"), color_by="community")
    # markup from the data never appears as markup
    assert "<img" not in html and "<svg onload" not in html
    assert html.count("</script>") == 3 and "<script>window" not in html
    assert "&lt;svg onload=window.__pwned=3&gt;" in html  # the header, autoescaped
    data = payload(html)
    sae = next(n for n in data["nodes"] if n["id"] == "sae")
    assert HOSTILE_TITLE in sae["titles"]
    evil = next(n for n in data["nodes"] if n["id"] == "evil")
    assert evil["name"] == HOSTILE_LABEL and "title" not in evil  # tooltips are built as DOM nodes
    # a hostile IRI-like string stays data: in the JSON, never as markup (the script drops non-http links)
    assert evil["links"] == [{"iri": HOSTILE_IRI, "match": "close", "source": HOSTILE_LABEL}]
    assert not re.search(r"<a[\s>]|</a>", html)
    assert "window.__pwned=6" in html and 'onerror="window.__pwned=6"' not in html
    # the CSP allows exactly the inline scripts that are there, and no network at all
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for body in re.findall(r"<script>(.*?)</script>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_nodes_carry_their_links_and_nodes_without_have_none(graph):
    nodes = {n["id"]: n for n in payload(page_html(select(graph)))["nodes"]}
    assert nodes["sae"]["links"] == [{"iri": PWC_SAE, "match": "exact", "source": "Papers with Code"}]
    assert nodes["pile"]["links"] == []


def test_nodes_are_styled_by_type_and_sized_by_papers(graph):
    data = payload(page_html(select(graph)))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["sae"]["shape"] == "dot" and nodes["pile"]["shape"] == "square"
    assert nodes["sae"]["color"]["background"] != nodes["pile"]["color"]["background"]
    assert nodes["sae"]["value"] == 5 and nodes["mse"]["value"] == 1
    assert nodes["sae"]["aliases"] == ["SAE", "SAEs"]


def test_links_merge_directions_and_a_typed_relation_replaces_co_occurrence(graph):
    cooc(graph, "pile", "sae", 2)  # the reverse direction of an existing pair
    data = payload(page_html(select(graph)))
    pairs = [(e["from"], e["to"], e["relation"]) for e in data["edges"]]
    assert len(pairs) == len(set(pairs))
    sae_pile = [e for e in data["edges"] if {e["from"], e["to"]} == {"sae", "pile"}]
    assert len(sae_pile) == 1
    (typed,) = sae_pile
    assert typed["relation"] == "evaluatedOn" and typed["cooccurrences"] == 2 and typed["value"] == 2
    assert typed["dashes"] and typed["arrows"]["to"]["enabled"] is True
    plain = next(e for e in data["edges"] if e["relation"] == "coOccursWith")
    assert plain["dashes"] is False and plain["arrows"]["to"]["enabled"] is False


def test_colour_by_community_lists_named_communities_in_the_legend(graph):
    html = page_html(select(graph), color_by="community")
    assert 'id="legend-communities"' in html
    assert "island x" in html
    colours = {n["id"]: n["color"]["background"] for n in payload(html)["nodes"]}
    assert colours["x"] == colours["y"] != colours["sae"]


def test_colour_by_time_runs_from_the_earliest_median_month_to_the_latest(graph):
    from paperkg.viz.style import TIME_COLORS, UNDATED_COLOR

    months = {"sae": "2025-03", "pythia": "2025-09", "pile": "2026-03", "mse": "2026-03"}
    for node, month in months.items():
        graph.nodes[node]["median_month"] = month
    html = page_html(select(graph), color_by="time")
    colours = {n["id"]: n["color"]["background"] for n in payload(html)["nodes"]}
    assert colours["sae"] == TIME_COLORS[0] and colours["pile"] == colours["mse"] == TIME_COLORS[-1]
    assert colours["pythia"] == TIME_COLORS[len(TIME_COLORS) // 2]  # half way: 6 of 12 months
    assert colours["x"] == UNDATED_COLOR  # no dated paper
    legend = html[html.index('id="legend-time"') :]
    assert legend.index("2025-03") < legend.index("2026-03")
    assert re.search(r"no dated paper</span><span class=\"legend-count\">5<", legend)


def test_the_month_slider_stops_at_each_month_something_first_appears(graph):
    firsts = {
        "sae": "2025-03",
        "pythia": "2025-09",
        "pile": "2026-03",
        "mse": "2026-03",
        "evil": '2025-1"><i id=month-attack>',
    }
    for node, month in firsts.items():
        graph.nodes[node]["first_month"] = month
    html = page_html(select(graph))
    slider = re.search(
        r'<input id="month" type="range" min="0" max="(\d+)" step="1" value="(\d+)"\s+data-months="([^"]*)"', html
    )
    assert slider is not None
    assert slider.groups() == ("2", "2", "2025-03 2025-09 2026-03")  # opens at the last: everything shown
    nodes = {n["id"]: n for n in payload(html)["nodes"]}
    assert nodes["pile"]["first"] == "2026-03" and nodes["x"]["first"] == ""  # no dated paper: always shown
    assert nodes["evil"]["first"] == "" and "month-attack" not in html  # not a month: dates nothing


def test_the_month_slider_ends_at_the_graphs_newest_month(graph):
    """The hubs of a corpus all appear in its first months: the last stop is the newest paper's
    month, so the slider's label says how recent the graph is; text that is not a month is no stop."""
    graph.nodes["sae"]["first_month"] = "2025-03"
    graph.nodes["pythia"]["first_month"] = "2025-09"
    stops = r'data-months="([^"]*)"'
    graph.graph["last_month"] = "2026-07"
    assert re.findall(stops, page_html(select(graph))) == ["2025-03 2025-09 2026-07"]
    assert 'Graph as of <output id="month-shown" for="month">2026-07</output>' in page_html(select(graph))
    for last in ("2025-09", "2025-05", '2026-1"><i id=month-attack>', None):
        graph.graph["last_month"] = last
        html = page_html(select(graph))
        assert re.findall(stops, html) == ["2025-03 2025-09"] and "month-attack" not in html


def test_no_slider_without_two_months(graph):
    graph.nodes["sae"]["first_month"] = "2025-03"
    assert 'id="month"' not in page_html(select(graph))


def test_colour_by_time_without_dates_draws_no_scale(graph):
    from paperkg.viz.style import UNDATED_COLOR

    html = page_html(select(graph), color_by="time")
    assert 'id="legend-time"' not in html
    assert {n["color"]["background"] for n in payload(html)["nodes"]} == {UNDATED_COLOR}


def test_header_says_what_is_shown_of_how_many_and_what_was_left_out(graph):
    graph.graph.update(name="demo graph", papers=12, built="2024-03-01 10:01")
    html = page_html(select(graph, max_nodes=4))
    assert "<h1>demo graph</h1>" in html
    assert re.search(r"<strong>4</strong> of 9 entities shown", html)
    assert "from 12 papers" in html and "graph built 2024-03-01 10:01" in html
    assert 'id="left-out"' in html and "5 others were left out" in html


def test_an_empty_selection_still_renders(graph):
    html = page_html(select(graph, types={"Metric"}, min_papers=99))
    assert payload(html)["nodes"] == []


def test_every_page_comes_laid_out_with_physics_off(graph):
    for chosen in (select(graph), select(graph, key=lookup_key, focus="SAE")):
        data = payload(page_html(chosen))
        assert data["options"]["physics"] == {"enabled": False}
        assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_big_pages_draw_only_the_main_links(graph, monkeypatch):
    monkeypatch.setattr("paperkg.viz.html.BIG_PAGE", 3)
    for i in "abcde":  # a clique of five named in one paper each: c-d-e's last links are nobody's top 3
        entity(graph, i, f"clique {i}")
    for i, j in itertools.combinations("abcde", 2):
        cooc(graph, i, j)
    edges = payload(page_html(select(graph)))["edges"]
    minor = {(e["from"], e["to"]) for e in edges if e.get("minor")}
    assert minor == {("d", "e")} and all(e["hidden"] for e in edges if e.get("minor"))
    assert any(e["relation"] == "evaluatedOn" and not e.get("minor") for e in edges)  # typed: always drawn


def test_spread_layout_is_deterministic_and_keeps_linked_nodes_closer():
    g = nx.MultiDiGraph()
    for group in range(4):
        for i in range(15):
            g.add_node((group, i))
        for i in range(15):
            for j in range(i + 1, 15):
                g.add_edge((group, i), (group, j), weight=1)
    pos = spread_layout(g)
    assert pos == spread_layout(g)

    def mean_distance(pairs):
        pairs = list(pairs)
        return sum(((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5 for a, b in pairs) / len(pairs)

    inside = mean_distance((a, b) for a, b in g.edges())
    across = mean_distance(((0, i), (1, i)) for i in range(15))
    assert inside < across / 2


def test_spread_layout_packs_lone_nodes_around_the_main_component():
    rng = random.Random(1)
    g = nx.MultiDiGraph()
    for i in range(1000):  # the main component, sparse like a literature's
        for _ in range(3):
            g.add_edge(i, rng.randrange(1000), weight=1)
    for k in range(100):  # lone nodes, which repulsion alone flings out to about 3.3 times its radius
        g.add_node(f"lone{k}")
    pos = spread_layout(g)
    radius = {n: (x * x + y * y) ** 0.5 for n, (x, y) in pos.items()}
    main = max(radius[i] for i in range(1000))
    lone = [r for n, r in radius.items() if not isinstance(n, int)]
    assert main < min(lone) and max(lone) < 2.8 * main  # close around it: a fitted page keeps the main graph big
    spots = {(round(pos[n][0]), round(pos[n][1])) for n in pos if not isinstance(n, int)}
    assert len(spots) == len(lone)  # no two on top of each other


def test_a_focus_is_matched_with_the_graph_s_own_name_key_only(graph):
    with pytest.raises(TypeError, match="name key"):
        select(graph, focus="SAE")
    # the key linking merged by: plurals and hyphens (`SAEs`, `sparse auto-encoders`) find the same node
    assert find_nodes(graph, "SAEs", key=lookup_key) == find_nodes(graph, "SAE", key=lookup_key)


# -- the default map: what papers share, laid out by community ---------------------------------


def literature(topics: int = 6, per_topic: int = 6, singles: int = 3) -> nx.MultiDiGraph:
    """`topics` groups of entities seen in 2-4 papers, linked densely inside a group and once to the
    next group, and `singles` entities of one paper hanging off each of them (the abstract's own terms)."""
    g = nx.MultiDiGraph()
    for t in range(topics):
        members = [f"t{t}e{i}" for i in range(per_topic)]
        for i, node in enumerate(members):
            entity(g, node, f"topic {t} entity {i}", papers=2 + i % 3)
            for k in range(singles):
                entity(g, f"{node}s{k}", f"{node} single {k}")
                cooc(g, node, f"{node}s{k}")
        for a, b in itertools.combinations(members, 2):
            cooc(g, a, b, 3)
        cooc(g, members[0], f"t{(t + 1) % topics}e1")
    return g


def test_the_default_map_leaves_out_single_paper_entities_when_enough_are_shared():
    g = literature()  # 36 shared entities, 108 of one paper
    chosen = select(g)
    assert chosen.entities == 36 and all(g.nodes[n]["papers"] >= 2 for n in chosen.graph)
    assert chosen.single_paper_left_out == 108 and chosen.filtered_out == 0
    assert "single-paper" in page_html(chosen) and "--min-papers 1" in page_html(chosen)
    # an explicit --min-papers is obeyed, 0 and 1 alike; a focus keeps its whole neighbourhood
    for explicit in (0, 1):
        assert select(g, min_papers=explicit, max_nodes=0).entities == 144
    assert select(g, min_papers=1).single_paper_left_out == 0
    around = select(g, key=lookup_key, focus="topic 0 entity 0")
    assert around.single_paper_left_out == 0 and "t0e0s0" in around.graph


def test_too_few_shared_entities_leave_the_default_map_as_it_was():
    g = literature(topics=4, per_topic=7)  # 28 shared: below SHARED_ENOUGH
    chosen = select(g, max_nodes=0)
    assert chosen.single_paper_left_out == 0 and chosen.entities == 28 * 4
    assert 'id="single-paper"' not in page_html(chosen)


def regions_of(html: str) -> tuple[dict, list[dict]]:
    data = payload(html)
    return {n["id"]: n for n in data["nodes"]}, data["view"]["regions"]


def test_the_map_is_laid_out_by_community_in_regions_that_do_not_overlap():
    g = literature()
    nodes, regions = regions_of(page_html(select(g)))
    assert len(regions) == 6 and all(r["size"] == 6 for r in regions)
    for a, b in itertools.combinations(regions, 2):
        assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["r"] + b["r"]
    named = {r["names"][0].rsplit(" entity", 1)[0]: r for r in regions}  # each named after its topic
    assert len(named) == 6
    for node in nodes.values():
        own = named[node["name"].rsplit(" entity", 1)[0]]
        assert node["community"] == " · ".join(own["names"])
        here = math.dist((node["x"], node["y"]), (own["x"], own["y"]))
        assert here < own["r"]  # inside its own region ...
        for other in regions:
            if other is not own:  # ... nearer its own centre than any other's, outside every other region
                there = math.dist((node["x"], node["y"]), (other["x"], other["y"]))
                assert here < there and there > other["r"]


def test_the_map_layout_is_the_same_in_every_process():
    # networkx's Louvain walks sets, whose order for string nodes follows the hash seed
    code = (
        "import json, sys; sys.path.insert(0, 'tests'); from test_viz import literature, payload, select, page_html;"
        "d = payload(page_html(select(literature())));"
        "print(json.dumps([d['view'], sorted((n['id'], n['x'], n['y']) for n in d['nodes'])]))"
    )
    root = Path(__file__).resolve().parent.parent
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_links_between_regions_are_faint_and_those_inside_full():
    edges = payload(page_html(select(literature(), links=None)))["edges"]
    across = [e for e in edges if e["from"][:2] != e["to"][:2]]
    inside = [e for e in edges if e["from"][:2] == e["to"][:2]]
    assert across and all(e["color"]["opacity"] < 0.5 for e in across)
    assert inside and all(e["color"]["opacity"] == 1.0 for e in inside)


def test_region_layout_places_lone_groups_and_one_region_alone():
    lone = nx.Graph()
    lone.add_nodes_from("abc")
    positions, regions = region_layout(lone, [{"a"}, {"b"}, {"c"}])
    assert len(set(positions.values())) == 3 and len(regions) == 3
    for a, b in itertools.combinations(regions, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) >= a.radius + b.radius
    one, (region,) = region_layout(lone, [set("abc")])
    assert (region.x, region.y) == (0.0, 0.0) and all(math.dist(xy, (0, 0)) < region.radius for xy in one.values())
    assert region_layout(nx.Graph(), []) == ({}, [])


def test_each_node_keeps_its_strongest_pairs_by_association_strength_typed_ones_twice():
    """A hub in 100 papers shares 10 with each of a, b and c and 4 with x; x and y (5 papers
    each) share 3, a and b one; a is used for c in one paper, the hub for x in two. By counts the
    hub's links are the strongest; by association strength (shared / product of papers) they are
    the weakest: hub-a 10/500 against a-b 1/25. A typed relation counts twice: a-c 2/25 beats a-b
    and c's tie to the hub, while hub-x (2 * 4/500) loses to x-y and takes its typed relation
    with it. With one pair a node: x and y keep theirs, a and c theirs, b its link to a, the hub
    one of its ties (by name); a focus's links always stay."""
    g = nx.MultiDiGraph()
    entity(g, "hub", "hub", papers=100)
    for node in "abcxy":
        entity(g, node, node, papers=5)
    for node in "abc":
        cooc(g, "hub", node, 10)
    cooc(g, "hub", "x", 4)
    cooc(g, "x", "y", 3)
    cooc(g, "a", "b", 1)
    g.add_edge("a", "c", key="usedFor", relation="usedFor", weight=1)
    g.add_edge("hub", "x", key="usedFor", relation="usedFor", weight=2)
    assert set(weak_links(g, 1)) == {
        ("hub", "b", "coOccursWith"),
        ("hub", "c", "coOccursWith"),
        ("hub", "x", "coOccursWith"),
        ("hub", "x", "usedFor"),
    }
    assert weak_links(g, 1, keep=("hub",)) == []
    assert select(g, links=1).graph.number_of_edges() == g.number_of_edges() - 4
