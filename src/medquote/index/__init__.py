"""Stage 2, index: documents → verbatim passages → vectors and BM25 → a self-describing, atomically published build.

``chunk`` cuts passages (exact slices of their source), which ``medquote.embed`` turns into vectors
(without re-embedding unchanged text) and ``medquote.text.tokens`` into BM25 terms; ``build`` runs it
all with the ``params`` it records, ``publish`` swaps the new build in, ``manifest`` names the
folder's layout, ``integrity`` records and checks the sha256 of every built file and source text
(``medquote index verify``), ``audit`` re-derives a build's source texts from the corpus's vetted
files, and ``store`` reads a build (``Index``) with its checks. What searches a build is
``medquote.engines``.
"""
