"""Stage 4a, safety: the text medquote writes itself, crisis triage, and checks on a question.

``templates`` holds every fixed text (disclaimer, "not found", emergency and check guidance, notes,
labels); ``resources`` the crisis numbers (configurable per country); ``rules`` loads
``data/triage.toml`` and normalises messages for it; ``cues`` spots negation, time, figurative speech
and who is in danger; ``classifier`` applies the learned triage model (``models/triage/model.npz``);
``triage`` combines rules and classifier into a level (emergency / check / none) with its guidance;
``checks`` cleans a question and spots sensitive topics and personal dosing questions.
"""
