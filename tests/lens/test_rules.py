"""Every category: copy it must flag (by rule) and near misses it must leave alone."""

from __future__ import annotations

import pytest

from purposeful.lens import CATEGORY_IDS
from purposeful.lens._rules import PackError, Rule, RuleSet, _load_pack, _trie_regex

# (category, text, the text the finding must point at)
POSITIVES = [
    (
        "manipulation.fear",
        "Protect your home before it's too late.",
        "before it's too late",
    ),
    (
        "manipulation.fear",
        "You could lose everything in one night.",
        "You could lose everything",
    ),
    (
        "manipulation.fear",
        "Don't let a cheap lock ruin your holiday.",
        "Don't let a cheap lock ruin",
    ),
    ("manipulation.vanity", "You deserve it.", "You deserve it"),
    ("manipulation.vanity", "A coat that will turn heads.", "turn heads"),
    (
        "manipulation.vanity",
        "Feel good about yourself again.",
        "Feel good about yourself",
    ),
    ("manipulation.approval", "Don't be left out this summer.", "Don't be left out"),
    (
        "manipulation.approval",
        "Everyone is talking about it.",
        "Everyone is talking about",
    ),
    (
        "manipulation.success",
        "Buy the course and you will be successful.",
        "you will be successful",
    ),
    ("manipulation.success", "The secret to success, in one box.", "secret to success"),
    ("manipulation.artificial-need", "The must-have of the season.", "must-have"),
    (
        "manipulation.artificial-need",
        "A gadget you can't live without.",
        "can't live without",
    ),
    (
        "manipulation.artificial-need",
        "Your phone is obsolete. Time to upgrade.",
        "obsolete",
    ),
    ("manipulation.urgency", "Today only: 30% off.", "Today only"),
    ("manipulation.urgency", "Offer ends in 02:14:59", "Offer ends in"),
    ("manipulation.urgency", "Sale ends in 1d 04h 12m", "Sale ends in"),
    ("manipulation.urgency", "Deal closes in 04:12:59.", "04:12:59"),
    ("manipulation.urgency", "Only 2 hours left to order!", "Only 2 hours left"),
    ("manipulation.urgency", "Hurry!", "Hurry"),
    ("manipulation.scarcity", "Only 3 left in stock.", "Only 3 left"),
    ("manipulation.scarcity", "Selling fast!", "Selling fast"),
    ("manipulation.scarcity", "In high demand", "In high demand"),
    ("manipulation.scarcity", "85% claimed", "85% claimed"),
    ("manipulation.scarcity", "Almost sold out", "Almost sold out"),
    (
        "manipulation.social-proof",
        "12 people are viewing this right now.",
        "12 people are viewing",
    ),
    (
        "manipulation.social-proof",
        "Someone in Lyon just bought this.",
        "Someone in Lyon just bought",
    ),
    (
        "manipulation.social-proof",
        "Priya in Leeds, United Kingdom just purchased a kettle.",
        "Priya in Leeds, United Kingdom just purchased",
    ),
    (
        "manipulation.social-proof",
        "37 sold in the last 24 hours",
        "37 sold in the last 24 hours",
    ),
    ("manipulation.social-proof", "In 14 carts", "In 14 carts"),
    (
        "manipulation.confirmshaming",
        "No thanks, I prefer paying full price.",
        "No thanks, I prefer paying",
    ),
    (
        "manipulation.confirmshaming",
        "No thanks, I don't like saving money",
        "No thanks, I don't like saving",
    ),
    (
        "manipulation.confirmshaming",
        "I'd rather pay full price",
        "I'd rather pay full price",
    ),
    (
        "competition.superiority",
        "Better than any other brand.",
        "Better than any other",
    ),
    ("competition.superiority", "Unlike other brands, we care.", "Unlike other brands"),
    ("competition.superiority", "The #1 brand for bakers.", "#1 brand"),
    ("competition.superiority", "Rated #1 by cyclists", "Rated #1"),
    ("competition.superiority", "Much cheaper than Amazon.", "cheaper than Amazon"),
    ("claims.greenwash", "An eco-friendly bottle.", "eco-friendly"),
    ("claims.greenwash", "Our delivery is carbon neutral.", "carbon neutral"),
    ("claims.greenwash", "100% green energy.", "100% green"),
    (
        "claims.greenwash",
        "Environmentally friendly packaging.",
        "Environmentally friendly",
    ),
    ("claims.greenwash", "100% eco-friendly, always.", "eco-friendly"),
]

# Near misses: plain information, real deadlines, own-product comparisons, protective
# warnings and neutral declines. None of them may be flagged by any layer.
NEAR_MISSES = [
    ("manipulation.fear", "Keep out of reach of children."),
    ("manipulation.fear", "Unplug the charger before cleaning it."),
    (
        "manipulation.fear",
        "Wear a helmet: most serious cycling injuries are head injuries.",
    ),
    ("manipulation.vanity", "Treat the wood with linseed oil once a year."),
    ("manipulation.vanity", "Made to last, so you can wear it for years."),
    ("manipulation.approval", "The bag fits in a bicycle pannier."),
    ("manipulation.approval", "Join us at the repair café on Saturday."),
    ("manipulation.success", "The course teaches bookkeeping for small shops."),
    ("manipulation.success", "Most students finish the course in three months."),
    ("manipulation.artificial-need", "If your old phone still works, keep it."),
    ("manipulation.artificial-need", "Spare parts are available for ten years."),
    ("manipulation.urgency", "Orders close on 3 March so we can bake to order."),
    ("manipulation.urgency", "The shop is open from 09:00 to 18:00."),
    ("manipulation.urgency", "The offer is valid until 31 March."),
    ("manipulation.scarcity", "We have 40 in stock and restock every Monday."),
    ("manipulation.scarcity", "5 in stock."),
    ("manipulation.scarcity", "The workshop has twelve places."),
    ("manipulation.social-proof", "Rated 4.6 out of 5 by 212 customers."),
    (
        "manipulation.social-proof",
        "Over 2,000 people have repaired their kettle with our guides.",
    ),
    ("manipulation.social-proof", "Anna in Lyon makes our ceramics."),
    ("manipulation.confirmshaming", "No thanks."),
    ("manipulation.confirmshaming", "No, thank you. Maybe later."),
    ("competition.superiority", "Our 2026 kettle is better than our 2019 model."),
    ("competition.superiority", "The new lid is better than the old one."),
    ("competition.superiority", "Issue #12 of our newsletter is out."),
    (
        "competition.superiority",
        "If you need a bigger tent, our friends at Fjellhus make good ones.",
    ),
    ("claims.greenwash", "Eco-friendly paper, FSC certified."),
    ("claims.greenwash", "Made from 100% recycled aluminium."),
    ("claims.greenwash", "Eco-friendly because it is 80% recycled plastic by weight."),
    (
        "claims.greenwash",
        "Our footprint is 7.2 kg CO2e per pair, independently verified.",
    ),
]


@pytest.mark.parametrize(("category", "text", "span"), POSITIVES)
def test_rules_flag_each_category(rules_only, category, text, span):
    findings = rules_only.review(text).findings
    matching = [f for f in findings if f.id == category]
    assert matching, f"{category} not found in {text!r}: {findings}"
    assert matching[0].text == span
    assert text[matching[0].start : matching[0].end] == span
    assert matching[0].source == "rule"


@pytest.mark.parametrize(("category", "text"), NEAR_MISSES)
def test_near_misses_are_not_flagged(full_lens, category, text):
    assert full_lens.review(text).findings == []


def test_every_category_has_positive_and_near_miss_examples():
    assert {c for c, _, _ in POSITIVES} == set(CATEGORY_IDS)
    assert {c for c, _ in NEAR_MISSES} == set(CATEGORY_IDS)


def test_every_category_explains_itself_with_a_suggestion(rules_only):
    for cid in CATEGORY_IDS:
        category = rules_only.categories[cid]
        assert len(category.message) > 60
        assert category.suggestion


@pytest.mark.parametrize(
    ("category", "basis"),
    [
        ("manipulation.urgency", "Annex I, point 7"),
        ("manipulation.scarcity", "Annex I, point 7"),
        ("manipulation.urgency", "Bringing Dark Patterns to Light"),
        ("manipulation.confirmshaming", "Bringing Dark Patterns to Light"),
        ("claims.greenwash", "2024/825"),
        ("claims.greenwash", "Green Guides"),
        ("claims.greenwash", "27 September 2026"),
    ],
)
def test_messages_cite_their_basis(rules_only, category, basis):
    assert basis in rules_only.categories[category].message


def test_climate_neutral_claims_cite_the_offsetting_ban(rules_only):
    finding = rules_only.review("Carbon neutral shipping.").findings[0]
    assert "offsetting" in finding.message
    assert "2024/825" in finding.message


def test_phrases_match_across_line_breaks_and_typographic_apostrophes(rules_only):
    text = "Get it before it’s\ntoo late."
    finding = rules_only.review(text).findings[0]
    assert finding.id == "manipulation.fear"
    assert finding.text == "before it’s\ntoo late"


def test_phrases_do_not_match_inside_words(rules_only):
    assert rules_only.review("Bahurry is a village.").findings == []


def test_trie_regex_prefers_the_longest_phrase():
    import re

    pattern = re.compile(_trie_regex(["hurry", "hurry up"]) + r"(?!\w)")
    assert pattern.match("hurry up").group() == "hurry up"
    assert pattern.match("hurry").group() == "hurry"


def test_one_scanner_reports_the_rule_that_matched():
    rules = [
        Rule(name="a/x", category="manipulation.fear", phrases=("alpha",)),
        Rule(name="b/y", category="manipulation.vanity", patterns=(r"b(et)a",)),
    ]
    ruleset = RuleSet({}, rules).compile()
    found = [(m.rule.name, m.start, m.end) for m in ruleset.scan("alpha beta")]
    assert found == [("a/x", 0, 5), ("b/y", 6, 10)]


def test_malformed_pack_names_the_file_and_problem():
    with pytest.raises(PackError, match=r"broken\.toml: unknown category id"):
        _load_pack("broken.toml", {"id": "manipulation.nope"})
    with pytest.raises(PackError, match=r"broken\.toml: rule 'x': invalid regular"):
        _load_pack(
            "broken.toml",
            {
                "id": "manipulation.fear",
                "rule": [{"name": "x", "patterns": ["(unclosed"]}],
            },
        )
