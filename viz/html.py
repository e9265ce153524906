"""The interactive page: a pyvis network of the selected graph in one self-contained HTML file.

pyvis holds the nodes, edges and vis-network options; the page around them is our own template
(`templates/page.html`), because pyvis's template links Bootstrap from a CDN and its menus break
the drawing. The page makes no request: vis-network and our script are inlined, and a Content
Security Policy allows only those exact scripts, no network access and no inline event handlers,
so even a paper title that slipped through as markup could run nothing.

Text from papers reaches the page only as JSON data (read by the script and shown through
`textContent` / DOM nodes) or through Jinja's autoescaping. Links to reference vocabularies
become `<a>` elements only for http(s) IRIs, opening in a new tab without an opener or referrer;
following one is navigation, which the policy leaves alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from importlib.resources import files

import jinja2

from paperkg.schema.namespaces import CO_OCCURRENCE
from paperkg.viz.assets import load_assets
from paperkg.viz.attributes import (
    aliases_of,
    first_month_of,
    label_of,
    last_month_of,
    links_of,
    median_month_of,
    papers_of,
    search_keys_of,
    titles_of,
    type_of,
)
from paperkg.viz.communities import Community, communities
from paperkg.viz.layout import ring_layout
from paperkg.viz.map_layout import NODE_SIZE, main_lines, merged_edges, region_positions
from paperkg.viz.select import Selection
from paperkg.viz.style import (
    COMMUNITY_COLORS,
    OTHER_COMMUNITY_COLOR,
    PAPER_ROLE_STYLE,
    RELATION_STYLES,
    TIME_COLORS,
    TYPE_STYLES,
    UNDATED_COLOR,
    community_colors,
    edge_style,
    node_style,
    time_colors,
)

COLOR_BY = ("type", "community", "time")
BIG_PAGE = 800  # nodes above which a page draws only each node's main links (all of them take seconds a frame)
LABEL_MAX = 40  # characters of a label drawn on the canvas; the tooltip has the full name
TITLES_SHOWN = 5  # paper titles listed in a tooltip


def page_html(
    selection: Selection,
    *,
    color_by: str = "type",
    name: str | None = None,
    built: str | None = None,
    written: dt.datetime | None = None,
) -> str:
    """The whole page for `selection` as one HTML string."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}")
    graph = selection.graph
    # the map is laid out by community, so they are needed whatever the colouring; a focus page has rings
    groups = communities(graph) if color_by == "community" or not selection.focus else []
    net, view = build_network(selection, groups, color_by=color_by)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    assets = load_assets()
    written = written or dt.datetime.now().astimezone()
    context = {
        "name": name or graph.graph.get("name") or "paperkg graph",
        "built": built or graph.graph.get("built"),
        "written": written.strftime("%Y-%m-%d %H:%M"),
        "sel": selection,
        "focus_labels": [label_of(graph, n) for n in selection.focus if n in graph],
        "types": _legend_types(selection),
        "relations": _legend_relations(edges),
        "communities": _legend_communities(groups) if color_by == "community" else [],
        "time_legend": _legend_time(graph) if color_by == "time" else None,
        "color_by": color_by,
        "payload": {
            "nodes": nodes,
            "edges": edges,
            "options": json.loads(options),
            "view": {"focus": [str(n) for n in selection.focus if n in graph], **view},
        },
        "months": _first_months(graph),
        "assets": assets,
        "csp": _content_security_policy(assets),
    }
    return _template().render(**context)


def build_network(selection: Selection, groups: Sequence[Community] = (), *, color_by: str = "type"):
    """A pyvis `Network` holding the selection, with every node's position, and what the page
    draws under the graph: {"rings": radii around a focus (`viz.layout.ring_layout`), "regions":
    the communities' regions (`viz.regions.region_layout`)}. Nodes are styled by type (or by
    their community in `groups`) and sized by paper count, the focus marked; edges are sized by
    weight and styled by relation. A page with a focus has it at the centre and its neighbours
    on rings by distance; any other page is laid out by community. Physics stays off: the page
    opens as laid out here."""
    from pyvis.network import Network  # imports IPython: keep it off every other command's path

    graph = selection.graph
    net = Network(directed=True)
    lines = merged_edges(graph)
    main = main_lines(lines)
    rings: list[dict] = []
    regions: list[dict] = []
    if selection.focus and selection.distances:
        positions, rings = ring_layout(graph, selection.distances, selection.rank)
    else:
        positions, regions = region_positions(graph, groups, [line for i, line in enumerate(lines) if i in main])
    big = graph.number_of_nodes() > BIG_PAGE
    focus = set(selection.focus)
    by_community = color_by == "community"
    color_of = community_colors(groups)
    by_time = color_by == "time"
    time_of = time_colors(_months(graph)) if by_time else {}
    community_of = {n: c.name for c in groups for n in c.members}
    for node in sorted(graph, key=str):
        kind = type_of(graph, node)
        style = node_style(kind)
        if by_time:
            color = time_of.get(node, UNDATED_COLOR)
        elif by_community:
            color = color_of.get(node, OTHER_COMMUNITY_COLOR)
        else:
            color = style.color
        full = label_of(graph, node)
        net.add_node(
            str(node),
            label=_shorten(full),
            shape=style.shape,
            color={
                "background": color,
                "border": "#1A1A1A" if node in focus else _darker(color),
                "highlight": {"background": color, "border": "#1A1A1A"},
                "hover": {"background": color, "border": "#1A1A1A"},
            },
            value=max(papers_of(graph, node), 1),
            # read by the page script to build tooltips, search and details (never as HTML)
            name=full,
            kind=kind,
            aliases=aliases_of(graph, node),
            keys=search_keys_of(graph, node),
            papers=papers_of(graph, node),
            titles=titles_of(graph, node)[:TITLES_SHOWN],
            links=links_of(graph, node),
            community=community_of.get(node, ""),
            first=first_month_of(graph, node) or "",  # the month slider hides it before then
            rank=selection.rank.get(node, len(selection.rank)),
            **({"distance": selection.distances[node]} if node in selection.distances else {}),
            **_position(positions.get(node)),
            **(_FOCUS_MARK if node in focus else {}),
        )
    ring_of = selection.distances if rings else {}
    for i, (u, v, relation, weight, cooccurrences) in enumerate(lines):
        edge = edge_style(relation)
        # faint: around a focus, links along a ring (not towards the focus); on a map, shared
        # papers between two regions (the regions' own links show their structure)
        along = relation == CO_OCCURRENCE and ring_of.get(u, 0) == ring_of.get(v, 0) > 0
        across = bool(regions) and relation == CO_OCCURRENCE and community_of.get(u) != community_of.get(v)
        _add_edge(
            net,
            str(u),
            str(v),
            id=f"e{i}",
            relation=relation,
            weight=weight,
            cooccurrences=cooccurrences,
            value=weight,
            dashes=list(edge.dashes) or False,
            arrows={"to": {"enabled": edge.arrow, "scaleFactor": 0.5}},
            color={
                "color": edge.color,
                "highlight": "#1A1A1A",
                "hover": "#1A1A1A",
                "opacity": 0.3 if along or across else 1.0,
            },
            # a big page draws only the main links: all of them take seconds a frame
            **({"minor": True, "hidden": True} if big and i not in main else {}),
        )
    net.options = vis_options(graph.number_of_nodes(), graph.number_of_edges())
    return net, {"rings": rings, "regions": regions}


def _add_edge(net, source: str, to: str, **options) -> None:
    """`net.add_edge` without its checks: pyvis looks each endpoint up in a list of node ids and,
    on a 5,000-node page, that took 2 of its 6 seconds; both ends here are nodes of the graph."""
    from pyvis.edge import Edge

    net.edges.append(Edge(source, to, net.directed, **options).options)


# the focus of a page: a thick dark border (the page script also draws a halo around it)
_FOCUS_MARK = {"focus": True, "borderWidth": 5, "borderWidthSelected": 6}


def vis_options(n_nodes: int, n_edges: int) -> dict:
    """vis-network options: no physics (nodes keep the positions they came with); bigger graphs
    hide edges while moving."""
    big = n_nodes > 500 or n_edges > 3000
    return {
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "color": "#1A1A1A",
                "strokeWidth": 4,
                "strokeColor": "#FFFFFF",
            },
            # sizes follow paper counts; labels are sized and placed by the page script for the
            # current zoom (readable, not overlapping), so vis-network's label scaling is off
            "scaling": {"min": NODE_SIZE[0], "max": NODE_SIZE[1], "label": {"enabled": False, "drawThreshold": 0}},
        },
        "edges": {
            "smooth": False,
            "scaling": {"min": 1, "max": 8},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": False},  # every node comes with its position
    }


# -- legend ----------------------------------------------------------------------------------


def _legend_types(selection: Selection) -> list[dict]:
    graph = selection.graph
    counts: dict[str, int] = {}
    for node in graph:
        counts[type_of(graph, node)] = counts.get(type_of(graph, node), 0) + 1
    order = [t for t in TYPE_STYLES if t in counts] + sorted(t for t in counts if t not in TYPE_STYLES)
    return [
        {
            "type": t,
            "label": t or "(untyped)",
            "count": counts[t],
            "color": node_style(t).color,
            "shape": node_style(t).shape,
        }
        for t in order
    ]


def _legend_relations(edges: list[dict]) -> list[dict]:
    present = {e["relation"] for e in edges}
    known = [r for r in RELATION_STYLES if r in present]
    rows = [{"label": r, "style": RELATION_STYLES[r]} for r in known]
    if present - set(known):
        rows.append({"label": "paper role", "style": PAPER_ROLE_STYLE})
    return rows


def _months(graph) -> dict:
    return {n: m for n in graph if (m := median_month_of(graph, n))}


def _first_months(graph) -> list[str]:
    """The months in which the page's nodes first appear, in order: the slider's stops (none
    when fewer than two, as there is nothing to slide through), ending at the graph's last month
    (graph attribute `last_month`, the newest paper's) when that is later: the hubs of a corpus
    all appear in its first months, and the slider's last stop says how recent the graph is."""
    months = sorted({m for n in graph if (m := first_month_of(graph, n))})
    last = last_month_of(graph)
    if len(months) < 2:
        return []
    return [*months, last] if last is not None and last > months[-1] else months


def _legend_time(graph) -> dict | None:
    """The colour scale from the earliest median month on the page to the latest, and how many
    nodes have no dated paper (drawn grey)."""
    months = _months(graph)
    if not months:
        return None
    return {
        "first": min(months.values()),
        "last": max(months.values()),
        "colors": list(TIME_COLORS),
        "undated": graph.number_of_nodes() - len(months),
        "undated_color": UNDATED_COLOR,
    }


def _legend_communities(groups: list[Community]) -> list[dict]:
    rows = [
        {"name": c.name, "size": len(c.members), "color": COMMUNITY_COLORS[c.index]}
        for c in groups[: len(COMMUNITY_COLORS)]
    ]
    rest = groups[len(COMMUNITY_COLORS) :]
    if rest:
        rows.append(
            {
                "name": f"{len(rest)} smaller communities",
                "size": sum(len(c.members) for c in rest),
                "color": OTHER_COMMUNITY_COLOR,
            }
        )
    return rows


# -- helpers ---------------------------------------------------------------------------------


def _position(xy: tuple[float, float] | None) -> dict:
    return {} if xy is None else {"x": xy[0], "y": xy[1]}


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def _darker(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(int(c * 0.7) for c in (r, g, b)))


def _content_security_policy(assets) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(assets.script_hashes()),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (files(__package__) / "templates" / name).read_text("utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env.get_template("page.html")
