"""Finding a hospital site by code, postcode or name, in the built-in tables or a user's own.

One matcher for every caller: the plan checks (which must start fast, so no pandas) and the
access model (which passes its site table's columns).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openstp.errors import UnknownCodeError, problem

Columns = Mapping[str, Sequence[object]]
"""A site table as columns: ``site_id`` and ``name``; ``site_code`` and ``postcode`` optional."""


def postcode_key(value: object) -> str:
    """A postcode compared without spaces and in upper case ('' when missing)."""
    return str(value).upper().replace(" ", "") if isinstance(value, str) else ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def match_site(query: str, sites: Columns, field: str = "site") -> int:
    """Row of ``sites`` named by ``query``: a site id or ODS code, a postcode, or a unique name
    fragment. Unknown or ambiguous queries are one-line errors naming the candidates."""
    q = query.strip()
    for col in ("site_id", "site_code"):
        hit = [i for i, v in enumerate(sites.get(col, ())) if _text(v).upper() == q.upper()]
        if len(hit) == 1:
            return hit[0]
    key = q.upper().replace(" ", "")
    hit = [i for i, v in enumerate(sites.get("postcode", ())) if key and postcode_key(v) == key]
    if len(hit) == 1:
        return hit[0]
    names = sites["name"]
    hit = [i for i, v in enumerate(names) if q.casefold() in _text(v).casefold()]
    if len(hit) == 1:
        return hit[0]
    if not hit:
        msg = f"no site matches {query!r}; give a site code (e.g. RWY02), a postcode or a name"
    else:
        listed = "; ".join(f"{sites['site_id'][i]} {names[i]}" for i in hit[:5])
        msg = f"{query!r} matches {len(hit)} sites: {listed}{'; …' if len(hit) > 5 else ''}"
    raise UnknownCodeError([problem(field, msg, field=field)])
