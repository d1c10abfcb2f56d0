"""Stage 3, retrieval: a question → scored candidate passages, and why each one scored as it did.

``base`` says what a retriever offers; ``query`` prepares the question (synonyms, the corpus topic for
"this medicine"); ``bm25`` and ``dense`` find candidates; ``features`` holds one small function per
scoring idea; ``hybrid`` fuses them with the weights of one table into a ``Scored`` record; ``rerank``
reorders the best candidates of a single-topic corpus by a learned chance of answering; ``registry`` names
the retrievers.
"""
