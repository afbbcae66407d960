"""England's health geography as built-in reference data: footprints, organisations, small areas,
hospital sites, population projections and NHS cost curves, and for today's ICBs weighted
populations and beds (sources in ``manifest.yaml``)."""

from openstp.data.geography import footprint_organisations, footprint_summary, resolve_footprint
from openstp.data.icb import (
    icb_beds,
    sector_need_growth,
    weighted_population_growth,
    weighted_populations,
)
from openstp.data.models import Footprint, Organisation, OrganisationKind
from openstp.data.reference import (
    AGES,
    FOOTPRINT_SETS,
    POPULATION_YEARS,
    ReferenceDataError,
    check_footprint_set,
    columns,
    footprint_population,
    footprints,
    lsoa_population,
    lsoas,
    manifest,
    organisations,
    records,
    table,
)

__all__ = [
    "AGES",
    "FOOTPRINT_SETS",
    "POPULATION_YEARS",
    "Footprint",
    "Organisation",
    "OrganisationKind",
    "ReferenceDataError",
    "check_footprint_set",
    "columns",
    "footprint_organisations",
    "footprint_population",
    "footprint_summary",
    "footprints",
    "icb_beds",
    "lsoa_population",
    "lsoas",
    "manifest",
    "organisations",
    "records",
    "resolve_footprint",
    "sector_need_growth",
    "table",
    "weighted_population_growth",
    "weighted_populations",
]
