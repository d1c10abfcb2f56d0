"""The chat's and the terminal's own labels: headings, provenance labels, feedback notes.

Fixed wording, like ``medquote.safety.templates``, but none of it is about safety: what a person in
distress reads (the disclaimer, emergency guidance, "not found") stays there.
"""

from __future__ import annotations

# The chat and the terminal.
EMERGENCY_TITLE = "Get help now"
# A triage "check": shown above the quotes, not instead of them.
CHECK_TITLE = "If you or someone else may be in danger"
SEARCHED_AS_LABEL = "Read as a follow-up and searched as:"
QUOTES_HEADING = "From the sources, word for word:"
REPHRASE_HINT = "Tip: use the name of the condition, symptom or medicine, and ask about one thing at a time."
LOADING_MESSAGE = "Loading the sources\u2026 the chat is ready in a moment."
SEARCHING_MESSAGE = "Searching the sources\u2026"
# Provenance: exactly what the manifest records, labelled; a missing item is said to be missing.
PUBLISHER_MISSING = "publisher not recorded"
DATE_MISSING = "date not recorded"
LICENSE_MISSING = "license not recorded"
LINK_MISSING = "no public link"
ADDED_ON = "added {date}"
PUBLISHED_ON = "published {date}"
PUBLISHED_MISSING = "publication date not recorded"
NOT_REVIEWED = "listed by the maintainers; not clinically reviewed"
REVIEWED = "reviewed by {who} on {when}"
REVIEWED_UNDATED = "reviewed by {who} (date not recorded)"
VETTING_MISSING = "vetting not recorded"
VETTING_NOTE_LABEL = "Maintainers' note"
VIEW_IN_SOURCE = "Show in the full source"
COPY_CITATION = "Copy quote with citation"
# Feedback on a reply.
FEEDBACK_SAVED = (
    "Thank you: your rating was saved with the question and the quoted passages, in a file on this "
    "server that the maintainers read. Nothing is sent anywhere else."
)
FEEDBACK_REASON_SAVED = "Thank you: your reason was saved with your rating."
FEEDBACK_FAILED = "Sorry, your feedback could not be saved."
