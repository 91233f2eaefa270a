"""Graphics items of the inheritance tree: one light item per node, one per edge."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from fromscratch.core.graph.badges import Badge
from fromscratch.core.graph.look import look_of
from fromscratch.core.graph.records import STAND_INS, NodeAttrs, NodeKind, stand_in
from fromscratch.core.text import format_size
from fromscratch.gui import palette, plain

NODE_W, NODE_H = 236.0, 52.0
TITLE_PX, SUBTITLE_PX = 14, 12
"""Text sizes at 100 % (10.5 and 9 pt at 96 dpi)."""
MIN_TITLE_PX, MIN_SUBTITLE_PX = 10, 8
"""Zoomed out, text grows in the scene so that it stays this large on screen."""
DETAIL_LOD = 0.45
"""From this scale up a card shows its title and its size line (both fit at their minimums)."""
COMPACT_LOD = 0.22
"""From here to DETAIL_LOD the title alone; below it no text: shapes only (10,000 cards).
At 0.22 a card is 52 px wide and 11 px tall on screen: a 10 px title still fits (the sample's
21 images fitted on a 1024x768 screen are at ~0.26)."""
NARROW_CHARS = 16
"""A title box narrower than this many average characters elides the end, keeping the
repository's name ("buildpack…"); wider ones elide the middle, keeping the tag's end."""


class NodeItem(QGraphicsItem):
    """A card with the main tag, the number of other tags and the size.

    Images are rounded cards, base images (on scratch) have a thick bar, inferred bases are
    dashed and hollow, scratch is an empty dashed box: shape and line, not colour alone."""

    RECT = QRectF(-NODE_W / 2, -NODE_H / 2, NODE_W, NODE_H)
    min_px = 0
    """Presenting: no text under this many pixels on screen (the 1/30 rule); 0: none."""

    def __init__(self, node_id: str, attrs: NodeAttrs, *, is_base: bool) -> None:
        super().__init__()
        self.node_id = node_id
        self.attrs = attrs
        self.hidden_count = 0
        self.folded_count = 0
        self.badge: Badge | None = None
        self.figure = ""
        """Size mode (gui.tree.sizes): the figure the card prints instead of its size line."""
        self.share = 0.0
        """... and its share of the largest figure shown, drawn as a bar along the card."""
        self.painted: list[float] = []
        """Pixel sizes (scene units) of the texts last painted: tests measure them."""
        self.kind = attrs["kind"]
        tags = attrs["tags"]
        self.title = "scratch" if self.kind == NodeKind.SCRATCH else str(attrs["label"])
        more = f"  +{len(tags) - 1} tags" if len(tags) > 1 else ""
        size = attrs["size"]
        # The size line, longest first: presenting, the longest that fits is drawn whole
        # (never cut: "empty: no files, n…" lost the point of scratch).
        if self.kind == NodeKind.SCRATCH:
            self.subtitles: tuple[str, ...] = (
                "empty: no files, no kernel",
                "empty: no kernel",
                "no kernel",
            )
        elif self.kind == NodeKind.VIRTUAL:
            what = stand_in(attrs)
            self.subtitles = (f"{what} ({STAND_INS[what]})", what)
        elif self.kind == NodeKind.MORE:
            self.subtitles = ("images beside this chain", "beside this chain")
        else:
            self.subtitles = (format_size(size) + more, format_size(size))
        self.subtitle = self.subtitles[0]
        self.cut = False
        self.lines: list[str] = []
        """The title's lines as last drawn (tests read them)."""
        """Presenting, whether the last paint had to cut a text short (the tests check it
        never does)."""
        self.is_base = is_base
        self.restyle()
        self.base_opacity = look_of(self.kind, dangling=bool(attrs["dangling"])).opacity
        self.setOpacity(self.base_opacity)
        self.setToolTip(self._tooltip(attrs))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(
            1
        )  # above edges (0), below the veil of a highlight (fromscratch.gui.tree.view)

    def restyle(self) -> None:
        """Take the current theme's colours (gui.palette): a theme change repaints, it does not
        rebuild 10,000 cards."""
        look = look_of(self.kind, base=self.is_base)
        colour = palette.role_colour(look.role)
        self._pen = QPen(colour, look.width * palette.STROKE, palette.PEN_STYLES[look.line])
        self._pen.setCosmetic(True)
        self._brush = QBrush(palette.BACKGROUND if look.hollow else palette.CARD)
        self._bar = QBrush(colour)
        self._bar_shown = look.bar
        self.update()

    def stale(self, attrs: NodeAttrs) -> bool:
        """True when `attrs` would draw differently (a tag moved, a size changed ...)."""
        old = self.attrs
        return (old["kind"], old["label"], old["tags"], old["size"], old["dangling"]) != (
            attrs["kind"],
            attrs["label"],
            attrs["tags"],
            attrs["size"],
            attrs["dangling"],
        )

    def set_badge(self, badge: Badge | None) -> None:
        """The image's containers: a count in the top right corner, coloured by state."""
        if badge != self.badge:
            self.prepareGeometryChange()
            self.badge = badge
            tip = self._tooltip(self.attrs)
            if badge is not None:
                tip = plain.tooltip(f"{plain_text(self.attrs)}\n{badge.describe()}")
            self.setToolTip(tip)
            self.update()

    def set_figure(self, text: str, share: float) -> None:
        if (text, share) != (self.figure, self.share):
            self.figure, self.share = text, share
            self.update()

    def set_hidden_count(self, count: int, folded: int = 0) -> None:
        """A collapsed node shows how many images it hides; with base chains collapsed, how
        many were folded below it."""
        if (count, folded) != (self.hidden_count, self.folded_count):
            self.hidden_count, self.folded_count = count, folded
            self.update()

    @staticmethod
    def _tooltip(attrs: NodeAttrs) -> str:
        """Qt renders a tooltip that looks like HTML as HTML (an `<img src=...>` in a tag would
        load a file): the data is escaped and the tooltip is always rich text of our making."""
        return plain.tooltip(plain_text(attrs))

    def boundingRect(self) -> QRectF:
        if self.badge is not None:  # the badge stands out of the top right corner
            return self.RECT.adjusted(-3, -14, 14, 3)
        return self.RECT.adjusted(-3, -3, 3, 3)

    def _paint_badge(self, painter: QPainter, lod: float) -> None:
        """A pill with the count over the card's top right corner."""
        assert self.badge is not None
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(math.ceil(max(11, max(MIN_SUBTITLE_PX, NodeItem.min_px) / lod)))
        painter.setFont(font)
        self.painted.append(font.pixelSize())  # presenting, the 1/30 rule holds for it too
        text = str(self.badge.total)
        width = painter.fontMetrics().horizontalAdvance(text) + font.pixelSize()
        height = font.pixelSize() * 1.5
        pill = QRectF(self.RECT.right() - width + 10, self.RECT.top() - height / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(BADGE_COLOURS[self.badge.state])))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setPen(self._pen)
        painter.setBrush(self._brush)
        if self.isSelected():
            painter.setPen(QPen(palette.TEXT, 3 * palette.STROKE))
        painter.drawRoundedRect(self.RECT, 8, 8)
        if self._bar_shown:
            painter.fillRect(
                QRectF(self.RECT.left() + 1, self.RECT.top() + 8, 6, self.RECT.height() - 16),
                self._bar,
            )
        if self.share > 0:  # size mode: the figure's share of the largest, along the bottom
            width = (NODE_W - 20) * min(self.share, 1.0)
            painter.fillRect(
                QRectF(self.RECT.left() + 12, self.RECT.bottom() - 6, width, 4), self._bar
            )
        self.painted = []
        if self.badge is not None and lod >= COMPACT_LOD:
            self._paint_badge(painter, lod)
        if lod < COMPACT_LOD:
            return
        painter.setPen(palette.TEXT)
        font = QFont(painter.font())
        font.setBold(True)
        if NodeItem.min_px:
            self._paint_presented(painter, font, lod)
            return
        # Pixel sizes in scene units: the text scales with its card on every screen and DPI,
        # and never gets smaller on screen than the MIN_ sizes while it is drawn at all.
        title_px = math.ceil(max(TITLE_PX, max(MIN_TITLE_PX, NodeItem.min_px) / lod))
        if title_px > NODE_H - 4:
            return  # presenting, too far out: no text rather than small text
        font.setPixelSize(title_px)
        painter.setFont(font)
        # Presenting, the size line shows only when it fits at the floor size too. A name too
        # long for its line takes the card's two lines rather than lose its middle
        # ("node:c…okworm"): the size is in the tooltip, the dock and the Images tab.
        alone = lod < DETAIL_LOD or bool(NodeItem.min_px and 2 * title_px > NODE_H - 6)
        if not alone and not self.hidden_count:
            whole = self.RECT.adjusted(14, 2, -8, -2)
            metrics = painter.fontMetrics()
            name = self.title.removesuffix(":latest")
            if metrics.horizontalAdvance(name) > whole.width():
                alone = _two_lines(_wrapped(name, metrics, int(whole.width())), metrics, whole)
        if alone:  # zoomed out (a small window, a projector): the title alone
            title_rect = self.RECT.adjusted(14, 2, -8, -2)
        else:
            title_rect = self.RECT.adjusted(14, 4, -8, -NODE_H * 0.45)
        metrics = painter.fontMetrics()
        if alone and self.hidden_count:  # a collapsed card says what it holds, even small
            count = f"▸{self.hidden_count}"
            painter.drawText(
                title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count
            )
            title_rect = title_rect.adjusted(0, 0, -metrics.horizontalAdvance(count + " "), 0)
        narrow = title_rect.width() < NARROW_CHARS * metrics.averageCharWidth()
        elide = Qt.TextElideMode.ElideRight if narrow else Qt.TextElideMode.ElideMiddle
        text = self.title
        if text.endswith(":latest") and metrics.horizontalAdvance(text) > title_rect.width():
            text = text.removesuffix(":latest")  # the name says more than the default tag
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        width = int(title_rect.width())
        lines = [text]
        if alone and metrics.horizontalAdvance(text) > width:
            # The title alone has the card's height: two whole lines read better than one
            # cut ("node:cur…bookworm").
            lines = _wrapped(text, metrics, width)
            if not _two_lines(lines, metrics, title_rect):
                lines = [text]
        if len(lines) != 2:
            lines = [metrics.elidedText(text, elide, width)]
        self.lines = lines
        if len(lines) == 2:
            half = title_rect.height() / 2
            for row, part in enumerate(lines):
                box = QRectF(title_rect.left(), title_rect.top() + row * half, width, half)
                painter.drawText(box, left, part)
        else:
            painter.drawText(title_rect, left, lines[0])
        self.painted.append(title_px)
        if alone:
            return
        font.setBold(False)
        font.setPixelSize(math.ceil(max(SUBTITLE_PX, max(MIN_SUBTITLE_PX, NodeItem.min_px) / lod)))
        self.painted.append(font.pixelSize())
        painter.setFont(font)
        sub_rect = self.RECT.adjusted(14, NODE_H * 0.55, -8, -4)
        sub_metrics = painter.fontMetrics()
        room = int(sub_rect.width())
        choices = (self.figure,) if self.figure else self.subtitles  # a shorter form, then cut
        sub = next((t for t in choices if sub_metrics.horizontalAdvance(t) <= room), choices[-1])
        elided = sub_metrics.elidedText(sub, Qt.TextElideMode.ElideRight, room)
        painter.drawText(sub_rect, left, elided)
        marks = []
        if self.hidden_count and self.kind != NodeKind.MORE:  # its title says it
            marks.append(f"▸ {self.hidden_count} hidden")
        if self.folded_count:
            marks.append(f"▾ {self.folded_count} below")
        if marks:
            painter.drawText(
                sub_rect.adjusted(0, 0, -2, 0),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                "  ".join(marks),
            )

    def _paint_presented(self, painter: QPainter, font: QFont, lod: float) -> None:
        """Presenting: every text at least `min_px` on screen and drawn whole. A title too
        long for one line takes two; a size line goes for its shorter form, then goes; what
        still cannot fit is cut as a last resort, and said in `cut`."""
        self.cut = False
        px = math.ceil(max(TITLE_PX, NodeItem.min_px / lod))
        font.setPixelSize(px)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        line = metrics.height()
        room = NODE_H - 4
        if line > room:
            return  # too far out for one line: shapes only
        width = int(self.RECT.width() - 22)
        marks = f"▸{self.hidden_count}  " if self.hidden_count and self.kind != "more" else ""
        title = self.title
        if metrics.horizontalAdvance(marks + title) > width and title.endswith(":latest"):
            title = title.removesuffix(":latest")
        lines = [marks + title]
        if metrics.horizontalAdvance(lines[0]) > width:
            lines = _wrapped(lines[0], metrics, width) if 2 * line <= room else lines
        if len(lines) > 2 or any(metrics.horizontalAdvance(t) > width for t in lines):
            self.cut = True  # the whole title shortened, with its "…" (a step keeps its start)
            elide = (
                Qt.TextElideMode.ElideRight
                if self.kind == NodeKind.VIRTUAL
                else Qt.TextElideMode.ElideMiddle
            )
            lines = [metrics.elidedText(marks + title, elide, width)]
        self.lines = lines
        top = self.RECT.top() + 2
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for text in lines:
            painter.drawText(QRectF(self.RECT.left() + 14, top, width, line), left, text)
            top += line
        self.painted.append(px)
        font.setBold(False)
        font.setPixelSize(math.ceil(max(SUBTITLE_PX, NodeItem.min_px / lod)))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        if len(lines) > 1 or top + metrics.height() > self.RECT.top() + room + 2:
            return  # no room for a second line
        choices = (self.figure,) if self.figure else self.subtitles
        sub = next((t for t in choices if metrics.horizontalAdvance(t) <= width), "")
        if sub:
            painter.drawText(QRectF(self.RECT.left() + 14, top, width, metrics.height()), left, sub)
            self.painted.append(font.pixelSize())


def _two_lines(lines: list[str], metrics: QFontMetrics, box: QRectF) -> bool:
    """Whether `lines` are two whose ink each fits half of `box` (the font's line height
    holds room for accents that tags do not have)."""
    half = box.height() / 2
    return len(lines) == 2 and all(metrics.tightBoundingRect(t).height() <= half for t in lines)


def _wrapped(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """`text` in lines of at most `width`, broken after a `:`, `-`, `/`, `.` or space where
    one is, else anywhere (a tag has no spaces: `buildpack-deps:bookworm-scm`)."""
    lines: list[str] = []
    rest = text
    while rest:
        if metrics.horizontalAdvance(rest) <= width:
            lines.append(rest)
            break
        fits = next(
            (n for n in range(len(rest), 0, -1) if metrics.horizontalAdvance(rest[:n]) <= width),
            1,
        )
        breaks = sorted({i + 1 for i, c in enumerate(rest[:fits]) if c in ":-/. "}, reverse=True)
        # The latest break that leaves a last line, else the latest past half the line
        # (`ruby:` + `4-bookworm`, not `ruby:4-bookwor` + `m`), else anywhere.
        cut = next(
            (b for b in breaks if metrics.horizontalAdvance(rest[b:].lstrip()) <= width),
            next((b for b in breaks if b > fits // 2), fits),
        )
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines


def plain_text(attrs: NodeAttrs) -> str:
    """A card's tooltip as text: its tags, layers and size."""
    tags = ", ".join(attrs["tags"]) or attrs["label"]
    return f"{tags}\n{attrs['layer_count']} layers, {format_size(attrs['size'])}"


BADGE_COLOURS = {"running": "#009E73", "paused": "#E69F00", "stopped": "#8a8a8a"}
"""Okabe-Ito green and orange, and grey: the badge's colour says the liveliest state."""


def edge_path(x1: float, y1: float, x2: float, y2: float) -> QPainterPath:
    """A soft S-curve from a child's bottom to its parent's top."""
    path = QPainterPath()
    path.moveTo(x1, y1)
    mid = (y1 + y2) / 2
    path.cubicTo(x1, mid, x2, mid, x2, y2)
    return path
