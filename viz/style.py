"""How the page draws things: colour and shape per node type, line style per relation.

Colours are the Okabe-Ito palette (readable with the common colour-vision deficiencies); shapes
differ per type as well, so the type stays readable when nodes are coloured by community.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from paperkg.viz.communities import Community


@dataclass(frozen=True)
class NodeStyle:
    color: str
    shape: str  # a vis-network shape whose label sits outside the node


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    dashes: tuple[int, ...]  # vis-network dash pattern (dash, gap, ...); empty for a solid line
    arrow: bool  # drawn with an arrow head: the relation has a direction


TYPE_STYLES = {
    "Method": NodeStyle("#0072B2", "dot"),
    "Model": NodeStyle("#E69F00", "diamond"),
    "Dataset": NodeStyle("#009E73", "square"),
    "Task": NodeStyle("#CC79A7", "triangle"),
    "Metric": NodeStyle("#D55E00", "triangleDown"),
    "Concept": NodeStyle("#56B4E9", "hexagon"),
    "Paper": NodeStyle("#8C8C8C", "star"),
}
UNKNOWN_TYPE = NodeStyle("#BBBBBB", "dot")

# Co-occurrence is the bulk of the edges: a light solid line. Typed relations stand out darker,
# each with its own dash pattern; paper -> entity role edges are thin dotted lines.
RELATION_STYLES = {
    "coOccursWith": EdgeStyle("#B8C4CE", (), False),
    "usedFor": EdgeStyle("#3B4B59", (10, 5), True),
    "evaluatedOn": EdgeStyle("#3B4B59", (3, 4), True),
    "comparedWith": EdgeStyle("#3B4B59", (12, 4, 3, 4), False),
    "partOf": EdgeStyle("#3B4B59", (6, 3), True),
    "hyponymOf": EdgeStyle("#3B4B59", (14, 3, 3, 3, 3, 3), True),
    "evaluatedWith": EdgeStyle("#3B4B59", (3, 2), True),
    "featureOf": EdgeStyle("#3B4B59", (8, 3, 2, 3), True),
    "conjunctionWith": EdgeStyle("#3B4B59", (2, 6), False),
}
PAPER_ROLE_STYLE = EdgeStyle("#C9C9C9", (2, 3), True)

# Community colours: distinct hues first, then lighter ones; communities past the end share grey.
COMMUNITY_COLORS = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#17BECF",
    "#BCBD22",
    "#7F7F7F",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
    "#FF9896",
    "#C5B0D5",
    "#C49C94",
)
OTHER_COMMUNITY_COLOR = "#D0D0D0"


def node_style(node_type: str) -> NodeStyle:
    return TYPE_STYLES.get(node_type, UNKNOWN_TYPE)


def edge_style(relation: str) -> EdgeStyle:
    """The style of an entity relation; anything else is a paper's role towards an entity."""
    return RELATION_STYLES.get(relation, PAPER_ROLE_STYLE)


# Colours by time (VOSviewer's overlay view): viridis from the earliest median month (dark blue)
# to the latest (yellow); a node without dated papers is grey.
TIME_COLORS = ("#440154", "#46327E", "#365C8D", "#277F8E", "#1FA187", "#4AC16D", "#A0DA39", "#FDE725")
UNDATED_COLOR = OTHER_COMMUNITY_COLOR


def time_colors(months: dict) -> dict:
    """node -> colour, each node's month (YYYY-MM) placed between the earliest and the latest."""
    if not months:
        return {}
    order = sorted(set(months.values()))
    index = {m: _month_number(m) for m in order}
    first, span = index[order[0]], max(1, index[order[-1]] - index[order[0]])
    top = len(TIME_COLORS) - 1
    return {n: TIME_COLORS[round((index[m] - first) / span * top)] for n, m in months.items()}


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def community_colors(groups: Sequence[Community]) -> dict:
    return {
        n: COMMUNITY_COLORS[c.index] if c.index < len(COMMUNITY_COLORS) else OTHER_COMMUNITY_COLOR
        for c in groups
        for n in c.members
    }
