"""The alignment map (matplotlib's Agg canvas, no pyplot): the path through the sentence grid, Chinese sentences down,
English sentences across. Each link is a box over the cells it covers, coloured by its confidence; a 1-0 or
0-1 link is a thin bar on its one side; a flagged link is outlined and marked with a cross. A link far from
the diagonal (the straight line from corner to corner) stands out at a glance. Written as PNG or SVG.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..io import atomic_write
from ..model import Alignment
from . import Format
from .reading import LOW_CONFIDENCE, title_of

COLOURMAP = "RdYlGn"  # red (0) → yellow → green (1)
FLAG_COLOUR = "#8e24aa"
BAR = 0.5  # the width of a 1-0 / 0-1 link's bar, in cells


def link_boxes(alignment: Alignment) -> list[tuple[float, float, float, float]]:
    """Each link's box in data coordinates (x = English sentence index, y = Chinese sentence index):
    (x0, y0, width, height). A link with an empty side sits where the path is, as a thin bar."""
    boxes = []
    x = y = 0.0
    for bead in alignment.beads:
        if bead.en:
            x = float(bead.en[0])
        if bead.zh:
            y = float(bead.zh[0])
        width = float(len(bead.en)) if bead.en else BAR
        height = float(len(bead.zh)) if bead.zh else BAR
        x0 = x if bead.en else x - BAR / 2
        y0 = y if bead.zh else y - BAR / 2
        boxes.append((x0, y0, width, height))
        x = x + len(bead.en)
        y = y + len(bead.zh)
    return boxes


def draw(alignment: Alignment, inches: float | None = None, dpi: int = 100) -> Any:
    """The map as a matplotlib Figure (Agg canvas), for tests and for `write`."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    doc = alignment.document
    n_en, n_zh = max(len(doc.en), 1), max(len(doc.zh), 1)
    side = inches or min(12.0, max(5.0, 0.12 * max(n_en, n_zh) + 3))
    figure = Figure(figsize=(side + 1.4, side), dpi=dpi)
    FigureCanvasAgg(figure)  # Agg, whatever backend pyplot would pick: no display needed
    axes = figure.add_axes((0.1, 0.06, 0.68, 0.78))
    axes.set_xlim(-BAR, n_en)  # room for a 0-1 or 1-0 bar at the edge
    axes.set_ylim(n_zh, -BAR)  # Chinese sentence 0 at the top, reading down
    axes.set_aspect("auto")
    axes.set_facecolor("white")
    axes.plot([0, n_en], [0, n_zh], color="#bbbbbb", linewidth=0.8, linestyle="--", zorder=1)
    colours = matplotlib.colormaps[COLOURMAP]
    norm = Normalize(0.0, 1.0)
    # one collection for all the boxes: a book's thousands of links draw in a second
    boxes = link_boxes(alignment)
    flagged = [bead.flags != [] for bead in alignment.beads]
    axes.add_collection(PatchCollection(
        [Rectangle((x0, y0), width, height) for x0, y0, width, height in boxes],
        facecolors=[colours(norm(bead.score)) for bead in alignment.beads],
        edgecolors=[FLAG_COLOUR if flag else "none" for flag in flagged],
        linewidths=[1.5 if flag else 0.0 for flag in flagged], zorder=2,
    ))
    crosses = [(x0 + width / 2, y0 + height / 2) for (x0, y0, width, height), flag in zip(boxes, flagged, strict=True)
               if flag]
    if crosses:
        axes.plot([x for x, _ in crosses], [y for _, y in crosses], linestyle="none", marker="x",
                  color=FLAG_COLOUR, markersize=5, zorder=3)
    axes.set_xlabel("English sentence")
    axes.set_ylabel("Chinese sentence")
    axes.xaxis.set_label_position("top")
    axes.xaxis.tick_top()
    title = title_of(doc.meta)
    flag_count = sum(flagged)
    low = sum(1 for bead in alignment.beads if bead.score < LOW_CONFIDENCE)
    figure.text(0.1, 0.965, f"{len(alignment.beads)} links, {low} below {LOW_CONFIDENCE:g}, "
                f"{flag_count} flagged (outlined, x)", fontsize=9)
    from matplotlib.cm import ScalarMappable

    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=colours), cax=figure.add_axes((0.84, 0.06, 0.03, 0.78)))
    bar.set_label("link confidence")
    figure.text(0.01, 0.01, _ascii(title), fontsize=7, color="#666666")
    return figure


def _ascii(text: str) -> str:
    """The caption in characters every font has (the map needs no CJK font): non-ASCII dropped."""
    kept = "".join(ch for ch in text if ch.isascii()).strip()
    return kept[:100]


class _MapFormat(Format):
    image_format = "png"

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        figure = draw(alignment)
        buffer = io.BytesIO()
        metadata = {"Software": "duizhao"} if self.image_format == "png" else {"Creator": "duizhao", "Date": None}
        figure.savefig(buffer, format=self.image_format, metadata=metadata)
        with atomic_write(path, "wb") as out:
            out.write(buffer.getvalue())
        return [Path(path)]


class PngFormat(_MapFormat):
    name = "png"
    extension = "png"
    image_format = "png"


class SvgFormat(_MapFormat):
    name = "svg"
    extension = "svg"
    image_format = "svg"
