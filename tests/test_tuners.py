"Every registered tuner passes the shared conformance check; a new tuner in TUNERS is checked automatically."
import pytest
from metahpo.tuners import TUNERS, make_tuner, check_tuner

@pytest.mark.parametrize('name', sorted(TUNERS))
def test_conformance(name):
    check_tuner(lambda space, seed: make_tuner(name, space, seed))
