"""Folded sections show that they open; category names are never split mid-word."""

from __future__ import annotations

from playwright.sync_api import expect

MARKER = """el => {
    const before = getComputedStyle(el, '::before');
    return {content: before.content, width: before.borderLeftWidth};
}"""


def test_folded_sections_have_a_visible_disclosure_control(signed_in, demo_site):
    page = signed_in("lena")
    page.goto(f"{demo_site}/customers/")
    page.get_by_role("link", name="Riverside Bakery").click()
    for name in ("Log a conversation", "Hand over to another team"):
        summary = page.locator("summary", has_text=name)
        marker = summary.evaluate(MARKER)
        assert marker["content"] != "none", name
        assert marker["width"] != "0px", name
    summary = page.locator("summary", has_text="Log a conversation")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Summary")).to_be_visible()
    page.goto(f"{demo_site}/dashboard/")
    marker = page.locator("summary", has_text="The numbers").first.evaluate(MARKER)
    assert marker["content"] != "none"


def test_dashboard_names_lens_categories_and_keeps_words_whole(signed_in, demo_site):
    from purposeful.outreach.models import Message

    # the demo's published copy may be all honest: one text the lens flags for sure
    latest = Message.objects.filter(state="published").latest("published_at")
    Message.objects.filter(pk=latest.pk).update(
        body=f"{latest.body}\n\nOnly 3 left — order today only!"
    )
    page = signed_in("lena")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{demo_site}/dashboard/")
    titles = page.locator(".spark-title")
    expect(titles.first).to_be_visible()
    for text in titles.all_inner_texts():
        assert "." not in text, text  # a name such as "Scarcity", not an id
    style = titles.first.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.overflowWrap, s.wordBreak, s.hyphens]; }"
    )
    assert style[0] != "anywhere" and style[1] == "normal" and style[2] != "auto"
