"""What one sync run needs to know about the connection: flows, level, mappings, limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.sync.store import DEFAULT_OVERLAP_S

if TYPE_CHECKING:
    from wizard.connection.profile import Profile

MIN_BATCH = 50  # records per push request: fewer wastes Intacct's per-request cost
# No maximum is documented; 100 keeps a request well under the gateway's timeouts.
MAX_BATCH = 100


@dataclass(frozen=True)
class SyncSettings:
    flows: tuple[str, ...]  # data-flow ids (resources/sync/flows.toml)
    entity_id: str = ""  # "" = the top level
    default_location: str = ""
    default_department: str = ""
    # integration dimension -> Intacct field on a line (user-defined dimensions, e.g.
    # "channel" -> "GLDIMCHANNEL")
    dimensions: Mapping[str, str] = field(default_factory=dict)
    # integration header field -> Intacct custom field (e.g. "sync_ref" -> "SYNC_REF")
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = MAX_BATCH
    concurrency: int = 2  # the company's limit on requests in flight at once
    overlap_s: int = DEFAULT_OVERLAP_S

    def __post_init__(self) -> None:
        if not MIN_BATCH <= self.batch_size <= MAX_BATCH:
            raise ValueError(
                f"Push batches hold {MIN_BATCH} to {MAX_BATCH} records; got {self.batch_size}."
            )
        if self.concurrency < 1:
            raise ValueError("The sync needs at least one request in flight (concurrency 1).")

    @property
    def top_level(self) -> bool:
        return not self.entity_id

    @classmethod
    def from_profile(cls, profile: Profile, default_flows: tuple[str, ...]) -> SyncSettings:
        mappings = profile.mappings
        return cls(
            flows=mappings.flows or default_flows,
            entity_id=profile.entity_id,
            default_location=mappings.default_location,
            default_department=mappings.default_department,
            dimensions=mappings.dimension_map(),
            custom_fields=mappings.custom_field_map(),
            # The profile's batch size is the read page size; pushes use 50..100 a request.
            batch_size=min(max(profile.sync.batch_size, MIN_BATCH), MAX_BATCH),
            concurrency=profile.sync.concurrency,
        )
