"Every notebook in nbs/ runs through `nbdev_test`: its asserting examples are the bulk of the test suite."
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
NOTEBOOKS = sorted(p for p in NBS.rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)
DATA = Path(os.environ.get('METAHPO_DATA_DIR', ROOT.parent / 'shared' / 'data')).resolve()
# notebooks whose examples run on the shared real data (the others guard themselves or need none)
NEEDS_DATA = {'04_metafeatures.ipynb', '12_trainers.lstm.ipynb', '13_trainers.bert.ipynb', '14_trainers.resnet.ipynb', '21_metadataset.ipynb',
              '26_metadataset_nn.ipynb', 'metadataset_lstm.ipynb'}

def test_notebooks_found(): assert len(NOTEBOOKS) >= 7, NOTEBOOKS

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[str(p.relative_to(NBS)) for p in NOTEBOOKS])
def test_notebook(nb):
    if nb.name in NEEDS_DATA and not DATA.is_dir():
        pytest.skip(f"{nb.name} runs on the shared data, not found at {DATA}: set METAHPO_DATA_DIR")
    env = {**os.environ, **({'METAHPO_DATA_DIR': str(DATA)} if DATA.is_dir() else {})}
    exe = Path(sys.executable).parent / 'nbdev_test'
    r = subprocess.run([str(exe), '--path', str(nb)], cwd=NBS, capture_output=True, text=True, timeout=900, env=env)
    assert r.returncode == 0 and 'Success' in r.stdout + r.stderr, f"{nb.name} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
