"""Static inline SVG charts of the dataset, built at build time with no JavaScript.

Each chart is returned as a :class:`Chart`: the ``<svg>`` element plus an equivalent
data table and notes, all localized. Colours come from CSS classes defined in
``templates/static/css/charts.css`` (the pages' Content-Security-Policy forbids
inline styles), and every string taken from the data is escaped here, in one place.
"""

from collections.abc import Callable
from typing import Any

from ..data.dataset import Dataset
from .archetypes import archetype_chart
from .base import LANGS, Chart, _style_index, message_keys
from .compute import compute_chart
from .funding import funding_chart
from .indicator import indicator_chart
from .models import models_chart
from .timeline import timeline_chart

__all__ = [
    "LANGS",
    "Chart",
    "all_charts",
    "archetype_chart",
    "compute_chart",
    "funding_chart",
    "indicator_chart",
    "message_keys",
    "models_chart",
    "timeline_chart",
]


#: The five cross-country charts, in the order the comparison page shows them, and what each
#: reads of a country besides its code and names (every chart also reads the palette slots,
#: which rank countries by funding, the dataset's date, the exchange rates and the dimensions).
_CROSS_COUNTRY: tuple[tuple[Callable[[Dataset, str], Chart], tuple[str, ...]], ...] = (
    (funding_chart, ("funding",)),
    (compute_chart, ("compute",)),
    (models_chart, ("models",)),
    (timeline_chart, ("timeline",)),
    (archetype_chart, ("archetype",)),
)


def all_charts(ds: Dataset, lang: str, memo: dict[str, Any] | None = None, drawn: dict[str, Chart] | None = None) -> list[Chart]:
    """The five cross-country charts, in the order the comparison page shows them.

    ``memo`` (``serve``'s memory, kept between rebuilds): a chart is drawn again
    only when something it reads changed. After an edit to one country's
    compute table, say, only the compute chart is redrawn (and every chart,
    if the edit moved a country's palette slot). ``drawn`` collects the charts
    drawn anew, for a forked child to hand back (see ``adopt``).
    """
    result = []
    for make, reads in _CROSS_COUNTRY:
        if memo is None:
            result.append(make(ds, lang))
            continue
        name = f"chart/{make.__name__}/{lang}"
        before = memo.get(name)
        if before is None or not _same_inputs(before[0], _inputs(ds), reads):
            before = memo[name] = (_inputs(ds), make(ds, lang))
            if drawn is not None:
                drawn[name] = before[1]
        result.append(before[1])
    return result


def adopt(memo: dict[str, Any], ds: Dataset, drawn: dict[str, Chart]) -> None:
    """Remember charts a forked child drew for ``ds``, as if drawn here (the child's memory ends with it)."""
    for name, chart in drawn.items():
        memo[name] = (_inputs(ds), chart)


def _inputs(ds: Dataset) -> tuple[Any, ...]:
    return (list(ds.countries), dict(_style_index(ds)), ds.as_of, ds.fx, ds.dimensions)


def _same_inputs(old: tuple[Any, ...], new: tuple[Any, ...], reads: tuple[str, ...]) -> bool:
    (old_countries, *old_rest), (new_countries, *new_rest) = old, new
    if len(old_countries) != len(new_countries) or old_rest != new_rest:
        return False
    # An unchanged country is the very same object between rebuilds (see resolve_dataset): only an edited one is compared.
    return all(
        a is b or (a.code == b.code and a.names == b.names and all(getattr(a, f) == getattr(b, f) for f in reads))
        for a, b in zip(old_countries, new_countries, strict=True)
    )
