"""Stage 4a, safety: the text medquote writes itself, crisis triage, and checks on a question.

``templates`` holds every fixed text (disclaimer, "not found", emergency guidance, notes, labels);
``resources`` the crisis numbers (configurable per country); ``rules`` loads ``data/triage.toml`` and
normalises messages for it; ``triage`` decides whether a message is an emergency; ``checks`` cleans a
question and spots sensitive topics and personal dosing questions.
"""
