"""Question types: what kind of answer a question wants (symptoms, causes, treatment, …).

Consumer questions about one condition differ mostly in this; passages about the right condition but
the wrong aspect are the commonest near miss. A question's type comes from its wording (cues below);
how much a passage is *about* a type comes from the embedding model, as the passage's similarity to a
short prototype of that type relative to its mean similarity to all prototypes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from medquote.embed import Embedder

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
        r"\binherit(ed|ance)?\b|\bhereditary\b|\brun(s)? in (the )?famil(y|ies)\b|\bpass(ed)? (it )?(down|on) to\b",
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


def question_type(question: str) -> str | None:
    """The kind of answer ``question`` asks for, or None when its wording does not say."""
    for name, cue in _CUES:
        if cue.search(question):
            return name
    return None


@dataclass(frozen=True, slots=True)
class TypePrototypes:
    """The prototype vectors of every type, embedded once per embedder."""

    vectors: np.ndarray  # (types, dimension), L2-normalised

    @classmethod
    def embed(cls, embedder: Embedder) -> TypePrototypes:
        return cls(embedder.encode([prototype for _, _, prototype in _TYPES]))

    def affinity(self, passage_vectors: np.ndarray, qtype: str) -> np.ndarray:
        """How much more each passage resembles ``qtype``'s prototype than the average prototype."""
        similarity = passage_vectors @ self.vectors.T
        return similarity[:, TYPE_NAMES.index(qtype)] - similarity.mean(axis=1)
