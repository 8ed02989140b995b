"""Bounded work: `duizhao align` on adversarial inputs built from the example page, each in a child process.

    .venv/bin/python benchmarks/bounds_bench.py [--only NAME,...] [--timeout 900] [--out FILE]

Every input is made here from REAL text (`examples/readout.txt`, sliced, repeated, nested): an HTML bomb,
deep nesting, huge attributes, a 90 KB run of one Han character, a million short lines, one 5 MB line, mixed
script, big InterText, XLIFF, SRT, EPUB and DOCX, broken encodings, a FIFO, /dev/zero, XXE and billion laughs.
Each runs as `duizhao align INPUT --fast -o OUT.jsonl` (and a few with the default encoder, to show that a
limit refuses before any sentence is encoded). For each: wall time per KB against the example page's in the
same run, peak RSS of the child (`resource.getrusage(RUSAGE_CHILDREN)` in a fresh grandchild per input, so
one input's peak does not hide the next), the exit code, whether stderr is one line, and whether an output
file was left behind when the run was refused. The target (issue 17): no input under the size limit takes
more than 10x the example page's time per KB, or more than 2 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGE = (ROOT / "examples" / "readout.txt").read_text(encoding="utf-8")


def _paragraphs() -> tuple[list[str], list[str]]:
    """The example page's Chinese and English paragraphs (its blocks: Chinese first, English after)."""
    blocks = [b.strip() for b in PAGE.split("\n\n") if b.strip()]
    zh = [b for b in blocks if sum("\u4e00" <= c <= "\u9fff" for c in b) > len(b) // 4]
    en = [b for b in blocks if b not in zh]
    return zh, en


ZH, EN = _paragraphs()
ZH_TEXT = "".join(ZH).replace("\n", "")
EN_TEXT = " ".join(EN)


def _repeat(items: list[str], count: int) -> list[str]:
    return [items[i % len(items)] for i in range(count)]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- the inputs: each writes one file (or more) into `folder` and returns the align arguments ----------

Make = Callable[[Path], list[str]]


def _zh_piece(i: int, length: int = 12) -> str:
    """A distinct slice of the page's Chinese for each i: two windows at offsets that walk at different rates."""
    n = len(ZH_TEXT) - length
    a, b = i % n, (i // n * 37 + i) % n
    return ZH_TEXT[a:a + length // 2] + ZH_TEXT[b:b + length - length // 2]


_EN_WORDS = EN_TEXT.split()


def _en_piece(i: int, words: int = 6) -> str:
    n = len(_EN_WORDS) - words
    a, b = i % n, (i // n * 37 + i) % n
    return " ".join(_EN_WORDS[a:a + words // 2] + _EN_WORDS[b:b + words - words // 2])


def html_bomb(paragraphs: int) -> Make:
    def make(folder: Path) -> list[str]:
        # Many tiny paragraphs, each distinct (repeated lines would be dropped as page chrome): slices of the page.
        body = "".join(f"<p>{_esc(_zh_piece(i))}</p><p>{_esc(_en_piece(i))}</p>\n" for i in range(paragraphs // 2))
        path = folder / "bomb.html"
        path.write_text(f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>", encoding="utf-8")
        return [str(path)]
    return make


def html_deep(depth: int) -> Make:
    def make(folder: Path) -> list[str]:
        inner = "".join(f"<p>{_esc(p)}</p>" for p in ZH + EN)
        path = folder / "deep.html"
        path.write_text("<!DOCTYPE html><html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>",
                        encoding="utf-8")
        return [str(path)]
    return make


def html_attributes(size: int) -> Make:
    def make(folder: Path) -> list[str]:
        attr = _esc(EN_TEXT * (size // len(EN_TEXT) + 1))[:size]
        body = "".join(f'<p data-x="{attr}">{_esc(p)}</p>' for p in ZH + EN)
        path = folder / "attributes.html"
        path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
        return [str(path)]
    return make


def text_file(name: str, build: Callable[[], str], encoding: str = "utf-8") -> Make:
    def make(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(build().encode(encoding))
        return [str(path)]
    return make


def han_run() -> str:  # 90 KB: one Han character of the page 30,000 times, then as many English words
    return "中" * 30_000 + "。\n\n" + " ".join(_repeat(_EN_WORDS, 20_000)) + ".\n"


def short_lines(count: int) -> Callable[[], str]:
    def build() -> str:
        zh_words = [ZH_TEXT[i:i + 2] for i in range(0, len(ZH_TEXT) - 2, 2) if ZH_TEXT[i:i + 2].strip()]
        en_words = EN_TEXT.split()
        return "".join(f"{zh_words[i % len(zh_words)]}\n{en_words[i % len(en_words)]}\n" for i in range(count // 2))
    return build


def one_line(size: int) -> Callable[[], str]:
    def build() -> str:
        zh = "".join(c for c in ZH_TEXT if c not in "。，、；：！？,.;:!?()（）")
        en = "".join(c for c in EN_TEXT if c not in ".,;:!?()\n")
        half = size // 2
        return (zh * (half // (3 * len(zh)) + 1))[: half // 3] + " " + (en * (half // len(en) + 1))[:half] + "\n"
    return build


def mixed_script(size: int) -> Callable[[], str]:
    def build() -> str:
        words = EN_TEXT.split()
        out: list[str] = []
        length = i = 0
        while length < size:
            piece = ZH_TEXT[(i * 7) % (len(ZH_TEXT) - 8):][:8] + " ".join(_repeat(words[i % len(words):], 4)) + " "
            out.append(piece)
            length += len(piece.encode())
            i += 1
        return "".join(out) + "\n"
    return build


def page_repeated(times: int) -> Callable[[], str]:
    return lambda: "\n\n".join(ZH * times) + "\n\n" + "\n\n".join(EN * times) + "\n"


def intertext(sentences: int) -> Make:
    def make(folder: Path) -> list[str]:
        paths = []
        for lang, text in (("zh", ZH), ("en", EN)):
            body = "".join(f'<p><s id="{i // 10 + 1}:{i % 10 + 1}">{_esc(s)}</s></p>\n'
                           for i, s in enumerate(_repeat(text, sentences)))
            path = folder / f"big_{lang}.xml"
            path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<text>\n{body}</text>\n', encoding="utf-8")
            paths.append(str(path))
        return ["--zh-xml", paths[0], "--en-xml", paths[1]]
    return make


def xliff(units: int) -> Make:
    def make(folder: Path) -> list[str]:
        body = "".join(f'<trans-unit id="{i}"><source>{_esc(z)}</source><target>{_esc(e)}</target></trans-unit>\n'
                       for i, (z, e) in enumerate(zip(_repeat(ZH, units), _repeat(EN, units), strict=True)))
        path = folder / "big.xlf"
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<xliff version="1.2" '
                        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="zh-CN" '
                        f'target-language="en" datatype="plaintext" original="x"><body>\n{body}</body></file></xliff>\n',
                        encoding="utf-8")
        return [str(path)]
    return make


def tmx(units: int) -> Make:
    def make(folder: Path) -> list[str]:
        body = "".join(f'<tu><tuv xml:lang="zh-CN"><seg>{_esc(z)}</seg></tuv><tuv xml:lang="en"><seg>{_esc(e)}</seg></tuv></tu>\n'
                       for z, e in zip(_repeat(ZH, units), _repeat(EN, units), strict=True))
        path = folder / "big.tmx"
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4"><header srclang="zh-CN" '
                        f'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
                        f'creationtoolversion="1"/><body>\n{body}</body></tmx>\n', encoding="utf-8")
        return [str(path)]
    return make


def srt(cues: int) -> Make:
    def make(folder: Path) -> list[str]:
        parts = []
        for i, (z, e) in enumerate(zip(_repeat([s for p in ZH for s in p.split("。") if s], cues),
                                       _repeat([s for p in EN for s in p.split(". ") if s], cues), strict=True)):
            start = i * 2
            parts.append(f"{i + 1}\n{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d},000 --> "
                         f"{(start + 1) // 3600:02d}:{(start + 1) // 60 % 60:02d}:{(start + 1) % 60:02d},500\n"
                         f"{z[:40]}\n{e[:80]}\n")
        path = folder / "big.srt"
        path.write_text("\n".join(parts), encoding="utf-8")
        return [str(path)]
    return make


def epub(chapters: int) -> Make:
    def make(folder: Path) -> list[str]:
        from book_bench import build_epub  # benchmarks/ is on the path: this script's own folder

        paths = []
        for lang, paras in (("zh", ZH), ("en", EN)):
            path = folder / f"many_{lang}.epub"
            build_epub(path, lang, [[paras[c % len(paras)]] for c in range(chapters)], title="t")
            paths.append(str(path))
        return ["--zh", paths[0], "--en", paths[1]]
    return make


def docx(paragraphs: int) -> Make:
    def make(folder: Path) -> list[str]:
        import docx as python_docx

        document = python_docx.Document()
        for text in _repeat(ZH, paragraphs // 2) + _repeat(EN, paragraphs // 2):
            document.add_paragraph(text)
        path = folder / "many.docx"
        document.save(str(path))
        return [str(path)]
    return make


def raw(name: str, data: Callable[[], bytes]) -> Make:
    def make(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(data())
        return [str(path)]
    return make


def fifo(folder: Path) -> list[str]:
    """A named pipe whose writer never stops (the page, over and over): the size limit must end the read."""
    path = folder / "pipe"
    os.mkfifo(path)
    writer = ("import sys\ndata = open(sys.argv[2], 'rb').read()\ntry:\n    with open(sys.argv[1], 'wb') as f:\n"
              "        while True:\n            f.write(data)\nexcept (BrokenPipeError, OSError):\n    pass\n")
    # Ends by itself (a broken pipe) once the reader closes; a daemon-like child the bench does not wait for.
    subprocess.Popen([sys.executable, "-c", writer, str(path), str(ROOT / "examples" / "readout.txt")],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [str(path)]


def dev_zero(folder: Path) -> list[str]:
    return ["/dev/zero"]


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE text [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<text><p><s id="1:1">&xxe;</s></p></text>\n')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']>\n<text><p><s id="1:1">&lol9;</s></p></text>\n')


def xml_pair(name: str, text: str) -> Make:
    def make(folder: Path) -> list[str]:
        zh = folder / f"{name}_zh.xml"
        zh.write_text(text, encoding="utf-8")
        en = folder / f"{name}_en.xml"
        en.write_text('<?xml version="1.0"?>\n<text><p><s id="1:1">' + _esc(EN[0]) + "</s></p></text>\n", encoding="utf-8")
        return ["--zh-xml", str(zh), "--en-xml", str(en)]
    return make


CASES: list[tuple[str, Make, list[str]]] = [
    # name, input, extra options (--fast unless the default encoder path is what is shown)
    ("html_bomb_470k", html_bomb(470_000), ["--fast"]),
    ("html_bomb_470k_default", html_bomb(470_000), []),
    ("html_bomb_16k_accepted", html_bomb(16_000), ["--fast"]),
    ("html_deep_300", html_deep(300), ["--fast"]),
    ("html_deep_100k", html_deep(100_000), ["--fast"]),
    ("html_attributes_1mb", html_attributes(1_000_000), ["--fast"]),
    ("han_run_90kb", text_file("han.txt", han_run), ["--fast"]),
    ("short_lines_1m", text_file("lines.txt", short_lines(1_000_000)), ["--fast"]),
    ("short_lines_1m_default", text_file("lines.txt", short_lines(1_000_000)), []),
    ("one_line_5mb", text_file("line.txt", one_line(5_000_000)), ["--fast"]),
    ("mixed_script_1mb", text_file("mixed.txt", mixed_script(1_000_000)), ["--fast"]),
    ("page_x100", text_file("page100.txt", page_repeated(100)), ["--fast"]),
    ("intertext_100k", intertext(100_000), ["--fast"]),
    ("intertext_100k_default", intertext(100_000), []),
    ("xliff_100k", xliff(100_000), ["--fast"]),
    ("xliff_70k", xliff(70_000), ["--fast"]),
    ("tmx_70k_as_input", tmx(70_000), ["--fast"]),
    ("srt_100k", srt(100_000), ["--fast"]),
    ("epub_2x500_chapters", epub(500), ["--fast"]),
    ("docx_4k_paragraphs", docx(4_000), ["--fast"]),
    ("invalid_utf8", raw("bad.txt", lambda: PAGE.encode()[:5000] + b"\xff\xfe\xc3" + PAGE.encode()[5000:]), ["--fast"]),
    ("utf16le_no_bom", raw("u16.txt", lambda: PAGE.encode("utf-16-le")), ["--fast"]),
    ("gb18030", raw("gb.txt", lambda: PAGE.encode("gb18030")), ["--fast"]),
    ("fifo", fifo, ["--fast"]),
    ("dev_zero", dev_zero, ["--fast"]),
    ("xxe", xml_pair("xxe", XXE), ["--fast"]),
    ("billion_laughs", xml_pair("laughs", LAUGHS), ["--fast"]),
]


_CHILD = """
import resource, subprocess, sys, time, json
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, timeout=float(sys.argv[1]), stdin=subprocess.DEVNULL)
    rc, err = done.returncode, done.stderr.decode("utf-8", "replace")
except subprocess.TimeoutExpired as timeout:
    rc, err = "timeout", (timeout.stderr or b"").decode("utf-8", "replace")
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "stderr": err, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mib": usage.ru_maxrss / 1024}))
"""


def run_one(args: list[str], out: Path, timeout: float) -> dict:
    """`duizhao align ARGS -o OUT` in a fresh process, so RUSAGE_CHILDREN's peak is this run's alone."""
    command = [sys.executable, "-m", "duizhao.cli", "align", *args, "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", _CHILD, str(timeout), *command], capture_output=True, text=True)
    return json.loads(done.stdout)


def input_size(args: list[str]) -> int:
    size = 0
    for arg in args:
        path = Path(arg)
        if not arg.startswith("--") and path.is_file() and arg != "/dev/zero":
            size += path.stat().st_size
    return size


def measure(name: str, make: Make, options: list[str], folder: Path, timeout: float, example: dict | None) -> dict:
    case_dir = folder / name
    case_dir.mkdir()
    args = make(case_dir)
    size = input_size(args)
    out = case_dir / "out.jsonl"
    result = run_one([*args, *options], out, timeout)
    lines = [line for line in result["stderr"].splitlines() if line.strip()]
    kb = max(size, 1) / 1024
    row = {
        "input": name, "options": " ".join(options) or "(default encoder)", "size_kb": round(size / 1024, 1),
        "exit": result["rc"], "wall_s": round(result["wall_s"], 2), "cpu_s": round(result["cpu_s"], 2),
        "peak_rss_mib": round(result["peak_rss_mib"], 1),
        "stderr_lines": len(lines), "last_line": lines[-1][:200] if lines else "",
        "output_written": out.exists(),
    }
    if example and size:  # wall time is noisy on a shared machine: CPU time per KB is given beside it
        row["time_per_kb_ratio"] = round((result["wall_s"] / kb) / (example["wall_s"] / example["size_kb"]), 3)
        row["cpu_per_kb_ratio"] = round((result["cpu_s"] / kb) / (example["cpu_s"] / example["size_kb"]), 3)
    for path in case_dir.iterdir():
        if path.is_file():
            path.unlink()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a case is killed")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "bounds_bench.json")
    args = parser.parse_args(argv)
    only = {n for n in args.only.split(",") if n}
    rows = []
    with tempfile.TemporaryDirectory(prefix="duizhao-bounds-") as tmp:
        folder = Path(tmp)
        example = measure("example_page", lambda f: [str(ROOT / "examples" / "readout.txt")], ["--fast"], folder,
                          args.timeout, None)
        example["time_per_kb_ratio"] = example["cpu_per_kb_ratio"] = 1.0
        rows.append(example)
        print(json.dumps(example, ensure_ascii=False), flush=True)
        for name, make, options in CASES:
            if only and name not in only:
                continue
            row = measure(name, make, options, folder, args.timeout, example)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    result = {"command": "python benchmarks/bounds_bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "commit": commit, "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared)",
              "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(rows))
    return 0


def table(rows: list[dict]) -> str:
    lines = ["| input | options | size | wall/KB vs page | CPU/KB vs page | wall s | CPU s | peak RSS | exit | one line "
             "| nothing written |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for r in rows:
        refused = r["exit"] != 0
        lines.append(f"| {r['input']} | {r['options']} | {r['size_kb']:,} KB | {r.get('time_per_kb_ratio', '—')} | "
                     f"{r.get('cpu_per_kb_ratio', '—')} | {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mib']:,.0f} MB | {r['exit']} | "
                     f"{'yes' if r['stderr_lines'] == 1 else 'no (' + str(r['stderr_lines']) + ')'} | "
                     f"{('yes' if not r['output_written'] else 'NO') if refused else '—'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
