"""Batch throughput: documents/s and sentences/s of `duizhao batch`, local pool and Ray, by worker count.

    .venv/bin/python benchmarks/batch_bench.py [--data ../shared/data/mac-dev] [--workers 1,2] \\
        [--engines local,ray] [--modes fast,default] [--links-per-doc 5] [--out results.json]

On a 16-core machine: `--workers 1,4,8,16`.

The corpus (a few hundred documents) is built in a temporary folder: the example page cut after 1..10
body paragraphs (mixed files) and as zh/en pairs, plus every MAC-Dev chapter cut at gold-link boundaries
into zh/en pairs of `--links-per-doc` links (its sentences regrouped by paragraph, so the segmenter works
as on any text). Every run is a fresh `duizhao batch` process with a fresh output folder and a fresh,
empty embedding cache (DUIZHAO_CACHE), so that default-mode workers really encode every sentence; the
dictionary caches kept in that folder are built before the clock starts.

Times are the whole run as a user sees it, worker start-up included (each worker loads jieba, the
dictionary and, in default mode, the encoder once; Ray also starts its local cluster). Scaling efficiency
of N workers = (documents/s with N) / (N × documents/s with 1). "Steady" throughput counts the documents
finished between the first and the last done-record (their file times), i.e. without the start-up.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "readout.txt"


def example_documents(folder: Path) -> list[dict]:
    """The example page cut after k body paragraphs, k = 1..10, as mixed files and as zh/en pairs."""
    blocks = [b for b in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    zh_header, zh_body, en_header, en_body = blocks[:5], blocks[5:15], blocks[15:18], blocks[18:28]
    entries = []
    for k in range(1, 11):
        zh = "\n\n".join(zh_header + zh_body[:k]) + "\n"
        en = "\n\n".join(en_header + en_body[:k]) + "\n"
        mixed = _write(folder / "example" / f"page{k:02d}.txt", zh + "\n" + en)
        entries.append({"path": str(mixed)})
        entries.append({"zh": str(_write(folder / "example" / f"pair{k:02d}.zh.txt", zh)),
                        "en": str(_write(folder / "example" / f"pair{k:02d}.en.txt", en))})
    return entries


def mac_documents(data: Path, folder: Path, links_per_doc: int) -> list[dict]:
    """Each MAC-Dev chapter cut at gold-link boundaries into zh/en pairs of `links_per_doc` links."""
    entries = []
    for link_file in sorted(data.glob("dev-anno.*_zh.*_en.xml")):
        chapter = link_file.name.split(".")[1].split("_")[0]
        zh = _sentences(data / f"dev-anno.{chapter}_zh.xml")
        en = _sentences(data / f"dev-anno.{chapter}_en.xml")
        links = []
        for link in ET.parse(link_file).getroot().iter("link"):
            # MAC writes the English (toDoc) ids before ';' and the Chinese (fromDoc) ids after it.
            en_ids, _, zh_ids = link.get("xtargets", "").partition(";")
            links.append((zh_ids.split(), en_ids.split()))
        for start in range(0, len(links), links_per_doc):
            chunk = links[start:start + links_per_doc]
            zh_ids = [i for z, _ in chunk for i in z]
            en_ids = [i for _, e in chunk for i in e]
            if not zh_ids or not en_ids:
                continue
            name = f"mac{chapter}-{start // links_per_doc:03d}"
            entries.append({
                "zh": str(_write(folder / "mac" / f"{name}.zh.txt", _text(zh, zh_ids, ""))),
                "en": str(_write(folder / "mac" / f"{name}.en.txt", _text(en, en_ids, " "))),
            })
    return entries


def _sentences(path: Path) -> dict[str, str]:
    return {s.get("id"): (s.text or "").strip() for s in ET.parse(path).getroot().iter("s")}


def _text(sentences: dict[str, str], ids: list[str], joiner: str) -> str:
    """Sentences regrouped into their paragraphs (the part of the id before ':'), blank-line separated."""
    paragraphs: list[list[str]] = []
    last = None
    for sid in ids:
        paragraph = sid.split(":")[0]
        if paragraph != last:
            paragraphs.append([])
            last = paragraph
        paragraphs[-1].append(sentences[sid])
    return "\n\n".join(joiner.join(p) for p in paragraphs) + "\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def run_once(manifest: Path, work: Path, engine: str, workers: int, mode: str) -> dict:
    """One `duizhao batch` in its own process, fresh output folder, fresh embedding cache."""
    label = f"{engine}-{mode}-{workers}"
    out = work / "out" / label
    env = {**os.environ, "NO_COLOR": "1", "DUIZHAO_CACHE": str(work / "cache" / label),
           "RAY_AUTH_MODE": "disabled"}
    command = [sys.executable, "-m", "duizhao.cli", "batch", str(manifest), "--output", str(out),
               "--engine", engine, "--workers", str(workers)] + (["--fast"] if mode == "fast" else [])
    # The dictionaries' caches live in the same folder: build them first (untimed), so that only the
    # embedding cache is cold, as on a machine where duizhao has run before but never seen these texts.
    subprocess.run([sys.executable, "-c", "from duizhao.scale import BatchOptions, DocumentWorker; "
                    "DocumentWorker(BatchOptions(output_dir='', fast=True))"], env=env, check=True)
    started, started_at = time.perf_counter(), time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stderr}")
    manifest_out = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # Steady state: documents finished between the first done-record and the last (start-up left out).
    finished = sorted(p.stat().st_mtime for p in out.glob("docs/*/*.json"))
    steady = (len(finished) - 1) / (finished[-1] - finished[0]) if len(finished) > 1 else 0.0
    documents = manifest_out["documents"]["ok"] + manifest_out["documents"]["failed"]
    seconds = manifest_out["run"]["seconds"]
    return {
        "engine": engine, "mode": mode, "workers": workers, "documents": documents,
        "ok": manifest_out["documents"]["ok"], "failed": manifest_out["documents"]["failed"],
        "links": manifest_out["links"], "sentences": manifest_out["sentences"],
        "seconds": round(seconds, 2), "process_seconds": round(wall, 2),
        "documents_per_s": round(documents / seconds, 2), "sentences_per_s": round(manifest_out["sentences"] / seconds, 1),
        "steady_documents_per_s": round(steady, 2), "first_document_after_s": round(finished[0] - started_at, 1),
    }


def table(results: list[dict]) -> str:
    base = {(r["engine"], r["mode"]): r for r in results if r["workers"] == 1}
    local_one = {r["mode"]: r for r in results if r["engine"] == "local" and r["workers"] == 1}
    lines = ["| engine | mode | workers | documents | sentences | seconds | documents/s | sentences/s | "
             "scaling efficiency | steady documents/s | steady efficiency | first document after |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        one = base.get((r["engine"], r["mode"])) or local_one.get(r["mode"])
        efficiency = f"{r['documents_per_s'] / (r['workers'] * one['documents_per_s']):.0%}" if one else "—"
        steady = (f"{r['steady_documents_per_s'] / (r['workers'] * one['steady_documents_per_s']):.0%}"
                  if one and one["steady_documents_per_s"] else "—")
        lines.append(f"| {r['engine']} | {r['mode']} | {r['workers']} | {r['documents']} | {r['sentences']} | "
                     f"{r['seconds']} | {r['documents_per_s']} | {r['sentences_per_s']} | {efficiency} | "
                     f"{r['steady_documents_per_s']} | {steady} | {r['first_document_after_s']} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev",
                        help="MAC-Dev folder (default: ../shared/data/mac-dev)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--engines", default="local,ray", help="local, ray or both (default both)")
    parser.add_argument("--modes", default="fast,default", help="fast, default or both (default both)")
    parser.add_argument("--links-per-doc", type=int, default=5, help="gold links per MAC document (default 5)")
    parser.add_argument("--documents", type=int, help="use this many documents, evenly spread over the corpus")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"MAC-Dev not found at {args.data}: pass --data")
    counts = [int(n) for n in args.workers.split(",")]
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="duizhao-batch-bench-") as tmp:
        work = Path(tmp)
        entries = example_documents(work / "corpus") + mac_documents(args.data, work / "corpus", args.links_per_doc)
        if args.documents and args.documents < len(entries):
            step = len(entries) / args.documents
            entries = [entries[int(i * step)] for i in range(args.documents)]
        manifest = _write(work / "corpus.jsonl", "".join(json.dumps(e) + "\n" for e in entries))
        from_example = sum(1 for e in entries if "/example/" in e.get("path", e.get("zh", "")))
        print(f"corpus: {len(entries)} documents ({len(entries) - from_example} MAC-Dev pairs, "
              f"{from_example} from the example page)", file=sys.stderr)
        results = []
        for mode in args.modes.split(","):
            for engine in args.engines.split(","):
                for workers in counts:
                    result = run_once(manifest, work, engine, workers, mode)
                    print(json.dumps(result), file=sys.stderr)
                    results.append(result)

    report = {
        "machine": {"cpu_count": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
                    "python": platform.python_version(), "load_average_before": load_before,
                    "load_average_after": os.getloadavg()},
        "command": " ".join(sys.argv),
        "results": results,
    }
    print(table(results))
    print(f"load average (1, 5, 15 min) before: {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, "
          f"after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
