"""The shipped learned models, a leaf below everything that uses them: one folder each with its file(s),
a short README card (what it is, which command trains it, its data, its held-out figures) and the hashes
its loader checks.

``files`` finds and checks a model's file (sha256 against the folder's manifest; a one-line ModelError
naming the training command when missing or damaged); ``reader`` is the cross-encoder's loader
(``reader/``). The triage, answerability and rerank models (``triage/``, ``abstain/``, ``rerank/``) are
read by their stage's code (safety.classifier, answer.abstain, retrieval.rerank) through ``files``.
Retraining a model: the command on its card.
"""
