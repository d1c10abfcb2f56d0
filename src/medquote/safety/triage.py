"""Crisis triage: does a message describe an emergency happening now? Checked before any retrieval."""

from __future__ import annotations

import logging

from medquote.records import Emergency
from medquote.safety.resources import DEFAULT_RESOURCES, EmergencyResources
from medquote.safety.rules import clauses, informational, load_rules

logger = logging.getLogger(__name__)


def triage(message: str, resources: EmergencyResources = DEFAULT_RESOURCES) -> Emergency | None:
    """Emergency guidance if the message describes an emergency happening now, else None."""
    rules = load_rules()
    found = clauses(message)
    for category in rules.categories:
        for clause in found:
            if informational(clause, rules, markers=not category.ignore_informational):
                continue
            if any(pattern.search(clause) for pattern in category.patterns):
                logger.info("Emergency triage matched category %s", category.name)
                return Emergency(resources.message, resources.resources, category=category.name)
    return None
