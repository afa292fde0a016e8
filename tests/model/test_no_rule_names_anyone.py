"""No rule names anyone: renaming every id changes nothing but the names.

Every leader, post, organisation, faction and event id of the baseline is replaced, in
every place a scenario names it, by a name that sorts otherwise (``stalin`` becomes
``znilats``); a run with the same seed must give the same numbers and the same logs, up
to the names, in free mode, in a replay and in a branch. A rule that read ``"stalin"``
or ``"politburo"`` (as the default succession once did), ``"red_army"`` or
``"troika"``, or that followed the ids' alphabetical order, fails this test.
"""

import re

import numpy as np
import pytest

from simulation.calendar import Month
from simulation.experiments.runs import run_model
from simulation.model import Mode
from simulation.scenario import Scenario

LEADER_LISTS = ("who", "target", "by")
POST_FIELDS = ("post", "to_post")
RECORDED = (
    "power",
    "influence",
    "apparatus",
    "affinity",
    "stance",
    "holds",
    "loyalty",
    "members",
    "faction_active",
    "cohesion",
)


def other_name(name: str) -> str:
    """A name of another alphabetical place: reversed, after a ``z``."""
    return "z" + name[::-1].replace("-", "_")


def renamed(scenario: Scenario) -> tuple[Scenario, dict[str, str]]:
    """The scenario with every id replaced (:func:`other_name`), and the map old -> new."""
    leaders = {leader.id: other_name(leader.id) for leader in scenario.leaders}
    posts = {post: other_name(post) for post in scenario.posts}
    organisations = {o.id: other_name(o.id) for o in scenario.organisations}
    factions = {faction.id: other_name(faction.id) for faction in scenario.factions}
    events = {event.id: other_name(event.id) for event in scenario.events}
    data = scenario.model_dump()
    for leader in data["leaders"]:
        leader["id"] = leaders[leader["id"]]
        leader["posts"] = [posts[p] for p in leader["posts"]]
        leader["barred_from"] = [posts[p] for p in leader["barred_from"]]
        if leader["patron"]:
            leader["patron"] = leaders[leader["patron"]]
        if leader["organisation"]:
            leader["organisation"] = organisations[leader["organisation"]]
    data["posts"] = {
        posts[name]: {
            **post,
            "succession": [posts[p] for p in post["succession"]],
            "promoted_from": [posts[p] for p in post["promoted_from"]],
            "deputy_to": posts[post["deputy_to"]] if post["deputy_to"] else None,
            "appoints_in": post["appoints_in"]
            if post["appoints_in"] == "all"
            else [organisations[o] for o in post["appoints_in"]],
        }
        for name, post in data["posts"].items()
    }
    data["default_succession"] = [posts[p] for p in data["default_succession"]]
    if data["arbiter"]:
        data["arbiter"] = leaders[data["arbiter"]]
    for organisation in data["organisations"]:
        organisation["id"] = organisations[organisation["id"]]
        if organisation["head_post"]:
            organisation["head_post"] = posts[organisation["head_post"]]
        if organisation["loyalty"]:
            organisation["loyalty"] = {leaders[k]: v for k, v in organisation["loyalty"].items()}
    for faction in data["factions"]:
        faction["id"] = factions[faction["id"]]
        faction["members"] = [leaders[m] for m in faction["members"]]
    for event in data["events"]:
        event["id"] = events[event["id"]]
        for field in LEADER_LISTS:
            event[field] = [leaders[x] for x in event[field]]
        for field in POST_FIELDS:
            if event[field]:
                event[field] = posts[event[field]]
        if event["organisation"]:
            event["organisation"] = organisations[event["organisation"]]
        if event["faction"]:
            event["faction"] = factions[event["faction"]]
        if event["beneficiary"]:
            event["beneficiary"] = leaders[event["beneficiary"]]
        for field in ("influence", "stance"):
            event[field] = {leaders[k]: v for k, v in event[field].items()}
        event["blame"] = {posts[k]: v for k, v in event["blame"].items()}
        event["protection"] = {organisations[k]: v for k, v in event["protection"].items()}
    names = {**leaders, **posts, **organisations, **factions, **events}
    return Scenario.model_validate(data), names


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "mode", "free_from"),
    [
        (1, Mode.FREE, None),
        (2, Mode.FREE, None),
        (3, Mode.FREE, None),
        (4, Mode.REPLAY, None),
        (5, Mode.REPLAY, "1924-01"),
    ],
)
def test_renaming_every_id_changes_only_the_names(baseline, seed, mode, free_from):
    if free_from:  # a branch: history replayed to 1924-01, the leaders deciding from it
        baseline = baseline.model_copy(update={"free_from": Month.parse(free_from)})
    other, names = renamed(baseline)
    ours = run_model(baseline, seed, mode)
    theirs = run_model(other, seed, mode)
    for array in RECORDED:
        np.testing.assert_array_equal(
            getattr(ours.recorder, array), getattr(theirs.recorder, array), err_msg=array
        )

    def mapped(value: str) -> str:  # "a;b", and a decision's "appointment-POST"
        return "".join(names.get(part, part) for part in re.split(r"([;-])", value))

    expected = [
        (row.date, mapped(row.event_id), row.type, mapped(row.actor), mapped(row.post), row.origin)
        for row in ours.event_log
    ]
    got = [
        (row.date, row.event_id, row.type, row.actor, row.post, row.origin)
        for row in theirs.event_log
    ]
    assert got == expected
    if mode is Mode.FREE or free_from:
        assert len([row for row in ours.event_log if row.origin == "model"]) > 20
