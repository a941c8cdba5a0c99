"""Tell those a published knowledge change affects (``gjz notify``).

When a verdict is given the engine returns ``verdict_record`` (the knowledge version, verdict,
key figures and the answers it was made from); the store keeps it sealed per chat, for the
interview retention. ``gjz notify`` re-assesses each record made under another knowledge
version with the current knowledge (same answers, same application date) and tells each user
whose verdict would now differ, once, with the old and new figure and its source; the record
then holds the new verdict, so a second run tells nobody. /mute opts a chat out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from ..dialog.messages import Reply, render
from ..knowledge import Knowledge
from ..rules import Assessment, Profile, assess
from ..rules.labels import BUSINESS, VERDICT, money


def knowledge_version(knowledge: Knowledge) -> str:
    """A digest of every knowledge file's parsed content (so a comment or a reflow is no new
    version, a changed figure is), computed once per loaded knowledge."""
    cached = knowledge.__dict__.get("_version")
    if cached is None:
        digest = hashlib.sha256()
        for label, yf in sorted(knowledge.files.items()):
            digest.update(label.encode())
            digest.update(json.dumps(yf.data, sort_keys=True, ensure_ascii=False, default=str).encode())
        cached = knowledge.__dict__["_version"] = digest.hexdigest()[:16]
    return cached


def _wage(assessment: Assessment) -> dict | None:
    wage = assessment.context.get("wage")
    if wage is None:
        return None
    return {"year": wage.published_year, "value": wage.value, "source": wage.source}


def verdict_record(knowledge: Knowledge, answers: dict, assessment: Assessment) -> dict:
    """What is stored (sealed) when a verdict is given: enough to assess the same answers again."""
    return {
        "version": knowledge_version(knowledge),
        "verdict": assessment.verdict,
        "district": assessment.district,
        "business": assessment.business,
        "date": assessment.application_date.isoformat(),
        "answers": dict(answers),
        "checks": {c.id: [c.status, c.message, c.source] for c in assessment.checks},
        "wage": _wage(assessment),
    }


@dataclass
class Affected:
    chat_id: int
    old: dict  # the stored record
    new: dict  # the record under the current knowledge
    changes: list[dict] = field(default_factory=list)  # {"what", "old", "new", "source"}: for the user

    @property
    def why(self) -> str:
        """The reason without personal data: verdicts, the changed checks' ids and statuses,
        the changed knowledge figure (the average wage)."""
        parts = [f"{VERDICT[self.old['verdict']]} → {VERDICT[self.new['verdict']]}"]
        for cid in sorted(set(self.old["checks"]) | set(self.new["checks"])):
            before, after = self.old["checks"].get(cid), self.new["checks"].get(cid)
            if (before or [None])[0] != (after or [None])[0]:
                parts.append(f"check {cid} {(before or ['—'])[0]}→{(after or ['—'])[0]}")
        wage = _wage_change(self.old.get("wage"), self.new.get("wage"))
        if wage:
            parts.append(f"{wage['old']} → {wage['new']}〔{wage['source']}〕")
        return "; ".join(parts)


def _wage_text(wage: dict) -> str:
    return f"{wage['year']}年月平均工资 {money(wage['value'])} 元"


def _wage_change(old: dict | None, new: dict | None) -> dict | None:
    if not old or not new or (old["year"], old["value"]) == (new["year"], new["value"]):
        return None
    return {"what": "wage", "old": _wage_text(old), "new": _wage_text(new), "source": new["source"]}


def reassess(knowledge: Knowledge, record: dict) -> dict | None:
    """The record the same answers get under ``knowledge`` (None if they no longer read)."""
    data = dict(record["answers"])
    data.setdefault("application_date", record["date"])
    try:
        profile = Profile.model_validate(data)
        assessment = assess(knowledge, profile, today=dt.date.fromisoformat(record["date"]))
    except Exception:  # a knowledge change that no longer takes these answers: not ours to guess
        return None
    return verdict_record(knowledge, record["answers"], assessment)


def affected(knowledge: Knowledge, chat_id: int, record: dict) -> Affected | None:
    if record.get("version") == knowledge_version(knowledge):
        return None
    new = reassess(knowledge, record)
    if new is None or new["verdict"] == record["verdict"]:
        return None
    changes = []
    wage = _wage_change(record.get("wage"), new.get("wage"))
    if wage:
        changes.append(wage)
    for cid, after in new["checks"].items():
        before = record["checks"].get(cid)
        if before is not None and before[:2] != after[:2]:
            changes.append({"what": cid, "old": before[1], "new": after[1], "source": after[2]})
    return Affected(chat_id, record, new, changes)


def notice(item: Affected, knowledge: Knowledge) -> Reply:
    district = knowledge.districts.get(item.new["district"])
    what = f"{district.name if district else ''}{BUSINESS.get(item.new['business'], item.new['business'])}"
    return Reply(
        render(
            "notify.html.j2",
            what=what,
            old_verdict=VERDICT[item.old["verdict"]],
            new_verdict=VERDICT[item.new["verdict"]],
            changes=item.changes,
        )
    )


@dataclass
class Report:
    seen: int = 0  # records within retention
    affected: list[Affected] = field(default_factory=list)
    muted: int = 0
    told: int = 0
    failed: int = 0

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would be told" if dry_run else "told"
        count = len(self.affected) - self.muted if dry_run else self.told
        out = [
            f"knowledge change: {len(self.affected)} of {self.seen} stored assessment(s) within retention "
            f"now get another verdict; {count} user(s) {verb}, {self.muted} muted (/mute)"
            + ("" if dry_run else f", {self.failed} not reachable")
        ]
        for why, n in Counter(a.why for a in self.affected).most_common():
            out.append(f"  {n} × {why}")
        return out


async def notify(store, knowledge: Knowledge, send, dry_run: bool) -> Report:
    """``send(chat_id, reply) -> bool`` (False: refused for good); transient errors raise."""
    report = Report()
    for chat_id, record, muted in await store.verdict_records():
        report.seen += 1
        item = affected(knowledge, chat_id, record)
        if item is None:
            continue
        report.affected.append(item)
        if muted:
            report.muted += 1
            continue
        if dry_run:
            continue
        if await send(chat_id, notice(item, knowledge)):
            report.told += 1
        else:
            report.failed += 1
        # Told (or unreachable for good): the record now holds the verdict the user was told of.
        await store.replace_verdict_record(chat_id, item.new)
    return report
