import os, shutil, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

# One thread per numeric library in every test process (xdist's workers and the notebooks they run), unless the environment
# says otherwise: the workers already fill the cores, and two threads each on two cores only wait for one another
# (06_reptile beside another test on a two-core machine: 91 s on torch's default threads, 12 s on one).
# The experiments' commands set the same (`OMP_NUM_THREADS=1`).
THREAD_SETTINGS = ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS')

def pytest_configure(config):
    for v in THREAD_SETTINGS: os.environ.setdefault(v, '1')  # before xdist starts its workers, which inherit it

# The longest tests start first (pytest --durations=40 on a clone, two workers on two cores: seed_experiments 143-199 s, 30_cli
# 128-151 s, 24_integrations.ray 103-115 s, ...; every test over 20 s is here): xdist hands tests out in collection order,
# and one of these started last kept the other worker idle for up to two minutes. The Ray tests and chapter 24 run as one
# group (GROUPS below), in this order. The others keep their order; tests/test_hygiene.py checks each name is still a test.
LONGEST_FIRST = ('test_notebook[24_integrations.ray.ipynb]', 'test_notebook[experiments/seed_experiments.ipynb]', 'test_notebook[30_cli.ipynb]',
                 'test_notebook[08_metatuner.ipynb]', 'test_notebook[21_metadataset.ipynb]', 'test_notebook[experiments/benchmark.ipynb]',
                 'test_lstm_family_builds_resumes_and_merges', 'test_notebook[23_suites.ipynb]', 'test_notebook[07_surrogate.ipynb]',
                 'test_notebook[14_trainers.resnet.ipynb]', 'test_notebook[11_trainers.rf.ipynb]', 'test_notebook[13_trainers.bert.ipynb]',
                 'test_notebook[25_integrations.optuna.ipynb]', 'test_four_processes_one_study', 'test_notebook[04_metafeatures.ipynb]',
                 'test_notebook[26_metadataset_nn.ipynb]', 'test_resumed_study_stopped_while_meta_training_says_its_trials_are_kept',
                 'test_every_task_is_an_item_the_rule_found', 'test_second_node_killed_mid_study')

# Tests one xdist worker runs, one after another, while the other goes on with the rest: the Ray tests with chapter 24 (one
# local cluster at a time: under xdist's plain load scheduling, tests/test_ray.py's lock kept the other worker waiting
# 22 to 61 s per test), and the docs site's tests (their module fixture builds the site, 45 s: once, not on both workers).
# xdist's own `xdist_group` marks do not reach its scheduler under pytest 9.2 (xdist renames `item._nodeid`, which
# pytest 9.2's node id no longer reads), so the scheduler below groups by node id. Each key: the node ids' beginnings.
GROUPS = {'ray': ('tests/test_notebooks.py::test_notebook[24_integrations.ray.ipynb]', 'tests/test_ray.py::'),
          'docs': ('tests/test_docs.py::',)}

def group_of(nodeid:str) -> str:
    "The group a test runs in: a key of GROUPS, else the test alone."
    return next((g for g, starts in GROUPS.items() if nodeid.startswith(starts)), nodeid)

@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    "xdist's load scheduling by whole groups (each test its own but for GROUPS), largest first: xdist's LoadScopeScheduling, split by `group_of`."
    if config.getvalue('dist') != 'load': return None  # another --dist given: xdist's own
    from xdist.scheduler import LoadScopeScheduling
    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid): return group_of(nodeid)
    return GroupScheduling(config, log)

def pytest_collection_modifyitems(config, items):
    rank = {n: i for i, n in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.name, len(rank)))  # a stable sort: every other test where it was

@pytest.fixture(scope='session')
def metahpo_cmd():
    "The installed `metahpo` console script (next to this Python, else on PATH)."
    exe = Path(sys.executable).parent / 'metahpo'
    found = str(exe) if exe.exists() else shutil.which('metahpo')
    if not found: pytest.fail("the `metahpo` command is not installed: run pip install -e '.[dev]'")
    return found

# Suites that report figures (the bad-input and fault suites) write one JSON line per result into FIGURES;
# the summary at the end of the run adds them up, so CI prints the figures beside pytest's own line.
FIGURES = ROOT / '.pytest_cache' / 'metahpo-figures'

def pytest_sessionstart(session):
    if not hasattr(session.config, 'workerinput'):  # the controller (or a run without xdist) starts afresh
        shutil.rmtree(FIGURES, ignore_errors=True)
    FIGURES.mkdir(parents=True, exist_ok=True)

def record_figure(suite:str, **fields):
    "Add one result line to `suite`'s figures (any process, any xdist worker)."
    import json
    FIGURES.mkdir(parents=True, exist_ok=True)
    with open(FIGURES / f'{suite}.{os.getpid()}.jsonl', 'a') as f: f.write(json.dumps(fields) + '\n')

def pytest_terminal_summary(terminalreporter):
    import json
    rows = {}
    for p in sorted(FIGURES.glob('*.jsonl')) if FIGURES.is_dir() else []:
        rows.setdefault(p.name.split('.')[0], []).extend(json.loads(l) for l in p.read_text().splitlines() if l.strip())
    if not rows: return
    terminalreporter.section('metahpo figures')
    if bad := rows.get('bad_inputs'):
        n = len(bad)
        terminalreporter.write_line(
            f"bad inputs: {n} kinds ({sum(r['via'] == 'cli' for r in bad)} command line, {sum(r['via'] == 'api' for r in bad)} Python API, "
            f"{sum(r['via'] == 'process' for r in bad)} as real processes): {sum(r['traceback'] for r in bad)} tracebacks, "
            f"{sum(r['silent'] for r in bad)} silent wrong results, {sum(r['exit0'] for r in bad)} errors with exit status 0, "
            f"{sum(r['left_behind'] for r in bad)} left files behind, {sum(not r['names_value'] for r in bad)} did not name the value")
    for r in rows.get('faults', []): terminalreporter.write_line(f"faults: {r['line']}")
