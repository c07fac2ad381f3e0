"""The order of execution of a definition's steps: every step after the steps it refers to;
a cycle is a DefinitionError naming it."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterator, Mapping

from .errors import DefinitionError
from .model import (
    PARTICIPANTS,
    Floor,
    Step,
    StepAmount,
    StepKey,
)

# --- parsing ----------------------------------------------------------------------------------


# --- order of execution -----------------------------------------------------------------------


def _references(value: object) -> Iterator[tuple[str, str]]:
    """Every (step id, path) that an amount or key refers to."""
    if isinstance(value, StepAmount | StepKey):
        yield value.step, value.path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _references(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _references(item)


def execution_order(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Order the steps so that each comes after the steps it refers to (stable otherwise).

    A floor applies to the totals so far: it stays after every participant step listed before
    it and before every one listed after it.
    """
    index = {step.id: position for position, step in enumerate(steps)}
    depends: dict[str, dict[str, str]] = {step.id: {} for step in steps}
    for step in steps:
        for ref, path in _references(step):
            depends[step.id].setdefault(ref, path)
    for position, step in enumerate(steps):
        if isinstance(step, Floor):
            for other in steps:
                if other.level == PARTICIPANTS and other is not step:
                    before = index[other.id] < position
                    first, second = (other, step) if before else (step, other)
                    depends[second.id].setdefault(first.id, "")
    waiting = {step_id: set(refs) for step_id, refs in depends.items()}
    ready = [index[step_id] for step_id, refs in waiting.items() if not refs]
    heapq.heapify(ready)
    order = []
    while ready:
        current = steps[heapq.heappop(ready)]
        order.append(current)
        for step_id, refs in waiting.items():
            if current.id in refs:
                refs.discard(current.id)
                if not refs:
                    heapq.heappush(ready, index[step_id])
    if len(order) < len(steps):
        cycle = _find_cycle({k: v for k, v in depends.items() if waiting[k]})
        path = depends[cycle[0]].get(cycle[1]) or steps[index[cycle[0]]].path
        chain = " → ".join(f"'{step_id}'" for step_id in cycle)
        raise DefinitionError(f"kringverwijzing tussen stappen: {chain}", path)
    return tuple(order)


def _find_cycle(depends: Mapping[str, Mapping[str, str]]) -> list[str]:
    start = next(iter(depends))
    trail = [start]
    while True:
        following = next(ref for ref in depends[trail[-1]] if ref in depends)
        if following in trail:
            return [*trail[trail.index(following) :], following]
        trail.append(following)
