"""Evaluation (maintainers): retrieval accuracy on BEIR datasets, answer quality on consumer question sets,
and abstention calibration.

``beir`` reads and checks a dataset, ``medquad_to_beir`` makes one from MedQuAD, ``corpus`` indexes
a dataset's corpus through the normal build, ``documents`` maps passages to judged documents,
``runs`` runs each retriever, ``metrics`` scores runs with ir_measures, ``abstention`` sweeps the
"not found" threshold, ``report`` writes the table, chart and worst queries, ``answers`` judges the
assistant's quotes against verbatim answer spans of consumer questions, ``gate`` is the quality gate
of ``medquote build`` (a new build against the live one on the corpus's regression sets), ``review``
the maintainer's HTML page from a gate report and the feedback queue, ``cli`` the commands. This package
may import any other; only ``medquote.cli`` and the trainers import it.
"""
