"`python -m metahpo` and `python -m metahpo.cli` run the `metahpo` command: the same usage, the same exit statuses."
import subprocess, sys
import pytest

@pytest.mark.parametrize('module', ['metahpo', 'metahpo.cli'])
def test_help(module):
    r = subprocess.run([sys.executable, '-m', module, '--help'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith('usage: metahpo ') and 'run (or resume) a tuning study' in r.stdout, r.stdout + r.stderr

@pytest.mark.parametrize('module', ['metahpo', 'metahpo.cli'])
def test_a_command_runs(module):
    "A command is parsed and run, not ignored: a bad option ends with its one-line error and exit status 2."
    r = subprocess.run([sys.executable, '-m', module, 'tune', '--budget', 'ten'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.startswith("metahpo: error: malformed budget 'ten'"), r.stdout + r.stderr
