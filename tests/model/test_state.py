import dataclasses

import numpy as np
import pytest
from conftest import SEED
from numba import njit

from calibration.evaluate import with_parameters
from simulation.model import Mode, PartyModel
from simulation.model.initial_state import build_initial_state, initial_state, scenario_frame
from simulation.model.parameters import Parameter
from simulation.model.state import RECORDED, STATE, Role


def _model_arrays(model):
    return {array.name: getattr(model, array.name) for array in STATE}


@pytest.mark.parametrize("mode", [Mode.REPLAY, Mode.FREE])
def test_no_state_array_is_rebound_during_a_run(baseline, mode):
    """Rebinding an array in Python would fork the state that compiled code updates."""
    model = PartyModel(baseline, seed=SEED, mode=mode)
    before = _model_arrays(model)
    model.run()
    rebound = [name for name, value in _model_arrays(model).items() if value is not before[name]]
    assert rebound == []


def test_compiled_code_sees_the_models_own_arrays_to_the_end_of_a_run(baseline):
    model = PartyModel(baseline, seed=1, mode=Mode.FREE)
    model.run()
    names = [array.name for array in STATE if array.shape]
    source = f"def read(state):\n    return ({', '.join(f'state.{name}' for name in names)},)"
    namespace = {}
    exec(source, namespace)
    compiled_view = njit(namespace["read"])(model.state)
    for name, seen in zip(names, compiled_view, strict=True):
        assert np.shares_memory(seen, getattr(model, name)), name


def test_a_rebound_array_is_detected(small_scenario):
    """The check above can fail: a rebound array is no longer the one compiled code writes."""
    model = PartyModel(small_scenario, seed=SEED)
    model.influence = model.influence.copy()
    read = njit(lambda state: state.influence)
    assert not np.shares_memory(read(model.state), model.influence)


def test_runs_share_the_scenarios_arrays_only_read_only(baseline):
    """A run that wrote into the shared starting arrays would change every later run."""
    first = PartyModel(baseline, seed=1, mode=Mode.FREE)
    second = PartyModel(baseline, seed=2, mode=Mode.FREE)
    for array in STATE:
        mine, theirs = getattr(first, array.name), getattr(second, array.name)
        if not isinstance(mine, np.ndarray):
            continue
        shared = np.shares_memory(mine, theirs)
        assert shared == (array.role is Role.SHARED and mine.size > 0), array.name
        if shared:
            assert not mine.flags.writeable, array.name


def test_every_array_has_its_declared_type_and_shape(baseline):
    model = PartyModel(baseline, seed=SEED)
    sizes = {
        "leaders": len(baseline.leaders),
        "posts": len(baseline.posts),
        "organisations": len(baseline.organisations),
        "factions": len(baseline.factions),
        "months": model.months,
        "parameters": len(Parameter),
    }
    for array in STATE:
        value = getattr(model, array.name)
        if not array.shape:
            assert isinstance(value, int), array.name
            continue
        assert value.dtype == array.dtype, array.name
        for dim, size in zip(array.shape, value.shape, strict=True):
            assert size == (sizes.get(dim, size) if isinstance(dim, str) else dim), array.name


def test_the_recorder_keeps_every_recorded_array_month_by_month(small_scenario):
    model = PartyModel(small_scenario, seed=SEED)
    model.run()
    for array in RECORDED:
        by_month = getattr(model.recorder, array.name)
        assert by_month.shape == (model.months, *getattr(model, array.name).shape)
        np.testing.assert_array_equal(by_month[-1], getattr(model, array.name), array.name)


def test_an_initial_state_missing_a_declared_array_is_refused(small_scenario):
    start = build_initial_state(small_scenario, free_from=0)
    arrays = {name: value for name, value in start.arrays.items() if name != "loyalty"}
    with pytest.raises(ValueError, match="the declaration expects"):
        dataclasses.replace(start, arrays=arrays)


def test_the_runs_of_a_plan_are_gathered_by_one_machine_code_into_their_own_arrays(baseline):
    first = PartyModel(baseline, seed=1, mode=Mode.FREE)
    second = PartyModel(baseline, seed=2, mode=Mode.FREE)
    assert first.plan is second.plan and list(first.plan.gathering) == ["state"]
    read = njit(lambda state: state.influence)
    assert np.shares_memory(read(first.state), first.influence)
    assert np.shares_memory(read(second.state), second.influence)
    assert not np.shares_memory(first.influence, second.influence)


def test_no_class_attribute_of_the_model_bears_a_state_arrays_name():
    """A run's arrays are written into the model's ``__dict__``, which a property would hide."""
    names = {array.name for array in STATE} | {"recorded_numbers", "recorded_flags"}
    assert names.isdisjoint(dir(PartyModel))


def test_a_scenario_with_other_parameters_starts_from_the_same_frame_as_if_built_anew(baseline):
    """A posterior's particles share the events and indices; their own arrays are theirs."""
    drawn = with_parameters(baseline, {"stance_weight": 0.37, "client_weight": 0.61})
    assert scenario_frame(drawn, 0) is scenario_frame(baseline, 0)
    start, fresh = initial_state(drawn, 0), build_initial_state(drawn, 0)
    assert start.plan.gathering is initial_state(baseline, 0).plan.gathering
    logged = {k: [event.log_row for event in events] for k, events in fresh.events_by_step.items()}
    assert {k: [event.log_row for event in v] for k, v in start.events_by_step.items()} == logged
    for name, value in fresh.arrays.items():
        np.testing.assert_array_equal(start.arrays[name], value, name)
    assert not np.array_equal(
        start.arrays["affinity"], initial_state(baseline, 0).arrays["affinity"]
    )
