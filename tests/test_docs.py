import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
CI = (Path(__file__).resolve().parent.parent / ".ci/run").read_text()


def commands(group, prefix=()):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from commands(cmd, path)


@pytest.mark.parametrize("path, cmd", list(commands(cli)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_and_is_in_the_readme(path, cmd):
    assert cmd.help, f"{' '.join(path)} has no help text"
    assert CliRunner().invoke(cli, [*path, "--help"]).exit_code == 0
    assert f"auditor {' '.join(path)}" in README, f"README does not document `auditor {' '.join(path)}`"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start\n.*?```(?:sh|bash)?\n(.*?)```", README, re.DOTALL).group(1)
    cmds = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(cmds) == 2
    assert cmds[1].strip() in CI
    assert "fixtures/" in cmds[0]
