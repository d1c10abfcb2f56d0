"""Stage 4b, answer: orchestration from a question to an ``Answer``.

``assistant`` runs triage, retrieval, abstention and highlighting, re-checks every quote against its
source and hot-reloads a rebuilt index; ``abstain`` holds every rule for saying "not found" (a calibrated
answerability model) and for adding further quotes; ``highlight`` picks the sentence of a quote that
answers the question; ``conversation`` searches a follow-up as the question it stands for.
"""
