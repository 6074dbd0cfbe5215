"""`YahpoObjective` gives exactly (float32 bit for bit) what the yahpo-gym package gives.

The reference values come from `scripts/yahpo_reference.py`, run with yahpo-gym 1.0.2 in its own environment
(it needs numpy<2); they are in `tests/data/yahpo_reference.json`.
"""
import json, os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / 'tests' / 'data' / 'yahpo_reference.json'
SCENARIOS = ('lcbench', 'rbv2_xgboost', 'iaml_glmnet')

def _data() -> Path:
    return Path(os.environ.get('METAHPO_DATA_DIR') or ROOT.parent / 'shared' / 'data')

@pytest.fixture(scope='module')
def ref():
    pytest.importorskip('onnxruntime', reason="onnxruntime is not installed: pip install 'metahpo[bench]'")
    missing = [s for s in SCENARIOS if not (_data() / 'yahpo' / s / 'model.onnx').is_file()]
    if missing: pytest.skip(f"no YAHPO Gym data for {missing} under {_data() / 'yahpo'}: set METAHPO_DATA_DIR to a folder holding yahpo/")
    return json.loads(REF.read_text())

@pytest.fixture(scope='module')
def scenarios(ref):
    from metahpo.yahpo import YahpoScenario
    return {s: YahpoScenario(s, _data()) for s in SCENARIOS}

def test_reference_covers(ref):
    "The reference holds 60 configurations per scenario on 3 instances, and every rbv2_xgboost booster."
    for s in SCENARIOS:
        cases = ref['scenarios'][s]['cases']
        assert len(cases) == 60 and len({c['instance'] for c in cases}) == 3
    assert {c['config']['booster'] for c in ref['scenarios']['rbv2_xgboost']['cases']} == {'gblinear', 'gbtree', 'dart'}

@pytest.mark.parametrize('scenario', SCENARIOS)
def test_single_equal(ref, scenarios, scenario):
    "One configuration at a time, at its fidelity: identical to `BenchmarkSet.objective_function`."
    from metahpo.yahpo import YahpoObjective
    r, sc = ref['scenarios'][scenario], scenarios[scenario]
    assert r['targets'] == list(sc.targets)
    for c in r['cases']:
        got = YahpoObjective(sc, c['instance'], fidelity=c['fidelity'])(c['config'])
        assert [got[t] for t in r['targets']] == c['output'], (c['instance'], c['config'], c['fidelity'])

@pytest.mark.parametrize('scenario', SCENARIOS)
def test_batch_equal(ref, scenarios, scenario):
    "The same batches through `evaluate_many`: identical to the package's batched call."
    from metahpo.yahpo import YahpoObjective
    r, sc = ref['scenarios'][scenario], scenarios[scenario]
    for inst in dict.fromkeys(c['instance'] for c in r['cases']):
        cs = [c for c in r['cases'] if c['instance'] == inst and c['output_batch'] is not None]
        assert len(cs) == 15
        got = YahpoObjective(sc, inst).evaluate_many([c['config'] for c in cs])
        assert [[g[t] for t in r['targets']] for g in got] == [c['output_batch'] for c in cs]

def test_inactive_values_ignored(ref, scenarios):
    "Values given to inactive parameters (which yahpo-gym's configurations leave out) change nothing."
    from metahpo.yahpo import YahpoObjective, inactive_params
    r, sc = ref['scenarios']['rbv2_xgboost'], scenarios['rbv2_xgboost']
    noise = sc.space.sample(seed=1, n=len(r['cases']))
    n_filled = 0
    for c, z in zip(r['cases'], noise):
        config = {**z, **c['config']}  # every parameter the reference left out gets a random value
        n_filled += len(inactive_params(config, sc.conditions))
        got = YahpoObjective(sc, c['instance'], fidelity=c['fidelity'])(config)
        assert [got[t] for t in r['targets']] == c['output']
    assert n_filled > 100
