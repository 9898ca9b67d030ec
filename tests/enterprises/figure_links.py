"""Figures on a page and the lists they link to: each `data-figure-link` anchor holds one
`data-figure` number, which must equal the number of rows of the list it opens."""

import html
import re

FIGURE_LINK = re.compile(
    r'<a [^>]*data-figure-link[^>]*href="([^"]+)"[^>]*>.*?<[^>]*data-figure>\s*([\d,]+)\s*<',
    re.S,
)


def figure_links(content: str) -> list[tuple[str, int]]:
    """(url, figure) of every figure link on a page."""
    return [
        (html.unescape(url), int(figure.replace(",", "")))
        for url, figure in FIGURE_LINK.findall(content)
    ]


def listed(client, url: str) -> int:
    """How many rows the list at `url` holds (all pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def assert_figures_equal_their_lists(client, content: str, at_least: int) -> None:
    links = figure_links(content)
    assert len(links) >= at_least, links
    mismatches = [(url, figure, listed(client, url)) for url, figure in links]
    assert [m for m in mismatches if m[1] != m[2]] == []
