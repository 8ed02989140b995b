"""Bilingual term pairs (people, places, organisations, recurring terms) from aligned text.

`extract(alignments)` finds Chinese name and term candidates (jieba's nr/ns/nt/nz tags, recurring
multi-character words), English candidates (capitalised spans, recurring n-grams), and pairs them across links
by co-occurrence (Dice), confirmed by CC-CEDICT renderings or by transliteration (布林肯 ↔ Blinken: the pinyin
"bulinken" is one edit from "blinken"). A pair needs that confirmation, or strong co-occurrence on several links,
so that common words never pair with each other by chance.

Name look-ups (CC-CEDICT renderings, pinyin, jieba's name tags) live in `duizhao.names`.
"""
from __future__ import annotations

from .extractor import extract
from .model import FORMATS, Term
from .output import dumps, write

__all__ = ["FORMATS", "Term", "dumps", "extract", "write"]
