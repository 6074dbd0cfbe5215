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
