"""Reload the knowledge into a running interview, or keep the old one if the new is broken.

Used on SIGHUP by `gjz run` (polling) and by every `gjz serve` worker. The new knowledge
goes through the same validation as `gjz check`; the swap is one attribute assignment, so a
turn in progress finishes on the knowledge it started with.
"""

from __future__ import annotations

import logging

from .dialog.engine import Interview
from .knowledge import KnowledgeError, load_knowledge

log = logging.getLogger("gjz.reload")


def reload_knowledge(interview: Interview, knowledge_dir=None, faq_factory=None) -> bool:
    try:
        knowledge = load_knowledge(knowledge_dir)
    except KnowledgeError as exc:
        first = exc.problems[0] if exc.problems else "unknown"
        log.error(
            "knowledge reload refused; keeping the loaded knowledge",
            extra={"problems": len(exc.problems), "first": str(first)},
        )
        return False
    faq = faq_factory(knowledge) if faq_factory else interview.faq
    interview.knowledge, interview.faq = knowledge, faq
    log.info("knowledge reloaded", extra={"summary": knowledge.summary()})
    return True
