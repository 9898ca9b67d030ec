import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Words of labels in cards that the browser split across two lines ("Usernam e").
SPLIT_WORDS = """() => {
  const split = [];
  document.querySelectorAll(".card dt, .card label, .figure-label").forEach((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
        );
        if (lines.size > 1) split.push(match[0]);
      }
    }
  });
  return split;
}"""


@pytest.mark.parametrize("width", [360, 1000, 1280])
def test_english_labels_on_the_home_page_never_break_inside_a_word(
    live_server, browser, user_of, width
):
    user_of(Role.LEADER, username="wang", full_name="王建国")
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        login(page, live_server, "wang", PASSWORD)
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")  # submits on change
        assert "Username" in page.content()
        assert page.evaluate(SPLIT_WORDS) == []
        screenshot(page, f"home-english-{width}")
    finally:
        context.close()
