"""The README's lead picture: mean normalized regret against evaluations on every suite's meta-test tasks, MetaTuner
against random search, TPE (no experience) and the two best transfer peers, read from results/<suite>/meta-test/curves.csv.

    python scripts/readme_figure.py      # writes results/readme/regret.png
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import json
from pathlib import Path
import pandas as pd
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from metahpo.suites import SUITES as ALL  # drawn in their order, where their meta-test has run

ROOT = Path(__file__).resolve().parents[1]
SHOWN = {'meta': ('MetaTuner', '#d62728', 2.6), 'zero-shot': ('zero-shot portfolio', '#1f77b4', 1.4),
         'nn-warm-start': ('nearest-neighbour warm start', '#2ca02c', 1.4), 'tpe': ('TPE (no experience)', '#7f7f7f', 1.4),
         'random': ('random search', '#bbbbbb', 1.4)}

def main():
    SUITES = [n for n in ALL if (ROOT / 'results' / n / 'meta-test' / 'curves.csv').exists()]
    fig, axes = plt.subplots(1, len(SUITES), figsize=(3.5 * len(SUITES), 3.3), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, suite in zip(axes, SUITES):
        folder = ROOT / 'results' / suite / 'meta-test'
        c, s = pd.read_csv(folder / 'curves.csv'), json.loads((folder / 'summary.json').read_text())
        for tuner, (label, color, lw) in SHOWN.items():
            d = c[c.tuner == tuner]
            if len(d): ax.plot(d.k, d.regret, color=color, lw=lw, label=label)
        n = s['n_tasks']
        ax.set(title=f"{suite} ({n} unseen task{'' if n == 1 else 's'})", xlabel='evaluations', yscale='symlog', ylim=(0, 1))
        ax.set_yscale('symlog', linthresh=0.01); ax.grid(alpha=0.3)
    axes[0].set_ylabel('mean normalized regret'); axes[0].legend(fontsize=8, loc='upper right')
    fig.suptitle('Tuning tasks it was never designed on (each suite\'s meta-test tasks, the rest as experience): mean regret, lower is better',
                 fontsize=10)
    fig.tight_layout()
    out = ROOT / 'results' / 'readme' / 'regret.png'; out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches='tight'); print(f'wrote {out}')

if __name__ == '__main__': main()
