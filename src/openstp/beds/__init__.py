"""Capacity: beds needed against beds planned, winter occupancy, and NHS England's bed test."""

from openstp.beds.api import BedsResult, beds
from openstp.beds.demand_management import bed_day_reduction
from openstp.beds.occupancy import beds_required, full_risk, simulate_days, weekly_profile

__all__ = ["BedsResult", "bed_day_reduction", "beds", "beds_required", "full_risk", "simulate_days", "weekly_profile"]
