"""The highlighted sentence is the one that answers the question."""

from medquote.answer.highlight import highlight_span

PASSAGE = (
    "The half-life hour of medication decides how long the effectiveness stays does in the system. "
    "For Klonopin, the half-life period is 35 hours. Tolerance happens because the body is used to it."
)


def _highlight(question: str, terms: list[str]) -> str:
    start, end = highlight_span(PASSAGE, question, terms)
    return PASSAGE[start:end]


def test_how_long_prefers_the_sentence_with_a_duration():
    assert _highlight("How long is the half-life?", ["how", "long", "half", "life"]) == (
        "For Klonopin, the half-life period is 35 hours."
    )


def test_why_prefers_the_sentence_with_a_cause():
    assert _highlight("Why does tolerance happen?", ["toler", "happen"]).startswith("Tolerance happens because")


def test_rare_terms_outweigh_common_ones():
    def idf(term: str) -> float:
        return {"medic": 3.0, "klonopin": 0.1}.get(term, 1.0)

    start, end = highlight_span(PASSAGE, "klonopin medication", ["klonopin", "medic"], idf)
    assert PASSAGE[start:end].startswith("The half-life hour of medication")
