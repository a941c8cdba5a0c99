"""``gjz diff --against DIR_OR_GIT_REF``: what a knowledge change does to real cases, before it is live.

The same rules (this checkout's bot/rules) run every golden profile (tests/rules/golden/*.yaml)
and every example profile shipped in README.md under two knowledge folders: the other one (a
folder, or a git ref's knowledge/ extracted into a temporary folder) and the current one
(GJZ_KNOWLEDGE_DIR or knowledge/). Each profile whose verdict, checks (a status, or a message
with figures: the thresholds), deadlines or checklist differ is printed with the old and the new
value. Exit 0 when nothing changed, 1 when something did, 2 when a side cannot be loaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .knowledge import Knowledge, KnowledgeError, load_knowledge
from .knowledge.loader import default_knowledge_dir
from .resources import checkout
from .rules import Profile, assess

# The maintainer's repository: the one this package runs from (editable), else the working
# directory (an installed wheel used from inside a checkout). Its tests/, README.md and git.
REPO = checkout() or Path.cwd()
GOLDEN_DIR = REPO / "tests" / "rules" / "golden"
README = REPO / "README.md"
_JSON_BLOCK = re.compile(r"```json\n(.*?)```", re.S)
_FIGURE = re.compile(r"\d")


@dataclass(frozen=True)
class Example:
    name: str
    origin: str  # where it is written: 'tests/rules/golden/bda.yaml' or 'README.md'
    profile: dict


@dataclass(frozen=True)
class Change:
    what: str  # 'verdict', 'check income', 'deadline submit_by', 'checklist', 'error'
    old: str
    new: str


def example_profiles(golden_dir: Path = GOLDEN_DIR, readme: Path = README) -> list[Example]:
    """The golden cases, then the README's JSON blocks that are profiles (either may be absent)."""
    examples = []
    for path in sorted(golden_dir.glob("*.yaml")) if golden_dir.is_dir() else []:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            examples.append(Example(case["name"], _relative(path), case["profile"]))
    if readme.is_file():
        for i, block in enumerate(_JSON_BLOCK.findall(readme.read_text(encoding="utf-8")), start=1):
            try:
                data = json.loads(block)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and {"district", "business"} <= data.keys():
                examples.append(Example(f"example {i}", _relative(readme), data))
    return examples


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def snapshot(knowledge: Knowledge, profile: dict, today: dt.date) -> dict:
    """What a maintainer compares: verdict, checks, deadlines and checklist (or the error)."""
    try:
        result = assess(knowledge, Profile.model_validate(profile), today=today)
    except Exception as exc:  # a knowledge change must not hide a case it breaks
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {
        "verdict": result.verdict,
        "checks": {c.id: (c.status, c.message) for c in result.checks},
        "deadlines": {d.id: d.date.isoformat() for d in result.deadlines},
        "materials": {m.id: m.name for m in result.materials},
    }


def compare(old: dict, new: dict) -> list[Change]:
    if "error" in old or "error" in new:
        if old.get("error") != new.get("error"):
            return [
                Change("error", old.get("error") or old.get("verdict", ""), new.get("error") or new.get("verdict", ""))
            ]
        return []
    changes = []
    if old["verdict"] != new["verdict"]:
        changes.append(Change("verdict", old["verdict"], new["verdict"]))
    for cid in dict.fromkeys([*old["checks"], *new["checks"]]):
        before, after = old["checks"].get(cid), new["checks"].get(cid)
        if before == after:
            continue
        status_changed = before is None or after is None or before[0] != after[0]
        # a reworded message is not a change of figures; a different number in it is
        if status_changed or _FIGURE.search(before[1] + after[1]):
            changes.append(Change(f"check {cid}", _check(before), _check(after)))
    for did in dict.fromkeys([*old["deadlines"], *new["deadlines"]]):
        if old["deadlines"].get(did) != new["deadlines"].get(did):
            changes.append(Change(f"deadline {did}", old["deadlines"].get(did, "—"), new["deadlines"].get(did, "—")))
    removed = [name for mid, name in old["materials"].items() if mid not in new["materials"]]
    added = [name for mid, name in new["materials"].items() if mid not in old["materials"]]
    if removed or added:
        changes.append(
            Change("checklist", "− " + "、".join(removed) if removed else "", "+ " + "、".join(added) if added else "")
        )
    return changes


def _check(value: tuple[str, str] | None) -> str:
    return "—" if value is None else f"{value[0]}: {value[1]}"


def review(
    old: Knowledge, new: Knowledge, examples: list[Example], today: dt.date
) -> list[tuple[Example, list[Change]]]:
    """Each example whose outcome differs between the two knowledge folders, with what differs."""
    changed = []
    for example in examples:
        changes = compare(snapshot(old, example.profile, today), snapshot(new, example.profile, today))
        if changes:
            changed.append((example, changes))
    return changed


def extract_ref(ref: str, into: Path, repo: Path = REPO) -> Path:
    """The knowledge/ folder of git ``ref``, extracted under ``into``; ValueError if no such ref."""
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if commit.returncode != 0:
        raise ValueError(f"{ref!r} is neither a folder nor a git ref of {repo}")
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", commit.stdout.strip(), "--", "knowledge"],
        capture_output=True,
    )
    if archive.returncode != 0:
        raise ValueError(f"{ref} has no knowledge/ folder: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "knowledge"


# ---------------------------------------------------------------------------- gjz diff


def add_parser(subparsers) -> argparse.ArgumentParser:
    diff = subparsers.add_parser("diff", help="preview a knowledge change: profiles whose outcome differs")
    diff.add_argument(
        "--against",
        required=True,
        metavar="DIR_OR_GIT_REF",
        help="the knowledge to compare with: a folder, or a git ref (HEAD, a tag, main~3)",
    )
    diff.add_argument("--today", help="assess as of this date, YYYY-MM-DD (default: today; the same for both sides)")
    diff.add_argument("--json", action="store_true", help="print one JSON object")
    diff.set_defaults(func=cmd_diff)
    return diff


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        print(f"gjz diff: --today {args.today!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gjz-diff-") as tmp:
        against = Path(args.against)
        try:
            other_dir = against if against.is_dir() else extract_ref(args.against, Path(tmp))
        except ValueError as exc:
            print(f"gjz diff: {exc}", file=sys.stderr)
            return 2
        current_dir = default_knowledge_dir()
        sides = {}
        for side, folder in (("other", other_dir), ("current", current_dir)):
            try:
                sides[side] = load_knowledge(folder)
            except KnowledgeError as exc:
                print(
                    f"gjz diff: the {side} knowledge ({args.against if side == 'other' else folder}) does not load "
                    f"under this code ({len(exc.problems)} error(s)). First: {exc.problems[0]}",
                    file=sys.stderr,
                )
                return 2
        examples = example_profiles()
        changed = review(sides["other"], sides["current"], examples, today)
    if args.json:
        print(
            json.dumps(
                {
                    "profiles": len(examples),
                    "changed": [
                        {"name": e.name, "origin": e.origin, "changes": [c.__dict__ for c in changes]}
                        for e, changes in changed
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for example, changes in changed:
            print(f"{example.origin} · {example.name}")
            for c in changes:
                print(f"  {c.what}:\n    old: {c.old or '—'}\n    new: {c.new or '—'}")
        flips = sum(1 for _, changes in changed if any(c.what == "verdict" for c in changes))
        print(
            f"{len(changed)} of {len(examples)} profiles change, {flips} of them their verdict "
            f"(old: {args.against}; new: {_relative(current_dir)}; as of {today})"
        )
    return 1 if changed else 0
