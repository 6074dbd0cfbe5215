"""Reference values from the real yahpo-gym package, for `tests/test_yahpo.py`.

yahpo-gym needs numpy<2 and ConfigSpace<=0.6.1, so this runs in a venv of its own, never metahpo's:

    python3 -m venv /tmp/yahpo-venv
    /tmp/yahpo-venv/bin/pip install 'numpy<2' 'ConfigSpace<=0.6.1' yahpo-gym onnxruntime
    /tmp/yahpo-venv/bin/python scripts/yahpo_reference.py [--data ../shared/data/yahpo] [--out tests/data/yahpo_reference.json]

For each scenario it samples configurations with ConfigSpace (seeded; inactive conditional parameters are
absent, as ConfigSpace gives them), evaluates them on a few instances with `BenchmarkSet.objective_function`,
one at a time and (those at the maximum fidelity) as one batch per instance, and writes configurations, fidelities and outputs (float32 values, written
exactly as float64) to JSON.
"""
import argparse, json, os, platform, sys, tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = {'lcbench': ['3945', '167168', '189873'],
             'rbv2_xgboost': ['12', '16', '1501'],
             'iaml_glmnet': ['40981', '1489', '1067']}
N_CONFIGS = 20  # per instance
LOW_FIDELITY_EVERY = 4  # every 4th configuration is evaluated at a random fidelity instead of the maximum

def plain(v):
    "A JSON-able Python value from a ConfigSpace / NumPy one."
    return v.item() if hasattr(v, 'item') else v

def main(data:Path, out:Path, seed:int=0):
    # keep yahpo-gym's settings file out of the home directory
    os.environ.setdefault('YAHPO_LOCAL_CONFIG', str(Path(tempfile.mkdtemp()) / 'yahpo_gym.yaml'))
    from yahpo_gym import local_config, BenchmarkSet
    local_config.init_config(); local_config.set_data_path(str(data))
    res = {'generated_by': 'scripts/yahpo_reference.py', 'seed': seed, 'n_configs_per_instance': N_CONFIGS,
           'data_version': (data / 'VERSION').read_text().strip(),
           'versions': {p: version(p) for p in ('yahpo-gym', 'onnxruntime', 'numpy', 'ConfigSpace')},
           'python': platform.python_version(), 'scenarios': {}}
    for k, (scenario, instances) in enumerate(INSTANCES.items()):
        b = BenchmarkSet(scenario)
        inst, fids = b.config.instance_names, list(b.config.fidelity_params)
        fid_space = b.get_fidelity_space(seed=seed + 100 + k)
        fid_max = {h.name: h.upper for h in fid_space.get_hyperparameters()}
        cases = []
        for j, instance in enumerate(instances):
            b.set_instance(instance)
            space = b.get_opt_space(drop_fidelity_params=True, seed=seed + 10 * k + j)
            configs, fidelities = [], []
            for i in range(N_CONFIGS):
                c = {n: plain(v) for n, v in space.sample_configuration().get_dictionary().items() if n != inst}
                f = ({n: plain(v) for n, v in fid_space.sample_configuration().get_dictionary().items()}
                     if i % LOW_FIDELITY_EVERY == LOW_FIDELITY_EVERY - 1 else dict(fid_max))
                configs.append(c); fidelities.append(f)
            full = [{inst: instance, **c, **f} for c, f in zip(configs, fidelities)]
            single = [b.objective_function(x)[0] for x in full]
            at_max = [i for i, f in enumerate(fidelities) if f == fid_max]  # one batch: the configurations at the maximum fidelity
            batch = dict(zip(at_max, b.objective_function([full[i] for i in at_max])))
            for i, (c, f, s) in enumerate(zip(configs, fidelities, single)):
                cases.append({'instance': instance, 'config': c, 'fidelity': f, 'output': [float(s[t]) for t in b.targets],
                              'output_batch': [float(batch[i][t]) for t in b.targets] if i in batch else None})
        if scenario == 'rbv2_xgboost':
            boosters = {c['config']['booster'] for c in cases}
            assert boosters == {'gblinear', 'gbtree', 'dart'}, f"the sample lacks a booster: {boosters}"
        res['scenarios'][scenario] = {'targets': list(b.targets), 'instance_param': inst, 'fidelity_params': fids,
                                      'fidelity_max': fid_max, 'cases': cases}
        print(f"{scenario}: {len(cases)} evaluations on instances {instances}", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')
    print(f"wrote {out}", file=sys.stderr)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', type=Path, default=ROOT.parent / 'shared' / 'data' / 'yahpo', help="the yahpo_data folder")
    ap.add_argument('--out', type=Path, default=ROOT / 'tests' / 'data' / 'yahpo_reference.json')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    main(a.data.resolve(), a.out, a.seed)
