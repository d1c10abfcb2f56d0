"""Question types: what kind of answer a question wants (symptoms, causes, treatment, …).

Consumer questions about one condition differ mostly in this; passages about the right condition but
the wrong aspect are the commonest near miss. A question's type comes from its wording (cues below);
how much a passage is *about* a type comes from the embedding model, as the passage's similarity to a
short prototype of that type relative to its mean similarity to all prototypes
(``medquote.retrieval.features``). Passages' own type signals are computed here, at build time
(``medquote.index.publish``), which is why this lives below both index and retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from medquote.records import Passage

# (type, cue in the question, prototype of a passage answering it). Checked in order: specific first.
_TYPES: tuple[tuple[str, str, str], ...] = (
    (
        "side_effects",
        r"\bside[- ]?effects?\b|\badverse (effects?|reactions?)\b",
        "Common side effects of this medicine include drowsiness, dizziness, nausea and headache.",
    ),
    (
        "genetic_changes",
        r"\bgenetic changes?\b|\bgene changes?\b|\bmutations?\b|\bwhich genes?\b"
        r"|\bgenes? (are )?(involved|related)\b",
        "Mutations in the gene cause this condition. The gene provides instructions for making a protein.",
    ),
    (
        "inheritance",
        r"\binherit(ed|ance)?\b|\bhereditary\W*$|\brun(s)? in (the )?famil(y|ies)\b|\bpass(ed)? (it )?(down|on) to\b",
        "This condition is inherited in an autosomal dominant pattern; one copy of the altered gene is enough.",
    ),
    (
        "frequency",
        r"\bhow (many|common)\b|\bprevalen(ce|t)\b|\bhow often does\b|\bhow rare\b",
        "This condition affects an estimated 1 in 10,000 people worldwide; it is rare.",
    ),
    (
        "susceptibility",
        r"\bat risk\b|\brisk factors?\b|\bwho (gets|is likely|can get)\b|\bmore likely to (get|develop)\b",
        "Risk factors include age, family history and smoking; some people are more likely to get it.",
    ),
    (
        "prevention",
        r"\bprevent(ion|ed|ing)?\b|\bavoid (getting|catching)\b|\breduce (my|the|your) risk\b",
        "You can lower your risk and help prevent this condition with vaccination and healthy habits.",
    ),
    (
        "exams",
        r"\bdiagnos(e|ed|is|ing|tic)\b|\btests?\b|\bexams?\b|\bdetect(ed)?\b|\bscreen(ing|ed)?\b",
        "Doctors diagnose this condition with a physical exam, blood tests and imaging tests.",
    ),
    (
        "stages",
        r"\bstages?\b|\bstaging\b",
        "The stages of this cancer describe its size and whether it has spread to lymph nodes or organs.",
    ),
    (
        "complications",
        r"\bcomplications?\b|\blong[- ]term (effects?|problems?)\b",
        "Complications of this condition can include organ damage, infections and other problems.",
    ),
    (
        "research",
        r"\bresearch\b|\bclinical trials?\b|\bstudies being done\b|\bnew treatments? being\b",
        "Researchers are studying new treatments in clinical trials supported by the institute.",
    ),
    (
        "outlook",
        r"\boutlook\b|\bprognosis\b|\blife expectancy\b|\bsurvival\b|\bchances? of recovery\b|\bget better\b",
        "The outlook and prognosis depend on the severity; many people recover and live a normal life span.",
    ),
    (
        "treatment",
        r"\btreat(s|ed|ing|ments?)?\b|\bcured?\b|\btherap(y|ies)\b|\bmanage(d|ment)?\b"
        r"|\bget rid of\b|\bwhat to do for\b",
        "Treatment options include medicines, therapy and surgery to manage the condition.",
    ),
    (
        "causes",
        r"\bwhat causes\b|\bcauses? of\b|\bwhat (is|are) the causes?\b|\bwhy do(es)? (i|you|people|someone)\b"
        r"|\bwhat triggers\b|\breason for\b",
        "This condition is caused by an infection, damage or other factors that lead to the problem.",
    ),
    (
        "symptoms",
        r"\bsymptoms?\b|\bsigns?\b|\bwhat does .* feel like\b|\bhow do i know if\b",
        "Signs and symptoms include pain, fever, fatigue and swelling.",
    ),
    (
        "information",
        r"^\W*(what is|what are|what's|whats|tell me about|define|explain)\b",
        "This condition is a disorder of the body; it is also called by other names.",
    ),
)
TYPE_NAMES = tuple(name for name, _, _ in _TYPES)
_CUES = tuple((name, re.compile(cue, re.IGNORECASE)) for name, cue, _ in _TYPES)

# What a passage answering each type tends to say (checked on the passage text, not the question).
_ANSWER_CUES = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "side_effects": r"\bside effects?\b",
        "genetic_changes": r"\bmutations?\b|\bgenes?\b",
        "inheritance": r"\binherit|\bautosomal\b|\bx-linked\b",
        "frequency": r"\baffects? (about |an estimated |approximately |fewer than |more than )?\d|\bprevalence\b"
        r"|\bincidence\b|\b\d[\d,]* (people|individuals|newborns|births|children|adults)\b|\bestimated\b",
        "susceptibility": r"\brisk\b",
        "prevention": r"\bprevent",
        "exams": r"\bdiagnos|\btests?\b|\bexam",
        "stages": r"\bstages?\b",
        "complications": r"\bcomplications?\b",
        "research": r"\bresearch|\bclinical trials?\b|\bstudies\b",
        "outlook": r"\bprognosis\b|\boutlook\b|\blife expectancy\b|\bsurviv",
        "treatment": r"\btreat|\btherap|\bmanag|\bsurgery\b",
        "causes": r"\bcaused by\b|\bcauses?\b|\bresults? from\b|\bdue to\b",
        "symptoms": r"\bsymptoms?\b|\bsigns?\b",
        "information": r"\b(is|are) (an? |the )?\w*\s*"
        r"(disorder|disease|condition|syndrome|cancer|type|group|infection)\b",
    }.items()
}
# A passage that opens by asking a question ("How might X be treated? Treatment is ...") says its type.
_LEADING_QUESTION = re.compile(r"^[^.?!]{5,200}\?")
# Words that phrase a question's type rather than name its subject ("what are the symptoms of").
TEMPLATE_WORDS = frozenset(
    "what whats is are the of for to how do does i my me a an can be who at risk symptoms treatments treatment "
    "causes cause diagnose diagnosed inherited many people affected by genetic changes related outlook prevent "
    "research or clinical trials being done stages complications signs side effects about tell".split()
)


def question_type(question: str) -> str | None:
    """The kind of answer ``question`` asks for, or None when its wording does not say."""
    for name, cue in _CUES:
        if cue.search(question):
            return name
    return None


def stated_type(text: str, section: str | None) -> str | None:
    """The type a passage declares: its section heading's, or that of a question it opens with."""
    if section:
        return question_type(section)
    leading = _LEADING_QUESTION.match(text)
    return question_type(leading.group(0)) if leading else None


def prototype_texts() -> tuple[str, ...]:
    """A short text typical of a passage answering each type, in TYPE_NAMES order."""
    return tuple(prototype for _, _, prototype in _TYPES)


def passage_features(passages: Sequence[Passage]) -> dict[str, np.ndarray]:
    """What each passage says about its type, computed once at build time.

    ``stated``: index into TYPE_NAMES of the passage's declared type, -1 for none; ``cues`` and
    ``lead_cues``: (passages × types) booleans, true when the passage (or its first 25 words) has the
    wording of that type's answers.
    """
    stated = np.full(len(passages), -1, dtype=np.int8)
    cues = np.zeros((len(passages), len(TYPE_NAMES)), dtype=bool)
    lead_cues = np.zeros((len(passages), len(TYPE_NAMES)), dtype=bool)
    for row, passage in enumerate(passages):
        declared = stated_type(passage.text, passage.section)
        if declared is not None:
            stated[row] = TYPE_NAMES.index(declared)
        lead = " ".join(passage.text.split()[:25])
        for column, name in enumerate(TYPE_NAMES):
            if _ANSWER_CUES[name].search(passage.text):
                cues[row, column] = True
                lead_cues[row, column] = bool(_ANSWER_CUES[name].search(lead))
    return {"stated": stated, "cues": cues, "lead_cues": lead_cues}
