"""No rule names a leader or a post: renaming every id changes nothing but the names.

The baseline's leaders become ``l0, l1, ...`` and its posts ``p0, p1, ...`` (same order),
in every place a scenario names them; a free run with the same seed must give the same
numbers and the same logs, up to the names. A rule that read ``"stalin"`` or
``"politburo"`` (as the default succession once did) fails this test.
"""

import numpy as np
import pytest

from simulation.experiments.runs import run_model
from simulation.model import Mode
from simulation.scenario import Scenario

LEADER_LISTS = ("who", "target", "by")
POST_FIELDS = ("post", "to_post")


def renamed(scenario: Scenario) -> tuple[Scenario, dict[str, str]]:
    """The scenario with every leader and post id replaced, and the map old -> new."""
    leaders = {leader.id: f"l{i}" for i, leader in enumerate(scenario.leaders)}
    posts = {post: f"p{i}" for i, post in enumerate(scenario.posts)}
    data = scenario.model_dump()
    for leader in data["leaders"]:
        leader["id"] = leaders[leader["id"]]
        leader["posts"] = [posts[p] for p in leader["posts"]]
        leader["barred_from"] = [posts[p] for p in leader["barred_from"]]
        if leader["patron"]:
            leader["patron"] = leaders[leader["patron"]]
    data["posts"] = {
        posts[name]: {
            **post,
            "succession": [posts[p] for p in post["succession"]],
            "promoted_from": [posts[p] for p in post["promoted_from"]],
            "deputy_to": posts[post["deputy_to"]] if post["deputy_to"] else None,
        }
        for name, post in data["posts"].items()
    }
    data["default_succession"] = [posts[p] for p in data["default_succession"]]
    if data["arbiter"]:
        data["arbiter"] = leaders[data["arbiter"]]
    for organisation in data["organisations"]:
        if organisation["head_post"]:
            organisation["head_post"] = posts[organisation["head_post"]]
        if organisation["loyalty"]:
            organisation["loyalty"] = {leaders[k]: v for k, v in organisation["loyalty"].items()}
    for faction in data["factions"]:
        faction["members"] = [leaders[m] for m in faction["members"]]
    for event in data["events"]:
        for field in LEADER_LISTS:
            event[field] = [leaders[x] for x in event[field]]
        for field in POST_FIELDS:
            if event[field]:
                event[field] = posts[event[field]]
        if event["beneficiary"]:
            event["beneficiary"] = leaders[event["beneficiary"]]
        for field in ("influence", "stance"):
            event[field] = {leaders[k]: v for k, v in event[field].items()}
        event["blame"] = {posts[k]: v for k, v in event["blame"].items()}
    return Scenario.model_validate(data), {**leaders, **posts}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_renaming_every_leader_and_post_changes_only_the_names(baseline, seed):
    other, names = renamed(baseline)
    ours = run_model(baseline, seed, Mode.FREE)
    theirs = run_model(other, seed, Mode.FREE)
    for array in ("power", "influence", "apparatus", "affinity", "stance", "holds"):
        np.testing.assert_array_equal(
            getattr(ours.recorder, array), getattr(theirs.recorder, array), err_msg=array
        )

    def mapped(value: str) -> str:
        return ";".join(names.get(part, part) for part in value.split(";"))

    expected = [
        (row.date, row.type, mapped(row.actor), mapped(row.post), row.origin)
        for row in ours.event_log
    ]
    got = [(row.date, row.type, row.actor, row.post, row.origin) for row in theirs.event_log]
    assert got == expected
    assert len([row for row in ours.event_log if row.origin == "model"]) > 20
