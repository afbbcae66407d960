"""Capacity: beds needed against beds planned, winter occupancy, and NHS England's bed test."""

from openstp.beds.api import BedsResult, beds
from openstp.beds.demand_management import bed_day_reduction
from openstp.beds.occupancy import (
    beds_required,
    day_types,
    full_risk,
    occupancy_measures,
    weekly_profile,
)

__all__ = ["BedsResult", "bed_day_reduction", "beds", "beds_required", "day_types", "full_risk",
           "occupancy_measures", "weekly_profile"]
