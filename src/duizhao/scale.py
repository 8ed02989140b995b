"""The batch pipeline's former name: `duizhao.batch` is the package now. Kept as an alias for one release."""
from __future__ import annotations

from .batch import *  # noqa: F403
from .batch import __all__ as __all__
