"""The GPU scripts' CPU paths: a grid cut with `--only`, the cost probe's projection, and a cut LSTM grid end to end.

They are GPU jobs at full scale; here each runs a few seconds on a CPU so that what a short GPU lease runs is checked."""
import json, os, subprocess, sys
from pathlib import Path
import pytest
from metahpo.space import get_space, ConfigError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get('METAHPO_DATA_DIR', ROOT.parent / 'shared' / 'data'))
sys.path.insert(0, str(ROOT / 'scripts'))
from _grid_report import restrict

def test_restrict_cuts_the_grid():
    space = get_space('resnet50')
    cut, tag = restrict(space, ['batch_size=128', 'epochs=10,30'])
    assert cut.size == 6 and tag == '-only-batch_size128-epochs10_30'
    assert {c['batch_size'] for c in cut.grid()} == {128} and {c['epochs'] for c in cut.grid()} == {10, 30}
    assert all(space.validate(c) == c for c in cut.grid())  # every point of the cut is a point of the grid
    assert restrict(space, None) == (space, '')
    cut, _ = restrict(get_space('lstm'), ['learning_rate=1e-3'])  # numbers match by value, not spelling
    assert {c['learning_rate'] for c in cut.grid()} == {0.001}

@pytest.mark.parametrize('only, msg', [(['batch_size=100'], "not on the batch_size axis; allowed: [32, 64, 128]"),
                                       (['depth=3'], "no parameter 'depth'"), (['batch_size'], "give NAME=V1")])
def test_restrict_names_bad_input(only, msg):
    with pytest.raises(ConfigError, match=msg.replace('[', r'\[').replace(']', r'\]')): restrict(get_space('resnet50'), only)

def test_cost_probe_projects_the_grid(tmp_path):
    out = tmp_path / 'probe.json'
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'gpu_cost_probe.py'), '--models', 'lstm', '--steps', '2', '--warmup', '1',
                        '--device', 'cpu', '--out', str(out)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    d = json.loads(out.read_text())
    assert [row['batch_size'] for row in d['rows']] == [16, 32, 64] and all(row['s_per_step'] > 0 for row in d['rows'])
    g, per = d['grids']['lstm'], {row['batch_size']: row['s_per_step'] for row in d['rows']}
    assert len(g['points']) == 9  # batch x epochs; the three learning rates multiply the sum
    want = 3 * sum(e * (4009 // b) * per[b] for b in (16, 32, 64) for e in (20, 50, 100)) / 3600
    assert g['grid_hours'] == pytest.approx(want)

@pytest.mark.skipif(not (DATA / 'electricity').exists(), reason=f"no electricity data under {DATA}: set METAHPO_DATA_DIR")
def test_lstm_grid_script_runs_a_cut(tmp_path):
    db = tmp_path / 'lstm.db'
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'gpu_lstm_grid.py'), '--data-dir', str(DATA), '--device', 'cpu',
                        '--epoch-scale', '0.05', '--max-train-windows', '200', '--only', 'batch_size=64', 'epochs=20',
                        '--no-progress', '--repository', str(db)], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr
    (summary,) = tmp_path.glob('lstm-*.json')
    s = json.loads(summary.read_text())
    assert '-lstm-grid-seed0-' in s['study'] and s['study'].endswith('-only-batch_size64-epochs20') and s['only'] == ['batch_size=64', 'epochs=20']
    assert s['n_complete'] == 3 and {p['config']['learning_rate'] for p in s['points']} == {0.001, 0.005, 0.01}
    assert all(p['config']['batch_size'] == 64 and p['metrics']['snaive_mse'] > 0 for p in s['points'])

def test_one_grid_script_for_the_three_models():
    "scripts/gpu_grid.py is the one GPU grid script: each model has its own options beside the shared ones; bad input is refused."
    from gpu_grid import parser, MODELS
    assert sorted(MODELS) == ['bert', 'lstm', 'resnet50']
    a = parser().parse_args(['bert', '--smoke', '--model', '/x', '--only', 'batch_size=16'])
    assert (a.model, a.smoke, a.hf_model, a.repository) == ('bert', True, '/x', 'bert_grid.db')  # --model names BERT's weights, not the grid
    assert parser().parse_args(['lstm', '--series', 'taylor']).series == 'taylor'
    assert parser().parse_args(['resnet50', '--classes', 'cat', 'dog']).classes == ['cat', 'dog']
    for argv, msg in ((['resnet50', '--space', 'wide'], 'give --budget'), (['svm'], "invalid choice: 'svm'"), (['lstm', '--smoke'], 'unrecognized arguments: --smoke')):
        r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'gpu_grid.py'), *argv], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and msg in r.stderr, (argv, r.stderr)
