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

needs_series = pytest.mark.skipif(not (DATA / 'electricity').exists(), reason=f"no electricity data under {DATA}: set METAHPO_DATA_DIR")

@needs_series
def test_lstm_family_builds_resumes_and_merges(tmp_path, metahpo_cmd):
    "`--family lstm` builds the LSTM meta-dataset (two short series here) and `ship_experience.py` merges it into a base, losing nothing."
    db, args = tmp_path / 'l.db', ['--family', 'lstm', '--tasks', 'sm-nile,sm-macro-unemp', '--n-configs', '2', '--seed', '1', '--data-dir', DATA, '--no-progress']
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert r.returncode == 0 and 'tasks: 2 (2 complete, 0 failed); evaluations added: 4' in r.stdout, r.stdout + r.stderr
    assert 'evaluations added: 0' in run(metahpo_cmd, 'metadataset', '--repo', db, *args).stdout  # resumed
    bad = run(metahpo_cmd, 'metadataset', '--repo', db, '--family', 'lstm', '--tasks', 'uci-MT_001', '--data-dir', DATA, '--no-progress')
    assert bad.returncode == 2 and "unknown LSTM meta-dataset task(s) ['uci-MT_001']" in bad.stderr  # the electricity target is never its own experience
    out = tmp_path / 'base.parquet'
    script = Path(__file__).resolve().parents[1] / 'scripts' / 'ship_experience.py'
    r = subprocess.run([os.sys.executable, script, db, '--out', out], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    new, old = load_experience(out), load_experience()
    assert {e.study for e in old} <= {e.study for e in new}  # nothing of the shipped base lost
    assert {e.study: len(e) for e in new if e.study not in {o.study for o in old}} == {'meta-lstm-grid-sm-nile-seed1': 2, 'meta-lstm-grid-sm-macro-unemp-seed1': 2}
    assert new.n_evaluations == old.n_evaluations + 4
