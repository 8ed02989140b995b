"""Every command has help, and the README documents every command and every format."""
from __future__ import annotations

from pathlib import Path

import pytest
import typer

from duizhao import formats
from duizhao.cli import app, run

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)


def test_the_cli_has_the_commands_the_issues_ask_for():
    assert set(COMMANDS) >= {"align", "evaluate", "add", "search", "serve", "glossary", "batch"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name, capsys):
    assert run([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"Usage: duizhao {name}" in out
    command = typer.main.get_command(app).commands[name]
    assert command.help and len(command.help.strip()) > 20


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    assert f"duizhao {name}" in README


@pytest.mark.parametrize("name", formats.names())
def test_every_format_is_in_the_readme(name):
    assert f"| `{name}` |" in README


def test_the_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_version_and_unknown_command(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("duizhao ")
    assert run(["alignn"]) == 2
    assert "No such command 'alignn'" in capsys.readouterr().err


@pytest.mark.slow
def test_the_readme_library_example_runs_as_written(tmp_path, monkeypatch, capsys):
    block = README.split("## As a library", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert "from duizhao." not in block and "import duizhao\n" in block  # the top-level API only
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(tmp_path)
    exec(compile(block.replace('"examples/readout.txt"', repr(str(root / "examples" / "readout.txt"))),
                 "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "[('我来了。', 'I came.')]"
    assert len(printed) == 1 + 28 and printed[1].startswith("1-0 ")
    assert (tmp_path / "readout.tmx").is_file()
