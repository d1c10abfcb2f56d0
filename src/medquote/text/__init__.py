"""Text, a leaf below every stage: what a word, a sentence and a clean text are, shared by build and query.

``normalize`` fixes a source's text once at ingest (every quote is a slice of the result; also one-line
titles and library error messages), ``sentences`` finds sentence and list-item spans (the chunker cuts
along them, the highlighter picks one), and ``tokens`` makes the words, stemmed BM25 terms and character
trigrams that the build, the retrievers, answerability and the highlighter all compare; ``qtypes``
reads what kind of answer a question asks for (symptoms, causes, treatment, …) and what a passage's
wording says it answers (computed at build time, matched at query time).
"""
