"""Every text medquote writes itself about health and safety: the disclaimer, "not found", emergency
guidance, the notes on doses. Nothing else it shows is its own words (the rest are quotes), except the
labels and feedback notes of the chat and the terminal, in ``medquote.ui.wording``.

Changing one of these changes what a person in distress may read; keep them short, plain and fixed.
"""

from __future__ import annotations

DISCLAIMER = (
    "This is general information, quoted word for word from the sources shown with each quote. "
    "It is not medical advice and not a substitute for a doctor, pharmacist or other health professional. "
    "In an emergency, call your local emergency number."
)
NOT_FOUND_MESSAGE = (
    "I could not find this in the listed sources, so I have nothing to quote. "
    "Try rephrasing the question, or ask a doctor, pharmacist or other health professional."
)
SOURCES_UNAVAILABLE_MESSAGE = (
    "The sources are temporarily unavailable, so I cannot search them right now. "
    "Please try again in a few minutes, or ask a doctor, pharmacist or other health professional."
)
DOSING_NOTE = (
    "For how much to take, ask your prescriber or pharmacist. "
    "The quotes below are general information, not a dose for you."
)
# The same question when the sources have nothing to quote.
DOSING_ASK_NOTE = "For how much to take, ask your prescriber or pharmacist."
EMPTY_QUESTION_MESSAGE = "The question is empty. Type a health question, for example: What is Klonopin used for?"
MAX_QUESTION_CHARS = 2000
TRUNCATION_NOTE = f"Your question was shortened to its first {MAX_QUESTION_CHARS:,} characters."
EMERGENCY_MESSAGE = (
    "This may be an emergency. Call your local emergency number now (911 in the US), "
    "or go to the nearest emergency department. Do not wait for an answer here."
)
CHECK_MESSAGE = (
    "If you or someone near you may be in danger right now, do not wait for an answer here: "
    "call your local emergency number (911 in the US) or one of these lines."
)
ANIMAL_MESSAGE = (
    "This may be an emergency for an animal. Call your veterinarian or an emergency vet clinic now, "
    "or an animal poison control line."
)
ANIMAL_RESOURCES = (
    "Your veterinarian or the nearest emergency vet clinic",
    "ASPCA Animal Poison Control Center: (888) 426-4435 (US, a fee may apply)",
    "Pet Poison Helpline: (855) 764-7661 (US, a fee may apply)",
)
EMERGENCY_RESOURCES = (
    "Emergency services: 911 (US) or your local emergency number",
    "988 Suicide & Crisis Lifeline: call or text 988 (US)",
    "Poison Control: 1-800-222-1222 (US)",
)

FAILURE_MESSAGE = "Sorry, the answer could not be produced. Please try again in a moment."
# The index failed its integrity check (medquote.index.integrity): nothing from it is quoted.
INTEGRITY_MESSAGE = (
    "The sources failed their integrity check, so nothing can be quoted from them until the maintainers "
    "repair the index (medquote build). " + DISCLAIMER
)
