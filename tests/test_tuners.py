"Every registered tuner and peer passes the shared conformance check; a new one in TUNERS or PEERS is checked automatically."
import importlib.util
import pytest
from metahpo.tuners import TUNERS, make_tuner, check_tuner
from metahpo.peers import PEERS, PEER_REQUIRES, make_peer
from metahpo.testing import toy_experience

@pytest.mark.parametrize('name', sorted(TUNERS))
def test_conformance(name):
    check_tuner(lambda space, seed: make_tuner(name, space, seed))

def _skip_unless_installed(name):
    missing = [m for m in PEER_REQUIRES.get(name, ()) if importlib.util.find_spec(m) is None]
    if missing: pytest.skip(f"peer {name!r} needs {', '.join(missing)}, not installed here: pip install 'metahpo[bench]'")

@pytest.mark.parametrize('with_experience', [False, True], ids=['no-experience', 'experience'])
@pytest.mark.parametrize('name', sorted(PEERS))
def test_peer_conformance(name, with_experience):
    _skip_unless_installed(name)
    def make(space, seed):
        experience = toy_experience(space) if with_experience else None
        return make_peer(name, space, seed, experience, task='toy1', meta_features={'shift': 0.5})
    check_tuner(make, n_steps=14)

@pytest.mark.parametrize('parts', [('warm-start', 'consensus', 'surrogate'), ('warm-start',), ('consensus',), ('surrogate',)],
                         ids=['all', 'warm-start', 'consensus', 'surrogate'])
def test_metatuner_with_experience_conformance(parts):
    "MetaTuner with past tasks (on a finite and a mixed continuous space) passes the same check as every tuner, whichever strategies it composes."
    from metahpo.metatuner import MetaTuner, default_surrogate
    def make(space, seed):
        return MetaTuner(space, seed, experience=toy_experience(space), task='toy1', meta_features={'shift': 0.5}, parts=parts,
                         n_candidates=200, surrogate=default_surrogate(n_members=1, meta_steps=20, seed=seed or 0))
    check_tuner(make, n_steps=14)

@pytest.mark.parametrize('name', sorted(PEERS))
def test_peer_leaves_the_tuned_task_out(name):
    _skip_unless_installed(name)
    from metahpo.space import get_space
    space = get_space('random_forest')
    tuner = make_peer(name, space, 0, toy_experience(space), task='toy1', meta_features={'shift': 0.5})
    if hasattr(tuner, 'past'): assert [p.name for p in tuner.past] == ['toy0', 'toy2', 'toy3']

@pytest.mark.parametrize('name', sorted(PEERS))
def test_peer_conformance_one_past_task(name):
    "With one past task every peer obeys the protocol: for bounding-box, its best configuration is a box of one point."
    _skip_unless_installed(name)
    check_tuner(lambda space, seed: make_peer(name, space, seed, toy_experience(space, n_tasks=1), task='new', meta_features={'shift': 0.5}), n_steps=14)

@pytest.mark.parametrize('wide', [False, True], ids=['grid', 'wide'])
@pytest.mark.parametrize('name', sorted(PEERS))
def test_peer_skips_pending(name, wide):
    "A configuration that another worker evaluates (`pending`) is not proposed: noted pending, a peer's first proposal is not proposed again."
    _skip_unless_installed(name)
    from metahpo.space import get_space
    space = get_space('random_forest', wide=wide)
    make = lambda: make_peer(name, space, 0, toy_experience(space), task='toy1', meta_features={'shift': 0.5})
    first = make().ask()
    t = make(); t.pending(first)
    c = t.ask()
    assert c is not None and space.key(c) != space.key(first), f"{name} proposed {first}, noted pending"

# Tuners of chapters 15 and 16 that `PEERS` does not register (Optuna's CMA-ES and random sampler, the bounding box searched
# at random): the same checks as the registered peers.
def _extra_peers():
    from metahpo.peers_optuna import OptunaTuner
    from metahpo.peers_synetune import SyneTuneTuner
    return {'optuna-cmaes': (('optuna', 'cmaes'), lambda space, seed, experience: OptunaTuner(space, seed, 'cmaes')),
            'optuna-random': (('optuna',), lambda space, seed, experience: OptunaTuner(space, seed, 'random')),
            'bounding-box-random': (('syne_tune',), lambda space, seed, experience: SyneTuneTuner(space, seed, 'bounding-box', experience=experience,
                                                                                                task='toy1', searcher='random'))}
EXTRA_PEERS = ('optuna-cmaes', 'optuna-random', 'bounding-box-random')

def _maker(name):
    "(space, seed, experience) -> tuner, for a registered peer or one of `EXTRA_PEERS`, skipping where its package is not installed."
    if name in PEERS:
        _skip_unless_installed(name)
        return lambda space, seed, experience: make_peer(name, space, seed, experience, task='toy1', meta_features={'shift': 0.5})
    needs, make = _extra_peers()[name]
    if missing := [m for m in needs if importlib.util.find_spec(m) is None]: pytest.skip(f"{name} needs {', '.join(missing)}: pip install 'metahpo[bench]'")
    return make

@pytest.mark.parametrize('with_experience', [False, True], ids=['no-experience', 'experience'])
@pytest.mark.parametrize('name', EXTRA_PEERS)
def test_extra_peer_conformance(name, with_experience):
    make = _maker(name)
    check_tuner(lambda space, seed: make(space, seed, toy_experience(space) if with_experience else None), n_steps=14)

@pytest.mark.parametrize('name', EXTRA_PEERS)
def test_extra_peer_skips_pending(name):
    from metahpo.space import get_space
    make, space = _maker(name), get_space('random_forest', wide=True)
    first = make(space, 0, toy_experience(space)).ask()
    t = make(space, 0, toy_experience(space)); t.pending(first)
    c = t.ask()
    assert c is not None and space.key(c) != space.key(first), f"{name} proposed {first}, noted pending"

def _run_steps(t, space, n=8):
    from metahpo.tuners import _toy_loss
    out = []
    for _ in range(n):
        c = t.ask(); out.append(c); t.tell(c, _toy_loss(space, c))
    return out

@pytest.mark.parametrize('name', sorted(PEERS) + list(EXTRA_PEERS))
def test_peer_owns_its_randomness(name):
    "Another seed gives other proposals (without experience, so that a portfolio does not fix them), and the global generators of NumPy and Python are left as they were."
    import random
    import numpy as np
    from metahpo.space import get_space
    make, space = _maker(name), get_space('random_forest', wide=True)
    np_state, py_state = np.random.get_state()[1].copy(), random.getstate()
    a, b = _run_steps(make(space, 0, None), space), _run_steps(make(space, 1, None), space)
    assert a != b, f"{name}: seeds 0 and 1 gave the same proposals {a}"
    assert (np.random.get_state()[1] == np_state).all(), f"{name} moved NumPy's global generator"
    assert random.getstate() == py_state, f"{name} moved Python's global generator"

_PROPOSALS = '''
import json, sys, warnings
warnings.simplefilter('ignore')
sys.path.insert(0, {tests!r})
from metahpo.space import get_space
from metahpo.testing import toy_experience
import test_tuners as T
out = {{}}
for name in {names!r}:
    make, space = T._maker(name), get_space('random_forest', wide=True)
    out[name] = T._run_steps(make(space, 3, toy_experience(space)), space, n=6)
print(json.dumps(out))
'''

def test_peers_same_proposals_under_other_hash_seeds():
    "The same seed gives the same proposals in another process, whatever Python's string hashing (PYTHONHASHSEED) there."
    import json, os, subprocess, sys
    from pathlib import Path
    names = [n for n in sorted(PEERS) + list(EXTRA_PEERS)
             if all(importlib.util.find_spec(m) is not None for m in (PEER_REQUIRES.get(n) or _extra_peers()[n][0]))]
    tests = str(Path(__file__).resolve().parent)
    runs = [subprocess.run([sys.executable, '-c', _PROPOSALS.format(tests=tests, names=names)], capture_output=True, text=True, timeout=300,
                           env={**os.environ, 'PYTHONHASHSEED': h}) for h in ('1', '2')]
    for r in runs: assert r.returncode == 0, r.stderr[-3000:]
    a, b = (json.loads(r.stdout.strip().splitlines()[-1]) for r in runs)
    assert a == b, [n for n in a if a[n] != b[n]]

_GLOBAL_RANDOM = '''
import random, numpy as np
from metahpo.space import get_space
from metahpo.peers import make_peer
random.seed(0); np.random.seed(0); expected = (random.random(), np.random.random())
random.seed(0); np.random.seed(0)
make_peer({name!r}, get_space('random_forest'), 0)  # the first peer of its kind in the process: its package is imported here
print((random.random(), np.random.random()) == expected)
'''

@pytest.mark.parametrize('name', sorted(PEERS))
def test_first_peer_leaves_global_random_alone(name):
    "Making the first peer of a process (which imports its package) leaves Python's and NumPy's global generators where they were: importing xgboost (Syne Tune's) drew from Python's."
    import os, subprocess, sys
    _skip_unless_installed(name)
    r = subprocess.run([sys.executable, '-c', _GLOBAL_RANDOM.format(name=name)], capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().splitlines()[-1] == 'True', f"making {name} moved the global generators"
