"""Hygiene that stays: the exported package is pyflakes-clean, every module imports in a fresh interpreter (no exported
cell leans on a test cell's imports), and every module imports only modules of lower-numbered notebooks (no cycles,
and the notebooks read in the order of their dependencies)."""
import ast, json, re, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

def _modules() -> dict[str, str]:
    "module -> notebook file name, from each notebook's `default_exp`."
    out = {}
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        if cells and (m := re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(cells[0]['source']))): out['metahpo.' + m[1]] = nb.name
    return out

MODULES = _modules()

def _imports(mod:str) -> set[str]:
    "The metahpo modules `mod` imports anywhere in its file (function-level imports included)."
    tree, out = ast.parse((ROOT / (mod.replace('.', '/') + '.py')).read_text()), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            base = (mod.rsplit('.', n.level)[0] + ('.' + n.module if n.module else '')) if n.level else (n.module or '')
            out |= {f'{base}.{a.name}' if f'{base}.{a.name}' in MODULES else base for a in n.names}
        elif isinstance(n, ast.Import): out |= {a.name for a in n.names}
    return {m for m in out if m in MODULES and m != mod}

def _number(nb:str) -> int: return int(re.match(r'(\d+)_', nb)[1])

def test_notebook_numbers_follow_imports():
    bad = [f"{mod} ({MODULES[mod]}) imports {m} ({MODULES[m]})" for mod in MODULES for m in sorted(_imports(mod))
           if _number(MODULES[m]) >= _number(MODULES[mod])]
    assert len(MODULES) >= 20 and not bad, bad

def test_notebook_numbers_unique():
    nums = [_number(nb) for nb in MODULES.values()]
    assert len(nums) == len(set(nums)), sorted(nums)

def test_pyflakes_clean():
    pytest.importorskip('pyflakes')
    files = [str(p) for p in sorted((ROOT / 'metahpo').rglob('*.py')) if p.name != '_modidx.py']
    r = subprocess.run([sys.executable, '-m', 'pyflakes', *files], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

@pytest.mark.parametrize('mod', sorted(MODULES))
def test_imports_in_a_fresh_interpreter(mod):
    r = subprocess.run([sys.executable, '-c', f'import {mod}'], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]

def test_longest_first_names_tests_that_exist():
    "conftest's LONGEST_FIRST (tests started first, so that none starts last) names notebooks and test functions that are still there."
    from conftest import LONGEST_FIRST
    tests = ''.join(p.read_text() for p in (ROOT / 'tests').glob('test_*.py'))
    for name in LONGEST_FIRST:
        if m := re.fullmatch(r'test_notebook\[(.+)\]', name): assert (ROOT / 'nbs' / m[1]).exists(), name
        else: assert f'def {name}(' in tests, name

def test_groups_name_tests_that_exist():
    "conftest's GROUPS (tests one xdist worker runs together) name notebooks and test files that are still there; any other test is its own."
    from conftest import GROUPS, group_of
    for starts in GROUPS.values():
        for s in starts:
            path, _, rest = s.partition('::')
            assert (ROOT / path).exists(), s
            if m := re.fullmatch(r'test_notebook\[(.+)\]', rest): assert (ROOT / 'nbs' / m[1]).exists(), s
    assert group_of('tests/test_ray.py::test_local_start_timed_out[1]') == group_of('tests/test_notebooks.py::test_notebook[24_integrations.ray.ipynb]') == 'ray'
    assert group_of('tests/test_notebooks.py::test_notebook[25_integrations.optuna.ipynb]') == 'tests/test_notebooks.py::test_notebook[25_integrations.optuna.ipynb]'

def test_wheel_builds_without_packaging_warnings(tmp_path):
    "The wheel builds from a copy of the project without setuptools' deprecations (licence classifiers, a data folder missing from `packages`) and holds the data files the code loads."
    import shutil, zipfile
    src = tmp_path / 'src'
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns('.git', '.venv', 'build', '*.egg-info', '__pycache__', '_proc', 'docs', 'nbs', 'results', 'tests'))
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-v', '--no-deps', '--no-build-isolation', '.', '-w', str(tmp_path / 'whl')],
                       cwd=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout + r.stderr
    for bad in ('SetuptoolsDeprecationWarning', 'License classifiers are deprecated', 'is absent from the `packages` configuration'):
        assert bad not in out, (bad, out[-3000:])
    names = zipfile.ZipFile(next((tmp_path / 'whl').glob('metahpo-*.whl'))).namelist()
    assert {'metahpo/data/experience.parquet', 'metahpo/data/titanic.csv'} <= set(names), [n for n in names if 'data' in n]
    meta = zipfile.ZipFile(next((tmp_path / 'whl').glob('metahpo-*.whl'))).read(next(n for n in names if n.endswith('METADATA'))).decode()
    assert 'License: Apache-2.0' in meta or 'License-Expression: Apache-2.0' in meta, meta[:1500]
