"""Figures on a page and the lists they link to: each `data-figure-link` anchor stands for one
number (its `data-figure-value`, or the first `data-figure` element from the anchor on), which
must equal the number of rows of the list it opens."""

import html
import re

LINK = re.compile(r"<a\s[^>]*data-figure-link[^>]*>", re.S)
HREF = re.compile(r'href="([^"]+)"')
VALUE = re.compile(r'data-figure-value="([\d,]+)"')
FIGURE = re.compile(r'<[^>]*data-figure(?:="[^"]*")?[^>]*>\s*([\d,]+)\s*<', re.S)


def figure_links(content: str) -> list[tuple[str, int]]:
    """(url, figure) of every figure link on a page, in page order."""
    links = []
    for tag in LINK.finditer(content):
        value = VALUE.search(tag.group(0)) or FIGURE.search(content, tag.start())
        url = HREF.search(tag.group(0)).group(1)
        links.append((html.unescape(url), int(value.group(1).replace(",", ""))))
    return links


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
