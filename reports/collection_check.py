"""The publication check of a collection (issue 17): the natural-person names a reader must never see
(from the labels and from the texts' party and agent lines) and the paragraphs of 30+ characters printed
for two cases. ``bench/collection_check.py`` runs it over every cause of the whole corpus; tests run it on
a few fixtures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reports.collection import Entry
from reports.deidentify import _AGENT_NAME_RE, _PARTY_NAME_RE, _clean, is_person, kept_names
from reports.lessons import repeated_paragraphs


def line_names(text: str) -> set[str]:
    """Natural persons named in the party and agent lines of a judgment (its judges, clerk and an
    agency's legal representative excluded)."""
    found = {
        n
        for rx in (_PARTY_NAME_RE, _AGENT_NAME_RE)
        for m in rx.finditer(text)
        if is_person(n := _clean(m.group(1)))
    }
    return found - kept_names(text)


def label_names(label: dict) -> set[str]:
    names = [*(label.get("plaintiffs") or []), *(label.get("third_parties") or [])]
    return {n for n in names if is_person(n) and len(n) <= 4}


@dataclass
class CheckResult:
    cases: int
    names_checked: int
    survivors: list[tuple[str, str]] = field(default_factory=list)  # (case title, name)
    repeated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.survivors and not self.repeated


def check_entries(entries: list[Entry], names_of: Mapping[int, Iterable[str]]) -> CheckResult:
    """``names_of``: judgment id → names that must not print. A survivor is a name found in the printed
    paragraphs of a case (its title included) that is not part of a longer kept word."""
    result = CheckResult(len(entries), 0)
    for e in entries:
        printed = e.title + "\n" + "\n".join(e.paragraphs())
        names = {n for i in e.judgment_ids for n in names_of.get(i, ())}
        result.names_checked += len(names)
        for n in sorted(names):
            if re.search(re.escape(n) + r"(?![某])", printed):
                result.survivors.append((e.title, n))
    result.repeated = repeated_paragraphs([e.paragraphs() for e in entries])
    return result
