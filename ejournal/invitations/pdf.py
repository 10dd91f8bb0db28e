"""Printable invitations: cards laid out like the one on the help page, eight to an A4 sheet.

Each card: the school's name, whom it is for in a red box in the top right corner
("Родителям (6А)"), the greeting, the registration address, the code, a QR code of the
address with the code, and the expiry date. The fonts are embedded subsets of DejaVu,
so Cyrillic prints everywhere and the text stays selectable (the code can be copied).
"""

from __future__ import annotations

import functools
import io
import itertools
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ejournal.schools.models import School

from .cards import Card, cards_for
from .services import IssuedInvitation

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SANS = "EjDejaVuSans"
SANS_BOLD = "EjDejaVuSans-Bold"
MONO_BOLD = "EjDejaVuSansMono-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
COLUMNS, ROWS = 2, 4
CARDS_PER_PAGE = COLUMNS * ROWS
CARD_WIDTH = PAGE_WIDTH / COLUMNS  # 105 mm
CARD_HEIGHT = PAGE_HEIGHT / ROWS  # 74.25 mm
# Wider than the few millimetres office printers can't print, so nothing is cut off.
PADDING = 7 * mm
QR_SIZE = 27 * mm

RED = HexColor("#c8102e")  # the accent of the site and of the seed's picture
INK = HexColor("#1d2430")
MUTED = HexColor("#5b6472")
CUT = HexColor("#9aa1ab")

GREETING = "Приветствуем вас!"
INSTRUCTION = "Для начала работы в системе необходимо зарегистрироваться."


@functools.cache
def _register_fonts() -> None:
    for name, filename in (
        (SANS, "DejaVuSans.ttf"),
        (SANS_BOLD, "DejaVuSans-Bold.ttf"),
        (MONO_BOLD, "DejaVuSansMono-Bold.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def _fit_size(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    """The largest size up to `size` at which `text` fits in `width` (not below `smallest`)."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _truncate(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _text(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, color: Color = INK
) -> None:
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def _draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path, drawn straight onto the page.

    (Through reportlab's QrCodeWidget the drawing would add an unused, unembedded Helvetica.)
    """
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    border = 2  # modules of quiet zone; the white card around it does the rest
    box = size / (qr.getModuleCount() + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(qr.modules):
        column = 0
        for dark, run in itertools.groupby(bool(module) for module in row):
            length = len(list(run))
            if dark:
                path.rect(
                    x + (column + border) * box,
                    y + size - (r + border + 1) * box,
                    length * box,
                    box,
                )
            column += length
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_card(canvas: Canvas, card: Card, x0: float, y0: float) -> None:
    left, right = x0 + PADDING, x0 + CARD_WIDTH - PADDING
    top, bottom = y0 + CARD_HEIGHT - PADDING, y0 + PADDING
    width = right - left

    # Top right: whom the card is for, in a red box, as on the help page.
    label_size = 9.5
    label_width = pdfmetrics.stringWidth(card.addressee, SANS_BOLD, label_size) + 10
    label_height = 17
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.2)
    canvas.rect(
        right - label_width, top - label_height, label_width, label_height, stroke=1, fill=0
    )
    _text(
        canvas,
        right - label_width + 5,
        top - label_height + 5.5,
        card.addressee,
        SANS_BOLD,
        label_size,
        RED,
    )

    # Top left: the school's name, on up to two lines beside the box.
    name_width = width - label_width - 8
    name_size = 10.0
    lines = simpleSplit(card.school_name, SANS_BOLD, name_size, name_width)
    if len(lines) > 2:
        name_size = 8.5
        lines = simpleSplit(card.school_name, SANS_BOLD, name_size, name_width)
        lines = [*lines[:1], _truncate(" ".join(lines[1:]), SANS_BOLD, name_size, name_width)]
    y = top - name_size
    for line in lines:
        _text(canvas, left, y, line, SANS_BOLD, name_size)
        y -= name_size + 2.5
    y = min(y + name_size + 2.5, top - label_height) - 12

    if card.person_line:
        _text(canvas, left, y, _truncate(card.person_line, SANS, 7.5, width), SANS, 7.5, MUTED)
    y -= 19
    _text(canvas, left, y, GREETING, SANS_BOLD, 13)
    y -= 13
    for line in simpleSplit(INSTRUCTION, SANS, 8.5, width):
        _text(canvas, left, y, line, SANS, 8.5)
        y -= 11

    # Bottom: the address and the code on the left, the QR code of both on the right.
    column = width - QR_SIZE - 8
    y -= 7
    _text(canvas, left, y, "Адрес для регистрации:", SANS, 7.5, MUTED)
    y -= 13
    size = _fit_size(card.address, SANS_BOLD, 10.5, column)
    _text(canvas, left, y, card.address, SANS_BOLD, size)
    y -= 16
    _text(canvas, left, y, "Пригласительный код:", SANS, 7.5, MUTED)
    y -= 19
    size = _fit_size(card.code, MONO_BOLD, 17, column)
    _text(canvas, left, y, card.code, MONO_BOLD, size)
    _text(canvas, left, bottom, f"Код действителен до {card.expires:%d.%m.%Y}", SANS, 7, MUTED)
    _draw_qr(canvas, card.qr_value, right - QR_SIZE, bottom - 2, QR_SIZE)


def _draw_cut_lines(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CUT)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(CARD_WIDTH, 0, CARD_WIDTH, PAGE_HEIGHT)
    for row in range(1, ROWS):
        canvas.line(0, row * CARD_HEIGHT, PAGE_WIDTH, row * CARD_HEIGHT)
    canvas.restoreState()
    for row in range(1, ROWS):
        _text(canvas, 3 * mm, row * CARD_HEIGHT - 3, "✂", SANS, 8, CUT)


def invitations_pdf(*, school: School, issued: list[IssuedInvitation]) -> bytes:
    """One card per issued code, in the given order, eight to an A4 page with cut lines."""
    _register_fonts()
    buffer = io.BytesIO()
    # Starting in the embedded font keeps Helvetica, which is not embedded, out of the file.
    # (types-reportlab wrongly types initialFontName as a number.)
    canvas = Canvas(
        buffer,
        pagesize=A4,
        initialFontName=SANS,  # type: ignore[arg-type]
        initialFontSize=10,
        lang="ru",
    )
    canvas.setTitle(f"Пригласительные коды — {school.name}")
    canvas.setAuthor(school.name)
    canvas.setCreator("ejournal")
    cards = cards_for(school=school, issued=issued)
    for start in range(0, max(len(cards), 1), CARDS_PER_PAGE):
        _draw_cut_lines(canvas)
        for index, card in enumerate(cards[start : start + CARDS_PER_PAGE]):
            row, column = divmod(index, COLUMNS)
            _draw_card(canvas, card, column * CARD_WIDTH, PAGE_HEIGHT - (row + 1) * CARD_HEIGHT)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
