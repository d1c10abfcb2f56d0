"""The trainers of the shipped models, one module each, run as ``python -m medquote.training.<name>``:
``reader`` (the cross-encoder), ``triage`` (the crisis classifiers), ``abstain`` (answerability) and
``rerank``. Each has fixed seeds, lists its data by file and hash, and writes its model into
``medquote/models/<name>/`` with its card. They read ``data/`` and MedQuAD, never a frozen set.

The top layer beside the CLI: nothing in the product imports a trainer.
"""
