"""What a signed-in user may see and do. Agency users see only cases in which their own agency is a party.

An agency user's names are the registry's full name and aliases (registry.agencies); a case is theirs when
one of its defendants, applicants (enforcement review) or third parties is one of those names — one rule
(search.analysis.judgment_parties) for search results and facets in both engines, a case or document by id,
similar cases, exports, collections and API tokens. Statistics and bulletins count an agency's own cases by
its registry id (reports.stats), which never reaches beyond the cases the agency is a party to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.models import Judgment, Role, User


@dataclass(frozen=True)
class Scope:
    username: str
    role: Role
    agency_id: str | None = None
    # None: every case; otherwise the names under which the user's agency appears as a party.
    agency_names: tuple[str, ...] | None = None

    @property
    def restricted(self) -> bool:
        return self.agency_names is not None

    @property
    def can_write(self) -> bool:
        """Upload, correct tags, edit collections."""
        return self.role in (Role.admin, Role.analyst)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin


def agency_names_for(s: Session, agency_id: str) -> tuple[str, ...]:
    """The registry's names of an agency (full name + aliases)."""
    from registry.agencies import agency_names

    key: Any = int(agency_id) if agency_id.isdigit() else agency_id
    try:
        names = agency_names(s, key)
    except Exception:  # noqa: BLE001 - an unknown id means: sees nothing
        names = []
    return tuple(dict.fromkeys(n for n in names if n)) or ("\x00no-agency",)


def scope_for(s: Session, user: User) -> Scope:
    role = Role.__members__.get(user.role, Role.viewer)
    if role != Role.agency:
        return Scope(user.username, role)
    return Scope(user.username, role, user.agency_id, agency_names_for(s, user.agency_id or ""))


def case_parties(judgment: Judgment) -> list[str]:
    """The one agency-scope rule (search.analysis.judgment_parties): defendants, applicants, third parties —
    the same names the search engines index for ``restrict_parties``."""
    from search.analysis import judgment_parties

    return judgment_parties(judgment)


def can_see(scope: Scope, judgment: Judgment) -> bool:
    if scope.agency_names is None:
        return True
    names = set(scope.agency_names)
    return any(p in names for p in case_parties(judgment))
