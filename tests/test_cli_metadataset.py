"`metahpo metadataset` builds, resumes and reports; `metahpo experience` rebuilds an experience base from it."
import os, subprocess
from pathlib import Path
import pytest
from metahpo.experience import load_experience

DATA = Path(os.environ.get('METAHPO_DATA_DIR', Path(__file__).resolve().parents[2] / 'shared' / 'data'))
needs_pmlb = pytest.mark.skipif(not (DATA / 'pmlb').exists(), reason=f"no PMLB data under {DATA}: set METAHPO_DATA_DIR")

def run(cmd, *args, env=None):
    return subprocess.run([cmd, *map(str, args)], capture_output=True, text=True, timeout=300, env=env)

@needs_pmlb
def test_build_resume_and_export(tmp_path, metahpo_cmd):
    db, args = tmp_path / 'm.db', ['--tasks', 'parity5,labor', '--n-configs', '3', '--data-dir', DATA, '--no-progress']
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert r.returncode == 0, r.stderr
    assert 'tasks: 2 (2 complete, 0 failed); evaluations added: 6' in r.stdout
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert 'evaluations added: 0' in r.stdout  # resumed: nothing to do
    out = tmp_path / 'exp.parquet'
    r = run(metahpo_cmd, 'experience', '--repo', db, '--out', out)
    assert r.returncode == 0 and '2 task evaluations, 6 evaluations' in r.stdout, r.stdout + r.stderr
    ex = load_experience(out)
    assert ex.task_names == ['labor', 'parity5'] and len(ex.meta_features()) == 2

def test_no_data_dir_is_a_clear_error(tmp_path, metahpo_cmd):
    env = {k: v for k, v in os.environ.items() if k != 'METAHPO_DATA_DIR'}
    r = run(metahpo_cmd, 'metadataset', '--repo', tmp_path / 'm.db', '--no-progress', env=env)
    assert r.returncode == 2 and 'no data directory: set METAHPO_DATA_DIR' in r.stderr
