"""Cross-reference checks a schema cannot express: ids that must exist, dates in range.

Each check yields a :class:`Problem` with the field path it concerns, so the
loader can name the file line; all problems are reported together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from simulation.scenario.messages import Path, quote, unknown
from simulation.scenario.schema import MAX_MONTHS, SITTINGS, Arena, Event, EventType, Scenario

REQUIRED_FIELDS: dict[EventType, tuple[str, ...]] = {
    EventType.INCAPACITATION: ("who",),
    EventType.RECOVERY: ("who",),
    EventType.DEATH: ("who",),
    EventType.ABSENCE: ("who", "health", "months"),
    EventType.APPOINTMENT: ("who", "post"),
    EventType.REMOVAL: ("who", "post"),
    EventType.DEMOTION: ("who", "post", "to_post"),
    EventType.RESOLUTION: ("who", "arena"),
    EventType.CONDEMNATION: ("who", "target", "arena"),
    EventType.FACTION_FORMED: ("faction",),
    EventType.FACTION_DISSOLVED: ("faction",),
    EventType.MEMBERSHIP_INTAKE: ("members_per_month",),
    EventType.STANCE_SHIFT: ("stance",),
    EventType.PURGE: ("organisation", "beneficiary"),
    EventType.CONGRESS: ("delegates",),
    EventType.CONFERENCE: ("delegates",),
    EventType.PLENUM: ("delegates",),
}
"""Fields an event of each type cannot do without."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at a field path such as ``events[3].who``.

    ``related`` is the path of another value the problem involves (the death an
    appointment comes after): the message, which ends by naming it, is followed
    by where it was written.
    """

    path: Path
    message: str
    related: Path | None = None


def _duplicates(ids: list[str]) -> set[str]:
    return {item for item, count in Counter(ids).items() if count > 1}


LISTED_OUTSIDE = 3
"""Events outside the period told one by one; more are told together, at the edge they pass."""


def check_scenario(scenario: Scenario) -> Iterator[Problem]:
    """Yield every cross-reference problem in a schema-valid scenario."""
    yield from _check_period(scenario)
    yield from _check_ids(scenario)
    yield from _check_leaders(scenario)
    yield from _check_organisations(scenario)
    yield from _check_dates(scenario)
    for index, event in enumerate(scenario.events):
        yield from _check_event(scenario, index, event)


def _check_dates(scenario: Scenario) -> Iterator[Problem]:
    """Events dated outside the period: each, or, past a few, all at once at its edge.

    A mistyped date is one event; a period shortened (``--set end=1925-06``) leaves
    out dozens, which one line per event would bury: they are told at the edge that
    moved, with the first and the last of them.
    """
    start, end = scenario.start, scenario.end
    outside = [(i, e) for i, e in enumerate(scenario.events) if not start <= e.date <= end]
    if len(outside) <= LISTED_OUTSIDE:
        for index, event in outside:
            yield Problem(
                ("events", index, "date"), f"{event.date} is outside the period {start} to {end}"
            )
        return
    for edge, events in (
        ("start", [event for _, event in outside if event.date < start]),
        ("end", [event for _, event in outside if event.date > end]),
    ):
        if events:
            first, last = events[0], events[-1]
            side = "before the start" if edge == "start" else "after the end"
            yield Problem(
                (edge,),
                f"{len(events)} events fall {side} of the period {start} to {end}, from "
                f"{quote(first.id)} ({first.date}) to {quote(last.id)} ({last.date}); drop them "
                "or keep the period",
            )


def _check_period(scenario: Scenario) -> Iterator[Problem]:
    if scenario.end <= scenario.start:
        yield Problem(("end",), f"must be after start {scenario.start}, got {scenario.end}")
    elif scenario.end.months_since(scenario.start) > MAX_MONTHS:
        yield Problem(
            ("end",),
            f"the period {scenario.start} to {scenario.end} is longer than {MAX_MONTHS} months",
        )
    free_from = scenario.free_from
    if free_from is not None and not scenario.start <= free_from <= scenario.end:
        yield Problem(
            ("free_from",),
            f"{free_from} is outside the period {scenario.start} to {scenario.end}",
        )


def _check_ids(scenario: Scenario) -> Iterator[Problem]:
    for section, items in (
        ("leaders", scenario.leaders),
        ("organisations", scenario.organisations),
        ("factions", scenario.factions),
        ("events", scenario.events),
    ):
        repeated = _duplicates([item.id for item in items])
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in repeated and item.id in seen:
                yield Problem((section, index, "id"), f"duplicate id {quote(item.id)}")
            seen.add(item.id)


def _check_leaders(scenario: Scenario) -> Iterator[Problem]:
    posts = set(scenario.posts)
    holders: dict[str, list[str]] = {}
    for index, leader in enumerate(scenario.leaders):
        for post_index, post in enumerate(leader.barred_from):
            if post not in posts:
                yield Problem(
                    ("leaders", index, "barred_from", post_index), unknown("post", post, posts)
                )
        for post_index, post in enumerate(leader.posts):
            if post not in posts:
                yield Problem(("leaders", index, "posts", post_index), unknown("post", post, posts))
            holders.setdefault(post, []).append(leader.id)
    for index, leader in enumerate(scenario.leaders):
        for post_index, post in enumerate(leader.posts):
            others = [who for who in holders.get(post, []) if who != leader.id]
            if post in posts and scenario.posts[post].unique and others:
                yield Problem(
                    ("leaders", index, "posts", post_index),
                    f"post {quote(post)} is unique but also held by {', '.join(others)}",
                )
    known = {leader.id for leader in scenario.leaders}
    for index, leader in enumerate(scenario.leaders):
        if leader.patron == leader.id:
            yield Problem(
                ("leaders", index, "patron"),
                f"{quote(leader.id)} cannot be his own patron: name another leader, or none",
            )
        elif leader.patron is not None and leader.patron not in known:
            yield Problem(
                ("leaders", index, "patron"),
                unknown("leader", leader.patron, known - {leader.id}),
            )
    organisations = {org.id for org in scenario.organisations}
    for index, leader in enumerate(scenario.leaders):
        if leader.organisation is not None and leader.organisation not in organisations:
            yield Problem(
                ("leaders", index, "organisation"),
                unknown("organisation", leader.organisation, organisations),
            )
    if scenario.arbiter is not None and scenario.arbiter not in known:
        yield Problem(("arbiter",), unknown("leader", scenario.arbiter, known))
    total = sum(leader.apparatus for leader in scenario.leaders)
    if total > 1.0 + 1e-9:
        yield Problem(("leaders",), f"apparatus shares sum to {total:.3f}; expected at most 1")


def _check_organisations(scenario: Scenario) -> Iterator[Problem]:
    leaders = {leader.id for leader in scenario.leaders}
    organisations = {org.id for org in scenario.organisations}
    for index, other in enumerate(scenario.default_succession):
        if other not in scenario.posts:
            yield Problem(
                ("default_succession", index), unknown("post", other, set(scenario.posts))
            )
    voting = [name for name, post in scenario.posts.items() if post.votes_in]
    for name in voting[1:]:
        yield Problem(
            ("posts", name, "votes_in"),
            f"only one post may give the Politburo's votes; {quote(voting[0])} already does",
        )
    for name, post in scenario.posts.items():
        for field in ("succession", "promoted_from"):
            for index, other in enumerate(getattr(post, field)):
                if other not in scenario.posts:
                    yield Problem(
                        ("posts", name, field, index),
                        unknown("post", other, set(scenario.posts)),
                    )
        if post.deputy_to is not None and post.deputy_to not in scenario.posts:
            yield Problem(
                ("posts", name, "deputy_to"), unknown("post", post.deputy_to, set(scenario.posts))
            )
        if post.seats is not None and post.unique:
            yield Problem(
                ("posts", name, "seats"),
                "a unique office has one holder; seats is for a post held by several "
                "(write unique: false)",
            )
        if post.appoints_in == "all":
            continue
        for index, org in enumerate(post.appoints_in):
            if org not in organisations:
                yield Problem(
                    ("posts", name, "appoints_in", index),
                    unknown("organisation", org, organisations),
                )
    for index, org in enumerate(scenario.organisations):
        if org.head_post is not None and org.head_post not in scenario.posts:
            yield Problem(
                ("organisations", index, "head_post"),
                unknown("post", org.head_post, set(scenario.posts)),
            )
        if org.loyalty is None:
            continue
        for leader in org.loyalty:
            if leader not in leaders:
                yield Problem(
                    ("organisations", index, "loyalty", leader), unknown("leader", leader, leaders)
                )
        total = sum(org.loyalty.values())
        if total > 1.0 + 1e-9:
            yield Problem(
                ("organisations", index, "loyalty"),
                f"loyalty shares sum to {total:.3f}; expected at most 1",
            )
    if sum(org.members for org in scenario.organisations) == 0:
        yield Problem(("organisations",), "no organisation has members: the party would be empty")
    for index, faction in enumerate(scenario.factions):
        for member_index, member in enumerate(faction.members):
            if member not in leaders:
                yield Problem(
                    ("factions", index, "members", member_index),
                    unknown("leader", member, leaders),
                )


def _check_event(scenario: Scenario, index: int, event: Event) -> Iterator[Problem]:
    here: Path = ("events", index)
    for field in REQUIRED_FIELDS.get(event.type, ()):
        if getattr(event, field) in (None, []):
            yield Problem((*here, field), f"required for an event of type {event.type.value!r}")
    if event.type is EventType.PURGE and (event.functionaries is None) == (event.share is None):
        yield Problem((*here, "functionaries"), "a purge needs exactly one of functionaries, share")
    leaders = {leader.id for leader in scenario.leaders}
    references = {
        "leader": (leaders, ("who", "target", "by", "beneficiary")),
        "post": (set(scenario.posts), ("post", "to_post")),
        "organisation": ({org.id for org in scenario.organisations}, ("organisation",)),
        "faction": ({faction.id for faction in scenario.factions}, ("faction",)),
    }
    for kind, (known, fields) in references.items():
        for field in fields:
            value = getattr(event, field)
            values = value if isinstance(value, list) else [value]
            for position, item in enumerate(values):
                if item is not None and item not in known:
                    path = (*here, field, position) if isinstance(value, list) else (*here, field)
                    yield Problem(path, unknown(kind, item, known))
    for field, (kind, known) in {
        "influence": ("leader", leaders),
        "stance": ("leader", leaders),
        "blame": ("post", set(scenario.posts)),
        "protection": ("organisation", references["organisation"][0]),
    }.items():
        for key in getattr(event, field):
            if key not in known:
                yield Problem((*here, field, key), unknown(kind, key, known))
    if event.arena is not None and event.arena is not Arena.POLITBURO:
        sitting = any(
            SITTINGS.get(other.type) is event.arena and other.date == event.date
            for other in scenario.events
        )
        if not sitting:
            yield Problem(
                (*here, "arena"),
                f"no {event.arena.value} sits in {event.date}; add a {event.arena.value!r} "
                "event that month or vote in another arena",
            )
