"""A missing optional package is named, with the extra that provides it, where a peer or the YAHPO objective first needs it
(not Python's bare "No module named ...", nor an ImportError from inside the package that needed it)."""
import os, subprocess, sys, textwrap
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

_BLOCK = textwrap.dedent('''
    import importlib.abc, sys
    class Block(importlib.abc.MetaPathFinder):  # {module} is not installed, as far as this process can tell
        def find_spec(self, name, path, target=None):
            if name.split('.')[0] == {module!r}: raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
    sys.meta_path.insert(0, Block())
    from metahpo.core import MissingDependency
    try: {call}
    except MissingDependency as e: print('MISSING:', e)
''')

CASES = [  # (module made missing, what needs it, what the message must say)
    ('xgboost', "__import__('metahpo.peers', fromlist=['make_peer']).make_peer('zero-shot', __import__('metahpo.space', fromlist=['get_space']).get_space('random_forest'), 0)",
     "xgboost is needed here but is not installed: pip install 'metahpo[bench]'"),  # was ModuleNotFoundError: No module named 'xgboost'
    ('statsmodels', "__import__('metahpo.peers', fromlist=['make_peer']).make_peer('bounding-box', __import__('metahpo.space', fromlist=['get_space']).get_space('random_forest'), 0)",
     "statsmodels is needed here but is not installed: pip install 'metahpo[bench]'"),  # was ImportError: cannot import name 'KernelDensityEstimator'
    ('onnxruntime', "__import__('metahpo.yahpo', fromlist=['YahpoObjective']).YahpoObjective('iaml_glmnet', '1489')({})",
     "onnxruntime is needed here but is not installed: pip install 'metahpo[bench]'"),
    ('nbconvert', "__import__('metahpo.dev.docs', fromlist=['build_site']).build_site(__import__('tempfile').mkdtemp())",
     "nbconvert is needed here but is not installed: pip install 'metahpo[dev]'"),  # was "internal error: No module named 'nbconvert'"
]

@pytest.mark.parametrize('module,call,says', CASES, ids=[c[0] for c in CASES])
def test_missing_optional_package_is_named(module, call, says):
    if module == 'onnxruntime':
        data = Path(os.environ.get('METAHPO_DATA_DIR') or ROOT.parent / 'shared' / 'data')
        if not (data / 'yahpo' / 'iaml_glmnet' / 'config_space.json').is_file(): pytest.skip(f"no YAHPO Gym data under {data}")
    elif module != 'nbconvert': pytest.importorskip('syne_tune')
    env = {**os.environ, 'PYTHONPATH': str(ROOT), **({'METAHPO_DATA_DIR': str(data)} if module == 'onnxruntime' else {})}  # the data found above, also where the variable is unset
    r = subprocess.run([sys.executable, '-c', _BLOCK.format(module=module, call=call)], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert f'MISSING: {says}' in r.stdout, (r.stdout, r.stderr[-2000:])
