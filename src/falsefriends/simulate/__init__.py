"""Synthetic worlds with known ground truth: organisations (LinkedIn exports) and platform networks (Parquet).

Real staff data cannot ship with the project, so the demo, tests, benchmarks and evaluations run on
worlds built here. `build_organisation` + `write_organisation` make an organisation;
`write_network` streams a platform-scale network as Parquet.
"""

from __future__ import annotations

from falsefriends.simulate.organisation import OrganisationWorld, build_organisation
from falsefriends.simulate.organisation_writer import ROSTER_COLUMNS, write_organisation

__all__ = ["ROSTER_COLUMNS", "OrganisationWorld", "build_organisation", "write_organisation"]
