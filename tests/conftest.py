import os, shutil, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope='session')
def metahpo_cmd():
    "The installed `metahpo` console script (next to this Python, else on PATH)."
    exe = Path(sys.executable).parent / 'metahpo'
    found = str(exe) if exe.exists() else shutil.which('metahpo')
    if not found: pytest.fail("the `metahpo` command is not installed: run pip install -e '.[dev]'")
    return found
