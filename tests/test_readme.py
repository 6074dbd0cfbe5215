"The README's two set-up commands are the ones CI runs."
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def readme_commands():
    block = re.search(r"<!-- setup-commands -->\s*```(?:bash|sh)?\n(.*?)```", (ROOT / 'README.md').read_text(), re.S)
    assert block, "README.md lacks the setup-commands block"
    return [l.strip() for l in block[1].splitlines() if l.strip() and not l.strip().startswith('#')]

def test_two_commands_and_ci_runs_them():
    cmds = readme_commands()
    assert len(cmds) == 2, cmds
    ci = (ROOT / '.ci' / 'run').read_text()
    assert 'readme_command 2' in ci and 'readme_command 1' in ci
    assert 'pytest' in cmds[1] and 'metahpo tune' in cmds[0]
