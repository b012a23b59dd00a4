"""Static inline SVG charts of the dataset, built at build time with no JavaScript.

Each chart is returned as a :class:`Chart`: the ``<svg>`` element plus an equivalent
data table and notes, all localized. Colours come from CSS classes defined in
``templates/static/css/charts.css`` (the pages' Content-Security-Policy forbids
inline styles), and every string taken from the data is escaped here, in one place.
"""

from ..data.dataset import Dataset
from .archetypes import archetype_chart
from .base import LANGS, Chart, message_keys
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


def all_charts(ds: Dataset, lang: str) -> list[Chart]:
    """The five cross-country charts, in the order the comparison page shows them."""
    return [
        funding_chart(ds, lang),
        compute_chart(ds, lang),
        models_chart(ds, lang),
        timeline_chart(ds, lang),
        archetype_chart(ds, lang),
    ]
