"""The leaders and posts of several compared scenarios on one roll, to name them by.

A comparison's metrics and paths carry the ids of every scenario compared, and an
alternative may have leaders or posts the base lacks (a leader renamed, ``koba`` for
``stalin``; an office created). Labels read from the base alone showed such a leader as a
bare id and left his post's name out.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulation.scenario.schema import Scenario


def joint_roll(base: Scenario, alternatives: Iterable[Scenario]) -> Scenario:
    """``base`` with the leaders and posts only the ``alternatives`` have, after its own.

    For names and colours only: its period, events and parameters are the base's, and
    where two scenarios share an id the base's leader or post is the one named. The base's
    leaders keep their places, so their colours are those of every other figure.
    """
    leaders = {leader.id: leader for leader in base.leaders}
    posts = dict(base.posts)
    for alternative in alternatives:
        for leader in alternative.leaders:
            leaders.setdefault(leader.id, leader)
        for post_id, post in alternative.posts.items():
            posts.setdefault(post_id, post)
    return base.model_copy(update={"leaders": list(leaders.values()), "posts": posts})
