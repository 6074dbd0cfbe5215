"""What the GPU grid scripts write when a grid ends: the ranked table, a CSV and a JSON summary beside the repository."""
import json, platform
from pathlib import Path
from metahpo.core import device_name, package_version

def report(s, trainer, study:str, repository:str, keep:tuple, tag:str, settings:dict, wall:float, versions:dict,
           summary_path:str|None=None, ascending:bool=False, **extra) -> tuple[Path, str]:
    "Print the trials ranked by value, write `<repository>-<study>.csv` and a JSON summary; return (summary path, csv stem)."
    import torch
    df = s.to_frame()
    cols = ['number', 'status', 'value'] + [c for c in df.columns if c.startswith('params_')] + [f'metric_{k}' for k in keep] + ['wall_s', 'gpu_s']
    print(df.sort_values('value', ascending=ascending)[[c for c in cols if c in df]].to_string(index=False))
    stem = Path(repository).with_suffix('').as_posix() + f"-{study.replace('/', '_')}"
    df.to_csv(stem + '.csv', index=False)
    best, cost = s.best_trial, s.cost
    summary = dict(
        study=study, repository=str(repository), task=dict(name=trainer.task.name, fingerprint=trainer.task.fingerprint),
        profile=tag, profile_detail=trainer.profile, settings=settings, **extra,
        device=device_name(), gpu=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, host=platform.node(),
        versions=dict(metahpo=package_version(), torch=torch.__version__, **versions),
        n_complete=len(s.complete), n_failed=s.n_failed, n_resumed=s.n_resumed, wall_s_this_run=wall,
        cost=dict(wall_s=cost.wall_s, cpu_s=cost.cpu_s, gpu_s=cost.gpu_s, cpu_hours=cost.cpu_hours, gpu_hours=cost.gpu_hours),
        best=None if best is None else dict(number=best.number, config=best.config, metrics=best.metrics),
        points=[dict(number=t.number, config=t.config, status=t.status.value, value=t.value, metrics=t.metrics, error=t.error,
                     wall_s=t.cost.wall_s, cpu_s=t.cost.cpu_s, gpu_s=t.cost.gpu_s, device=t.device) for t in s.trials])
    out = Path(summary_path or stem + '.json')
    out.write_text(json.dumps(summary, indent=1))
    print(f"\n{len(s.complete)} complete, {s.n_failed} failed, {wall:.0f} s this run ({cost.gpu_hours:.2f} GPU h, {cost.cpu_hours:.2f} CPU h in all); "
          f"summary {out}, table {stem}.csv")
    return out, stem

def restrict(space, only:list[str]|None) -> tuple[object, str]:
    """The grid `space` with the axes named in `only` (items 'name=v1,v2') cut to those values, and a tag for the study name.

    A cut grid is its own study ('...-grid-only-batch_size128-...'), so its trials never mix with the whole grid's."""
    if not only: return space, ''
    from metahpo.space import SearchSpace, Ordinal, ConfigError
    params, cuts = {p.name: p for p in space.params}, {}
    for item in only:
        name, sep, vals = item.partition('=')
        if not sep or not vals: raise ConfigError(f"--only {item!r}: give NAME=V1[,V2...], e.g. batch_size=128")
        if name not in params: raise ConfigError(f"--only {item!r}: no parameter {name!r}; the grid has {list(params)}")
        p = params[name]
        if not isinstance(p, Ordinal): raise ConfigError(f"--only {item!r}: {name} is not a grid axis")
        def match(v):  # the axis's own check matches numbers by value and returns its canonical one
            try: return p.check(_num(v) if _num(v) is not None else v)
            except ConfigError: raise ConfigError(f"--only {item!r}: {v!r} is not on the {name} axis; allowed: {list(p.values)}") from None
        cuts[name] = tuple(dict.fromkeys(match(v.strip()) for v in vals.split(',')))
    cut = SearchSpace([Ordinal(n, values=cuts[n]) if n in cuts else p for n, p in params.items()], name=space.name, defaults=space.defaults)
    return cut, '-only-' + '-'.join(f"{n}{'_'.join(str(v) for v in vs)}" for n, vs in cuts.items())

def _num(v:str) -> float|None:
    try: return float(v)
    except ValueError: return None
