"""The base of every scenario model: immutable, and strict about field names."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base of every scenario model: immutable and strict about field names."""

    model_config = ConfigDict(frozen=True, extra="forbid")
