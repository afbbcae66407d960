"""The services whose location access measures, and who uses each (the weights of every average).

A service's users are the people a journey matters to: for an emergency department, residents
weighted by how much emergency hospital care people of their age and deprivation use (the York
inpatient spend curve, as the bed model uses; an 85-year-old counts several times a 30-year-old);
births for maternity and neonatal care; people aged 65 and over for stroke (most strokes happen
after 65). These are definitions of the population at risk, not tunable numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from openstp.errors import OpenSTPError, problem


@dataclass(frozen=True)
class ServiceInfo:
    """One service: its flag column in the site table, its users and a label for people."""

    name: str
    label: str
    users: str
    users_label: str
    mortality: bool = False  # the emergency distance-mortality gradient applies


SERVICES: dict[str, ServiceInfo] = {
    "ed": ServiceInfo("ed", "emergency department (type 1 A&E)", "ed_users",
                      "residents weighted by hospital use for their age and deprivation",
                      mortality=True),
    "maternity": ServiceInfo("maternity", "obstetric maternity unit", "births", "births a year"),
    "neonatal": ServiceInfo("neonatal", "neonatal unit", "births", "births a year"),
    "stroke": ServiceInfo("stroke", "acute stroke unit", "persons_65plus", "residents aged 65+"),
    "thrombectomy": ServiceInfo("thrombectomy", "thrombectomy (mechanical clot removal) centre",
                                "persons_65plus", "residents aged 65+"),
}
"""Services by name; ``ed``, ``maternity``, ``neonatal`` and ``stroke`` match plan files."""


def service_info(name: str) -> ServiceInfo:
    """The service called ``name``, or a one-line error listing the known ones."""
    try:
        return SERVICES[name]
    except KeyError:
        raise OpenSTPError([problem("--service", f"unknown service {name!r}; choose one of "
                                    f"{', '.join(SERVICES)}", field="service")]) from None
