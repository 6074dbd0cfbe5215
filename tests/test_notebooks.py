"Every notebook in nbs/ runs through `nbdev_test`: its asserting examples are the bulk of the test suite."
import subprocess, sys
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1] / 'nbs'
NOTEBOOKS = sorted(p for p in NBS.rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)

def test_notebooks_found(): assert len(NOTEBOOKS) >= 7, NOTEBOOKS

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[str(p.relative_to(NBS)) for p in NOTEBOOKS])
def test_notebook(nb):
    exe = Path(sys.executable).parent / 'nbdev_test'
    r = subprocess.run([str(exe), '--path', str(nb)], cwd=NBS, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0 and 'Success' in r.stdout + r.stderr, f"{nb.name} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
