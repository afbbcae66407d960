"""Write YAML that ``openstp.safeyaml`` reads back to the same values, through libyaml.

Plans are written as people write them: money by year on one line (``FlowMap``), short lists on
one line (``FlowList``), long text as a ``|`` block (``Literal``); any text YAML 1.1 or 1.2 would
read as something else (``yes``, ``1e3``) is quoted.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.cyaml import CEmitter  # libyaml, which PyYAML wheels ship

from openstp.safeyaml import _CORE, _Resolver


class FlowMap(dict):
    """A mapping written on one line: ``{2016/17: 1000, 2017/18: 2000}``."""


class FlowList(list):
    """A list written on one line: ``[a, b]``."""


class Literal(str):
    """Text written as a ``|`` block, line by line as it is."""


class _QuotingResolver(_Resolver):
    """Quote any text that YAML 1.1 *or* 1.2 would read as something else (``yes``, ``1e3``)."""


for _first, _pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
    for _tag, _regexp in _pairs:
        _QuotingResolver.add_implicit_resolver(_tag, _regexp, [_first])


class _Dumper(CEmitter, yaml.representer.SafeRepresenter, _QuotingResolver):
    """libyaml's emitter with the safe representers and both YAML versions' quoting."""

    def __init__(self, stream: Any, **kwargs: Any):
        CEmitter.__init__(self, stream, width=kwargs.get("width"), allow_unicode=True,
                          indent=2, line_break=None)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False,
                                                  sort_keys=False)
        _QuotingResolver.__init__(self)


_Dumper.add_representer(FlowMap, lambda d, v: d.represent_mapping(
    f"{_CORE}map", v.items(), flow_style=True))
_Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence(
    f"{_CORE}seq", v, flow_style=True))
_Dumper.add_representer(Literal, lambda d, v: d.represent_scalar(f"{_CORE}str", str(v),
                                                                 style="|"))


def dump_yaml(data: Any, width: int = 120) -> str:
    """``data`` (plain dicts, lists, scalars and the wrappers above) as YAML text that
    ``load_yaml`` reads back to the same values, written by libyaml."""
    return yaml.dump(data, Dumper=_Dumper, width=width)
