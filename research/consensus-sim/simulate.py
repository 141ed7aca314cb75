#!/usr/bin/env python3
"""Accuracy simulation: CrowdLabel's consensus (the `crowdlabel-infer` CLI) against the
truth-inference baselines of `crowd-kit` on synthetic crowds.

Three tasks (single class, 1-5 stars, bounding boxes), five bad-worker fractions, a few seeds
each. Bad workers are half spammers (uniform random answers) and half colluders (all give the
same wrong answer per item). About 5% of the items are gold (truth known); every worker answers
a few of them as hidden challenge items, so the CLI's qualification step can run. Gold items
are left out of every accuracy metric.

Run `python simulate.py --help` for the options; `run.sh` next to this file runs it with the
defaults and writes `docs/consensus-accuracy.md`.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from scipy.optimize import linear_sum_assignment

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = "/var/tmp/crowdlabel-target/release/crowdlabel-infer"
DEFAULT_OUT = REPO / "docs" / "consensus-accuracy.md"
DEFAULT_SEED = 2024
DEFAULT_REPEATS = 3
FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.4)
TASKS = ("class", "stars", "boxes")


# --------------------------------------------------------------------------------------------
# Parameters of the synthetic crowds
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    n_items: int = 300
    n_workers: int = 30
    redundancy: int = 5  # workers per (non-gold) item
    gold_fraction: float = 0.05  # share of items that are gold
    gold_per_worker: Tuple[int, int] = (4, 6)  # each worker answers 4..6 gold items
    # class task
    n_classes: int = 4
    honest_class_accuracy: Tuple[float, float] = (0.65, 0.95)  # uniform per worker
    # stars task
    honest_star_sigma: Tuple[float, float] = (0.3, 1.0)  # Gaussian noise sd per worker
    # boxes task
    image_size: int = 1000
    true_boxes: Tuple[int, int] = (1, 3)
    box_side: Tuple[int, int] = (60, 300)
    n_box_classes: int = 3
    honest_box_jitter: Tuple[float, float] = (2.0, 20.0)  # pixel sd per coordinate, per worker
    honest_box_miss: Tuple[float, float] = (0.0, 0.15)  # chance to miss a box, per worker


# --------------------------------------------------------------------------------------------
# Boxes and set IoU (same definition as pallets/consensus-math: half-open integer boxes,
# one-to-one optimal matching, different classes never match, sum / max(|A|, |B|))
# --------------------------------------------------------------------------------------------

Box = Tuple[int, int, int, int, int]  # x0, y0, x1, y1, class


def box_iou(a: Box, b: Box) -> float:
    if a[4] != b[4]:
        return 0.0
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def set_iou(a: Sequence[Box], b: Sequence[Box]) -> float:
    """IoU of two box sets: optimal one-to-one matching (Hungarian), summed IoU of the pairs
    divided by the size of the larger set; two empty sets = 1, empty vs non-empty = 0."""
    larger = max(len(a), len(b))
    if larger == 0:
        return 1.0
    if not a or not b:
        return 0.0
    m = np.array([[box_iou(x, y) for y in b] for x in a])
    rows, cols = linear_sum_assignment(m, maximize=True)
    return float(m[rows, cols].sum()) / larger


def format_boxes(bs: Sequence[Box]) -> str:
    return ";".join(" ".join(str(v) for v in b) for b in bs)


def parse_boxes(s: str) -> List[Box]:
    out: List[Box] = []
    for part in s.split(";"):
        part = part.strip()
        if not part:
            continue
        v = [int(t) for t in part.split()]
        if len(v) != 5:
            raise ValueError(f"bad box {part!r}")
        out.append((v[0], v[1], v[2], v[3], v[4]))
    return out


def medoid(sets: Sequence[Sequence[Box]], weights: Optional[Sequence[float]] = None) -> int:
    """Index of the (weighted) medoid: the set with the highest summed (weighted) set IoU to all
    sets, itself included; ties go to the first, as in the chain's `consensus_boxes`."""
    n = len(sets)
    w = [1.0] * n if weights is None else list(weights)
    iou = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            iou[i, j] = iou[j, i] = set_iou(sets[i], sets[j])
    scores = iou @ np.array(w)
    best = 0
    for i in range(1, n):
        if scores[i] > scores[best] + 1e-12:
            best = i
    return best


# --------------------------------------------------------------------------------------------
# Synthetic crowds
# --------------------------------------------------------------------------------------------

HONEST, SPAMMER, COLLUDER = "honest", "spammer", "colluder"


@dataclass
class Dataset:
    task: str
    fraction: float
    seed: str  # the SeedSequence entropy it was generated from
    items: List[str]
    workers: List[str]
    worker_type: Dict[str, str]
    worker_noise: Dict[str, float]  # honest workers' noise parameter (see Params)
    truth: Dict[str, Any]  # item -> true answer (str class / int stars / list of boxes)
    gold: List[str]  # gold items (truth published to the method that uses gold)
    answers: List[Tuple[str, str, Any]] = field(default_factory=list)  # (item, worker, answer)

    def eval_items(self) -> List[str]:
        g = set(self.gold)
        return [q for q in self.items if q not in g]

    def answer_str(self, a: Any) -> str:
        if self.task == "boxes":
            return format_boxes(a)
        return str(a)


def _seq(base: int, rep: int, fraction: float, task: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([base, rep, int(round(fraction * 1000)), TASKS.index(task)])


def generate(task: str, fraction: float, seed: Sequence[int] | np.random.SeedSequence,
             p: Params = Params()) -> Dataset:
    """One synthetic crowd. `seed` is a SeedSequence or a list of ints for one."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(list(seed))
    rng = np.random.default_rng(ss)
    items = [f"q{i:04d}" for i in range(p.n_items)]
    workers = [f"w{i:03d}" for i in range(p.n_workers)]

    # Worker types: round(fraction * n) bad workers, half spammers (rounded down), rest colluders.
    n_bad = int(round(fraction * p.n_workers))
    n_spam = n_bad // 2
    bad = rng.permutation(p.n_workers)[:n_bad]
    worker_type = {w: HONEST for w in workers}
    for k, i in enumerate(bad):
        worker_type[workers[i]] = SPAMMER if k < n_spam else COLLUDER

    n_gold = max(1, int(round(p.gold_fraction * p.n_items)))
    gold = sorted(rng.choice(items, size=n_gold, replace=False).tolist())
    gold_set = set(gold)

    # Assignment: every non-gold item to `redundancy` distinct random workers; every worker to
    # 4..6 random gold items (hidden challenge items).
    assignment: List[Tuple[str, str]] = []
    for q in items:
        if q in gold_set:
            continue
        for i in rng.choice(p.n_workers, size=p.redundancy, replace=False):
            assignment.append((q, workers[i]))
    for w in workers:
        k = int(rng.integers(p.gold_per_worker[0], p.gold_per_worker[1] + 1))
        for q in rng.choice(gold, size=min(k, n_gold), replace=False):
            assignment.append((str(q), w))

    noise: Dict[str, float] = {}
    truth: Dict[str, Any] = {}
    wrong: Dict[str, Any] = {}  # the colluders' shared wrong answer per item
    answer_fn: Callable[[str, str], Any]

    if task == "class":
        classes = [f"c{k}" for k in range(p.n_classes)]
        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_class_accuracy))
        for q in items:
            t = int(rng.integers(p.n_classes))
            truth[q] = classes[t]
            wrong[q] = classes[(t + int(rng.integers(1, p.n_classes))) % p.n_classes]

        def answer_fn(q: str, w: str) -> Any:
            kind = worker_type[w]
            if kind == COLLUDER:
                return wrong[q]
            if kind == SPAMMER:
                return classes[int(rng.integers(p.n_classes))]
            if rng.random() < noise[w]:
                return truth[q]
            t = classes.index(truth[q])
            return classes[(t + int(rng.integers(1, p.n_classes))) % p.n_classes]

    elif task == "stars":
        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_star_sigma))
        for q in items:
            t = int(rng.integers(1, 6))
            truth[q] = t
            wrong[q] = 1 if t >= 3 else 5  # as far off as possible

        def answer_fn(q: str, w: str) -> Any:
            kind = worker_type[w]
            if kind == COLLUDER:
                return wrong[q]
            if kind == SPAMMER:
                return int(rng.integers(1, 6))
            return int(min(5, max(1, math.floor(truth[q] + rng.normal(0.0, noise[w]) + 0.5))))

    elif task == "boxes":
        size = p.image_size

        def random_box() -> Box:
            bw = int(rng.integers(p.box_side[0], p.box_side[1] + 1))
            bh = int(rng.integers(p.box_side[0], p.box_side[1] + 1))
            x0 = int(rng.integers(0, size - bw + 1))
            y0 = int(rng.integers(0, size - bh + 1))
            return (x0, y0, x0 + bw, y0 + bh, int(rng.integers(p.n_box_classes)))

        def random_set(lo: int, hi: int) -> List[Box]:
            return sorted(random_box() for _ in range(int(rng.integers(lo, hi + 1))))

        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_box_jitter))
        miss = {w: float(rng.uniform(*p.honest_box_miss)) for w in workers}
        for q in items:
            truth[q] = random_set(*p.true_boxes)
            wrong[q] = random_set(*p.true_boxes)

        def jitter(b: Box, sd: float) -> Box:
            x0, y0, x1, y1 = (int(round(v + rng.normal(0.0, sd))) for v in b[:4])
            x0, y0 = min(max(x0, 0), size - 1), min(max(y0, 0), size - 1)
            x1, y1 = min(max(x1, x0 + 1), size), min(max(y1, y0 + 1), size)
            return (x0, y0, x1, y1, b[4])

        def answer_fn(q: str, w: str) -> Any:
            kind = worker_type[w]
            if kind == COLLUDER:
                return list(wrong[q])
            if kind == SPAMMER:
                return random_set(0, 3)
            return [jitter(b, noise[w]) for b in truth[q] if rng.random() >= miss[w]]

    else:
        raise ValueError(f"unknown task {task!r}")

    ds = Dataset(task, fraction, repr(ss.entropy), items, workers, worker_type, noise, truth, gold)
    # Shuffle answer order so that nothing depends on generation order.
    order = rng.permutation(len(assignment))
    for i in order:
        q, w = assignment[i]
        ds.answers.append((q, w, answer_fn(q, w)))
    return ds


# --------------------------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------------------------


@dataclass
class MethodResult:
    predictions: Dict[str, Any]  # item -> consensus (class str / float stars / box list)
    workers: Optional[List[Dict[str, str]]] = None  # CLI workers.csv rows


class MethodError(Exception):
    pass


def run_cli(ds: Dataset, binary: str, use_gold: bool, workdir: Path) -> MethodResult:
    workdir.mkdir(parents=True, exist_ok=True)
    answers = workdir / "answers.csv"
    gold = workdir / "gold.csv"
    items = workdir / "items.csv"
    workers = workdir / "workers.csv"
    with answers.open("w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["question", "worker", "answer"])
        for q, w, a in ds.answers:
            wr.writerow([q, w, ds.answer_str(a)])
    cmd = [binary, "--kind", ds.task, "--answers", str(answers),
           "--out-items", str(items), "--out-workers", str(workers)]
    if use_gold:
        with gold.open("w", newline="") as f:
            wr = csv.writer(f)
            wr.writerow(["question", "truth"])
            for q in ds.gold:
                wr.writerow([q, ds.answer_str(ds.truth[q])])
        cmd[5:5] = ["--gold", str(gold)]
    for out in (items, workers):
        if out.exists():
            out.unlink()
    short = f"{binary} --kind {ds.task}{' --gold' if use_gold else ''}"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MethodError(f"could not run `{short}`: {e}") from e
    if proc.returncode != 0:
        raise MethodError(f"`{short}` exited {proc.returncode}: "
                          f"{(proc.stderr or proc.stdout).strip()[:500]}")
    try:
        with items.open(newline="") as f:
            rows = list(csv.DictReader(f))
        with workers.open(newline="") as f:
            wrows = list(csv.DictReader(f))
    except OSError as e:
        raise MethodError(f"CLI wrote no output: {e}") from e
    if not rows or set(rows[0].keys()) != {"question", "consensus"}:
        raise MethodError(f"items.csv has unexpected columns: {list(rows[0].keys()) if rows else 'empty'}")
    need = {"worker", "weight", "error", "labels", "gold_score", "qualified"}
    if not wrows or set(wrows[0].keys()) != need:
        raise MethodError(f"workers.csv has unexpected columns: {list(wrows[0].keys()) if wrows else 'empty'}")
    pred: Dict[str, Any] = {}
    try:
        for r in rows:
            c = r["consensus"]
            if ds.task == "class":
                pred[r["question"]] = c
            elif ds.task == "stars":
                pred[r["question"]] = float(c)
            else:
                pred[r["question"]] = parse_boxes(c)
    except ValueError as e:
        raise MethodError(f"unparsable consensus in items.csv: {e}") from e
    missing = [q for q in ds.eval_items() if q not in pred]
    if missing:
        raise MethodError(f"items.csv lacks {len(missing)} of {len(ds.eval_items())} items, "
                          f"e.g. {missing[:3]}")
    return MethodResult(pred, wrows)


def _frame(ds: Dataset):
    import pandas as pd

    return pd.DataFrame(
        [(q, w, a) for q, w, a in ds.answers], columns=["task", "worker", "label"]
    )


def crowdkit_methods() -> Dict[str, Callable[[Dataset], MethodResult]]:
    """The crowd-kit aggregators used on the categorical tasks (stars as categories 1..5)."""
    import pandas as pd
    from crowdkit.aggregation import GLAD, MMSR, DawidSkene, MajorityVote, Wawa

    def wrap(make: Callable[[], Any], gold: bool = False) -> Callable[[Dataset], MethodResult]:
        def run(ds: Dataset) -> MethodResult:
            df = _frame(ds)
            model = make()
            if gold:
                tl = pd.Series({q: ds.truth[q] for q in ds.gold})
                out = model.fit_predict(df, tl)
            else:
                out = model.fit_predict(df)
            return MethodResult({str(k): v for k, v in out.items()})

        return run

    return {
        "MajorityVote": wrap(MajorityVote),
        "Wawa": wrap(Wawa),
        "DawidSkene": wrap(lambda: DawidSkene(n_iter=100)),
        "DawidSkene+gold": wrap(lambda: DawidSkene(n_iter=100), gold=True),
        "GLAD": wrap(GLAD),
        "MMSR": wrap(MMSR),
    }


def unweighted_medoid(ds: Dataset) -> MethodResult:
    by_q: Dict[str, List[List[Box]]] = {}
    for q, _, a in ds.answers:
        by_q.setdefault(q, []).append(a)
    return MethodResult({q: sets[medoid(sets)] for q, sets in by_q.items()})


def random_worker(ds: Dataset, seed: int) -> MethodResult:
    rng = np.random.default_rng(seed)
    by_q: Dict[str, List[Any]] = {}
    for q, _, a in ds.answers:
        by_q.setdefault(q, []).append(a)
    return MethodResult({q: v[int(rng.integers(len(v)))] for q, v in sorted(by_q.items())})


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def metrics(ds: Dataset, pred: Dict[str, Any]) -> Dict[str, float]:
    qs = ds.eval_items()
    if ds.task == "class":
        return {"accuracy": float(np.mean([pred.get(q) == ds.truth[q] for q in qs]))}
    if ds.task == "stars":
        vals = [float(pred[q]) for q in qs]
        return {
            "accuracy": float(np.mean([round_half_up(v) == ds.truth[q] for v, q in zip(vals, qs)])),
            "mae": float(np.mean([abs(v - ds.truth[q]) for v, q in zip(vals, qs)])),
            "mae_rounded": float(np.mean([abs(round_half_up(v) - ds.truth[q]) for v, q in zip(vals, qs)])),
        }
    return {"set_iou": float(np.mean([set_iou(pred.get(q, []), ds.truth[q]) for q in qs]))}


def worker_diagnostics(ds: Dataset, rows: List[Dict[str, str]], use_gold: bool) -> Dict[str, float]:
    """Per worker type: share excluded (with gold) and mean weight (either run)."""
    out: Dict[str, float] = {}
    by_type: Dict[str, List[Dict[str, str]]] = {}
    for r in rows:
        t = ds.worker_type.get(r["worker"])
        if t is not None:
            by_type.setdefault(t, []).append(r)
    for t in (HONEST, SPAMMER, COLLUDER):
        rs = by_type.get(t, [])
        if not rs:
            continue
        out[f"weight_{t}"] = float(np.mean([float(r["weight"]) for r in rs]))
        if use_gold:
            out[f"excluded_{t}"] = float(np.mean([r["qualified"].strip().lower() != "true" for r in rs]))
    weights = [float(r["weight"]) for r in rows]
    out["weight_min"] = min(weights)
    out["weight_max"] = max(weights)
    return out


# --------------------------------------------------------------------------------------------
# Experiment
# --------------------------------------------------------------------------------------------

OURS = "CrowdLabel"
OURS_GOLD = "CrowdLabel+gold"


def method_names(task: str) -> List[str]:
    if task == "boxes":
        return [OURS, OURS_GOLD, "Medoid (unweighted)", "Random worker"]
    return [OURS, OURS_GOLD, "MajorityVote", "Wawa", "DawidSkene", "DawidSkene+gold", "GLAD", "MMSR"]


@dataclass
class Results:
    # scores[task][fraction][method][metric] -> list over repetitions
    scores: Dict[str, Dict[float, Dict[str, Dict[str, List[float]]]]] = field(default_factory=dict)
    diag: Dict[str, Dict[float, Dict[str, Dict[str, List[float]]]]] = field(default_factory=dict)
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)

    def add(self, task: str, frac: float, method: str, m: Dict[str, float]) -> None:
        slot = self.scores.setdefault(task, {}).setdefault(frac, {}).setdefault(method, {})
        for k, v in m.items():
            slot.setdefault(k, []).append(v)

    def add_diag(self, task: str, frac: float, method: str, d: Dict[str, float]) -> None:
        slot = self.diag.setdefault(task, {}).setdefault(frac, {}).setdefault(method, {})
        for k, v in d.items():
            slot.setdefault(k, []).append(v)


def run_all(args: argparse.Namespace) -> Results:
    res = Results()
    ck = crowdkit_methods()
    binary: Optional[str] = args.infer_bin
    if args.no_cli:
        binary = None
        res.errors.append("CLI columns skipped (--no-cli).")
    elif not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        res.errors.append(
            f"`{binary}` not found or not executable: CLI columns skipped. "
            "Build it with `cargo build --release -p crowdlabel-tools`."
        )
        print(f"warning: {res.errors[-1]}", file=sys.stderr)
        binary = None

    tmp_ctx = tempfile.TemporaryDirectory(prefix="crowdlabel-sim-") if not args.keep else None
    workroot = Path(args.keep) if args.keep else Path(tmp_ctx.name)  # type: ignore[union-attr]
    try:
        for task in args.tasks:
            for frac in args.fractions:
                for rep in range(args.repeats):
                    ss = _seq(args.seed, rep, frac, task)
                    ds = generate(task, frac, ss)
                    tag = f"{task} bad={frac:.0%} rep={rep}"
                    names = method_names(task)
                    for name in names:
                        if name in args.skip:
                            continue
                        t0 = time.perf_counter()
                        try:
                            if name in (OURS, OURS_GOLD):
                                if binary is None:
                                    continue
                                use_gold = name == OURS_GOLD
                                wd = workroot / f"{task}-{int(frac * 100)}-{rep}-{'gold' if use_gold else 'plain'}"
                                r = run_cli(ds, binary, use_gold, wd)
                                d = worker_diagnostics(ds, r.workers or [], use_gold)
                                res.add_diag(task, frac, name, d)
                                if abs(d["weight_max"] - d["weight_min"]) < 1e-9:
                                    res.warnings.append(
                                        f"{tag} {name}: all {len(r.workers or [])} worker weights equal "
                                        f"({d['weight_min']})")
                                bad = [w for w in (r.workers or [])
                                       if not 0.8 - 1e-9 <= float(w["weight"]) <= 1.2 + 1e-9]
                                if bad:
                                    res.warnings.append(
                                        f"{tag} {name}: {len(bad)} weights outside [0.8, 1.2], "
                                        f"e.g. {bad[0]}")
                            elif name in ck:
                                r = ck[name](ds)
                            elif name == "Medoid (unweighted)":
                                r = unweighted_medoid(ds)
                            elif name == "Random worker":
                                r = random_worker(ds, int(ss.generate_state(1)[0]))
                            else:
                                raise MethodError(f"unknown method {name}")
                            res.add(task, frac, name, metrics(ds, r.predictions))
                        except MethodError as e:
                            msg = f"{tag} {name}: {e}"
                            res.errors.append(msg)
                            print(f"error: {msg}", file=sys.stderr)
                        except Exception as e:  # a baseline crashing must not kill the run
                            msg = f"{tag} {name}: {type(e).__name__}: {e}"
                            res.errors.append(msg)
                            print(f"error: {msg}", file=sys.stderr)
                        res.timings[name] = res.timings.get(name, 0.0) + time.perf_counter() - t0
                    print(f"done {tag}", file=sys.stderr, flush=True)
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    return res


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _mean(v: Optional[List[float]]) -> Optional[float]:
    return float(np.mean(v)) if v else None


def table(res: Results, task: str, metric: str, fractions: Sequence[float], digits: int = 3,
          lower_is_better: bool = False) -> Tuple[str, float]:
    """Markdown table (rows = fraction, columns = methods), best value per row in bold.
    Returns the table and the largest standard deviation across seeds in it. For the stars MAE
    the CrowdLabel methods get a second column with the MAE of their rounded consensus."""
    cols = [(n, n, metric) for n in method_names(task)]
    if task == "stars" and metric == "mae":
        cols[2:2] = [(f"{n}, rounded", n, "mae_rounded") for n in (OURS, OURS_GOLD)]
    names = [c[0] for c in cols]
    lines = ["| bad workers | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    max_sd = 0.0
    for frac in fractions:
        row = res.scores.get(task, {}).get(frac, {})
        vals = {label: _mean(row.get(n, {}).get(m)) for label, n, m in cols}
        for label, n, m in cols:
            v = row.get(n, {}).get(m)
            if v and len(v) > 1:
                max_sd = max(max_sd, float(np.std(v, ddof=1)))
        present = [v for v in vals.values() if v is not None]
        best = (min(present) if lower_is_better else max(present)) if present else None
        cells = []
        for n in names:
            v = vals[n]
            if v is None:
                cells.append("n/a")
            else:
                s = f"{v:.{digits}f}"
                cells.append(f"**{s}**" if best is not None and round(v, digits) == round(best, digits) else s)
        lines.append(f"| {frac:.0%} | " + " | ".join(cells) + " |")
    return "\n".join(lines), max_sd


def diag_table(res: Results, task: str, fractions: Sequence[float]) -> Optional[str]:
    if task not in res.diag:
        return None
    cols = [
        (OURS_GOLD, "excluded_honest", "honest excluded"),
        (OURS_GOLD, "excluded_spammer", "spammers excluded"),
        (OURS_GOLD, "excluded_colluder", "colluders excluded"),
        (OURS, "weight_honest", "weight honest"),
        (OURS, "weight_spammer", "weight spammer"),
        (OURS, "weight_colluder", "weight colluder"),
        (OURS_GOLD, "weight_honest", "weight honest (gold run)"),
        (OURS_GOLD, "weight_colluder", "weight colluder (gold run)"),
    ]
    lines = ["| bad workers | " + " | ".join(c[2] for c in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for frac in fractions:
        cells = []
        for m, key, label in cols:
            v = _mean(res.diag[task].get(frac, {}).get(m, {}).get(key))
            if v is None:
                cells.append("–")
            elif key.startswith("excluded"):
                cells.append(f"{v:.0%}")
            else:
                cells.append(f"{v:.3f}")
        lines.append(f"| {frac:.0%} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _row_means(res: Results, task: str, frac: float, metric: str) -> Dict[str, float]:
    row = res.scores.get(task, {}).get(frac, {})
    out = {}
    for n in method_names(task):
        v = _mean(row.get(n, {}).get(metric))
        if v is not None:
            out[n] = v
    return out


def findings(res: Results, fractions: Sequence[float]) -> List[str]:
    """Sentences derived from the numbers (no hard-coded conclusions)."""
    out: List[str] = []
    specs = [("class", "accuracy", False, "accuracy", 0.005),
             ("stars", "accuracy", False, "rounded accuracy", 0.005),
             ("stars", "mae_rounded", True, "MAE of the rounded consensus", 0.005),
             ("boxes", "set_iou", False, "mean set IoU", 0.005)]
    for task, metric, lower, label, tie in specs:
        if task not in res.scores:
            continue
        parts: List[str] = []
        for ours in (OURS_GOLD, OURS):
            wins, losses = [], []
            for frac in fractions:
                m = _row_means(res, task, frac, metric)
                if ours not in m:
                    continue
                others = {k: v for k, v in m.items() if k not in (OURS, OURS_GOLD)}
                if not others:
                    continue
                best_name = (min if lower else max)(others, key=others.get)
                best = others[best_name]
                diff = (best - m[ours]) if lower else (m[ours] - best)  # > 0: ours better
                if diff >= -tie:
                    wins.append(f"{frac:.0%} ({'+' if diff >= 0 else ''}{diff:.3f} vs {best_name})")
                else:
                    losses.append(f"{frac:.0%} ({diff:.3f} vs {best_name})")
            if not wins and not losses:
                continue
            s = f"**{ours}**: "
            if wins:
                s += "best or within {:.3f} of the best baseline at {}".format(tie, ", ".join(wins))
            if losses:
                s += ("; " if wins else "") + "behind the best baseline at " + ", ".join(losses)
            parts.append(s)
        if parts:
            out.append(f"- *{task}, {label}* ({'lower' if lower else 'higher'} is better; "
                       f"differences are ours minus the best baseline in the row{', sign flipped so + means ours is better' if lower else ''}): "
                       + ". ".join(parts) + ".")
    # Effect of gold qualification and of the weighting.
    for task, metric in (("class", "accuracy"), ("stars", "accuracy"), ("boxes", "set_iou")):
        if task not in res.scores:
            continue
        g, p = [], []
        for frac in fractions:
            m = _row_means(res, task, frac, metric)
            if OURS in m and OURS_GOLD in m:
                g.append(m[OURS_GOLD] - m[OURS])
            base = "Medoid (unweighted)" if task == "boxes" else "MajorityVote"
            if OURS in m and base in m:
                p.append((frac, m[OURS] - m[base]))
        if g:
            out.append(f"- *{task}*: gold qualification changes {'mean set IoU' if metric == 'set_iou' else metric} by "
                       + ", ".join(f"{f:.0%}: {d:+.3f}" for f, d in zip(fractions, g))
                       + " (CrowdLabel+gold minus CrowdLabel).")
        if p:
            base = "unweighted medoid" if task == "boxes" else "MajorityVote"
            out.append(f"- *{task}*: the reputation weights alone (CrowdLabel without gold vs {base}) "
                       "change it by " + ", ".join(f"{f:.0%}: {d:+.3f}" for f, d in p) + ".")
        d = res.diag.get(task, {})
        hon = [_mean(d.get(f, {}).get(OURS_GOLD, {}).get("excluded_honest")) for f in fractions]
        col = [_mean(d.get(f, {}).get(OURS_GOLD, {}).get("excluded_colluder")) for f in fractions]
        spa = [_mean(d.get(f, {}).get(OURS_GOLD, {}).get("excluded_spammer")) for f in fractions]
        hon_v = [v for v in hon if v is not None]
        col_v = [v for v in col if v is not None]
        spa_v = [v for v in spa if v is not None]
        def rng_(v: List[float]) -> str:
            lo, hi = min(v), max(v)
            return f"{lo:.0%}" if round(lo, 2) == round(hi, 2) else f"{lo:.0%}–{hi:.0%}"

        if hon_v:
            s = f"- *{task}*: qualification on gold excluded {rng_(hon_v)} of the honest workers"
            if spa_v:
                s += f", {rng_(spa_v)} of the spammers"
            if col_v:
                s += f" and {rng_(col_v)} of the colluders"
            out.append(s + " (range over the fractions).")
    # Overall tally.
    for ours in (OURS_GOLD, OURS):
        cells, wins, worst = 0, 0, None
        for task, metric, lower, label, tie in specs:
            for frac in fractions:
                m = _row_means(res, task, frac, metric)
                others = {k: v for k, v in m.items() if k not in (OURS, OURS_GOLD)}
                if ours not in m or not others:
                    continue
                best_name = (min if lower else max)(others, key=others.get)
                diff = (others[best_name] - m[ours]) if lower else (m[ours] - others[best_name])
                cells += 1
                wins += diff >= -tie
                if worst is None or diff < worst[0]:
                    worst = (diff, task, label, frac, best_name)
        if cells:
            s = (f"- Overall, **{ours}** is best or within 0.005 of the best baseline in {wins} of "
                 f"{cells} (task, metric, fraction) cells")
            if worst is not None and worst[0] < -0.005:
                s += (f"; its largest shortfall is {-worst[0]:.3f} ({worst[1]} {worst[2]} at "
                      f"{worst[3]:.0%} bad workers, against {worst[4]})")
            out.append(s + ".")
    return out


def write_report(res: Results, args: argparse.Namespace, runtime: float, path: Path) -> str:
    p = Params()
    fr = args.fractions
    cli_ok = any(OURS in res.scores.get(t, {}).get(f, {}) for t in res.scores for f in fr)
    L: List[str] = []
    L.append("# Consensus accuracy: CrowdLabel vs crowd-kit baselines")
    L.append("")
    L.append("*Generated by `research/consensus-sim/simulate.py`; do not edit by hand, rerun it.*")
    L.append("")
    L.append("## What is simulated")
    L.append("")
    L.append(
        f"Synthetic crowds for three tasks: **single class** ({p.n_classes} classes), **stars** "
        f"(integer 1–5) and **boxes** (1–3 true boxes of {p.n_box_classes} classes and "
        f"{p.box_side[0]}–{p.box_side[1]} px sides on a {p.image_size}×{p.image_size} image). "
        f"Each dataset has {p.n_items} items and {p.n_workers} workers; every non-gold item is "
        f"answered by {p.redundancy} distinct random workers. {p.gold_fraction:.0%} of the items "
        f"({int(round(p.gold_fraction * p.n_items))}) are gold: every worker answers "
        f"{p.gold_per_worker[0]}–{p.gold_per_worker[1]} of them as hidden challenge items. Gold "
        "items are excluded from every metric.")
    L.append("")
    L.append("Worker types:")
    L.append("")
    L.append(
        f"- **honest**, with a per-worker noise level: class — correct with probability "
        f"U({p.honest_class_accuracy[0]}, {p.honest_class_accuracy[1]}), otherwise a uniformly "
        f"random wrong class; stars — truth + N(0, σ), σ ~ U({p.honest_star_sigma[0]}, "
        f"{p.honest_star_sigma[1]}), rounded and clamped to 1–5; boxes — every coordinate "
        f"jittered by N(0, σ) px, σ ~ U({p.honest_box_jitter[0]:g}, {p.honest_box_jitter[1]:g}), "
        f"and each box missed with a per-worker probability U({p.honest_box_miss[0]:g}, "
        f"{p.honest_box_miss[1]:g}).")
    L.append("- **spammers**: uniformly random answers (a random class; a random score; 0–3 random "
             "boxes).")
    L.append("- **colluders**: all give the *same* wrong answer per item (a fixed wrong class per "
             "item; the farthest score, 1 if the truth is ≥ 3 else 5; a shared random box set "
             "of 1–3 boxes). They cannot tell gold items from others, so they answer them the "
             "same way.")
    L.append("")
    L.append(
        "Bad-worker fraction f: round(f × workers) bad workers, half spammers (rounded down) and "
        "the rest colluders, chosen at random. Fractions: " + ", ".join(f"{f:.0%}" for f in fr) +
        f". Each cell is the mean over {args.repeats} seeds.")
    L.append("")
    L.append("Methods:")
    L.append("")
    L.append(
        "- **CrowdLabel**: `crowdlabel-infer` (the chain's consensus code) without `--gold`: "
        "reputation-weighted consensus (weights 0.8 + 0.4·exp(−x²/2s²) from each worker's error x), "
        "iterated; class = weighted vote, stars = weighted mean, boxes = weighted medoid.")
    L.append(
        "- **CrowdLabel+gold**: the same with `--gold`: workers whose agreement with the gold "
        "answers is below the default threshold (class 50%, stars 75%, boxes IoU 0.5) are "
        "excluded, and gold errors count in the weights.")
    L.append(
        "- crowd-kit " + _ck_version() + " (`crowdkit.aggregation`): **MajorityVote, Wawa, "
        "DawidSkene, GLAD, MMSR** with default settings on the class and stars tasks (stars "
        "treated as the 5 categories 1..5). **DawidSkene+gold** is DawidSkene given the same gold "
        "truths (`fit_predict(data, true_labels)`), the one baseline that sees the gold, for a fair "
        "comparison with CrowdLabel+gold.")
    L.append(
        "- Boxes: crowd-kit has no box-set aggregator, so the baselines there are an "
        "**unweighted medoid** (the worker's box set with the highest summed set IoU to the "
        "others, computed in Python with `scipy.optimize.linear_sum_assignment`) and a **random "
        "single worker**'s answer per item.")
    L.append("")
    L.append(
        "Set IoU (boxes): optimal one-to-one matching of the boxes (Hungarian), summed IoU of the "
        "pairs divided by the size of the larger set; boxes of different classes never match; two "
        "empty sets score 1.")
    L.append("")
    L.append("## Results")
    L.append("")
    L.append("The best value in each row is in bold (CrowdLabel columns included).")
    L.append("")
    if not cli_ok:
        L.append("**The CrowdLabel columns are missing (n/a): the CLI did not run; see Problems "
                 "below.**")
        L.append("")
    sections = [
        ("class", "accuracy", "Single class — accuracy", False),
        ("stars", "accuracy", "Stars — accuracy of the rounded consensus", False),
        ("stars", "mae", "Stars — mean absolute error", True),
        ("boxes", "set_iou", "Boxes — mean set IoU with the true boxes", False),
    ]
    for task, metric, title, lower in sections:
        if task not in res.scores:
            continue
        t, sd = table(res, task, metric, fr, lower_is_better=lower)
        L.append(f"### {title}")
        L.append("")
        L.append(t)
        L.append("")
        notes = []
        if task == "stars" and metric == "accuracy":
            notes.append("CrowdLabel's weighted mean is rounded half up; crowd-kit's predictions "
                         "are categories already.")
        if task == "stars" and metric == "mae":
            notes.append("The CrowdLabel columns give the MAE of the unrounded weighted mean; the "
                         "\"rounded\" columns that of the mean rounded half up, which compares like "
                         "with like against crowd-kit's predicted categories.")
        if task == "boxes":
            notes.append("No crowd-kit baseline: crowd-kit has no box-set aggregator (see "
                         "Methods).")
        if args.repeats > 1:
            notes.append(f"Largest standard deviation across the {args.repeats} seeds of a cell "
                         f"in this table: {sd:.3f}.")
        L.append(" ".join(notes))
        L.append("")
    if res.diag:
        L.append("### Worker diagnostics (CrowdLabel runs)")
        L.append("")
        L.append("Share of workers of each type that failed qualification on gold (CrowdLabel+gold), "
                 "and the mean final weight per type (CrowdLabel without gold, and the honest and "
                 "colluder weights of the gold run).")
        L.append("")
        for task in TASKS:
            d = diag_table(res, task, fr)
            if d:
                L.append(f"**{task}**")
                L.append("")
                L.append(d)
                L.append("")
    L.append("## Findings")
    L.append("")
    f = findings(res, fr)
    if f:
        L.append("Derived from the tables above (ties within 0.005 count as best):")
        L.append("")
        L.extend(f)
        L.append("")
    else:
        L.append("No CrowdLabel numbers: nothing to compare.")
        L.append("")
    L.append(
        "Caveats: the crowds are synthetic and the colluders here do not recognise gold items, "
        "which is what makes qualification on gold effective; colluders who answer gold items "
        "honestly would pass it. CrowdLabel+gold and DawidSkene+gold use the gold truths, the "
        "other baselines only see the workers' answers on the gold items.")
    L.append("")
    L.append("## Reproduce")
    L.append("")
    L.append("```sh")
    extra = _cmdline(args)
    L.append("research/consensus-sim/run.sh" + (f" {extra}" if extra else ""))
    L.append("```")
    L.append("")
    L.append(
        "(`run.sh` creates `research/consensus-sim/.venv` if missing, installs `research/consensus-sim/requirements.txt` and runs "
        "`research/consensus-sim/simulate.py` with the CLI built by `cargo build --release -p "
        "crowdlabel-tools`; it builds nothing itself.) "
        f"Seeds: base seed {args.seed}; repetitions 0..{args.repeats - 1}; each dataset's RNG is "
        "`numpy.random.SeedSequence([base, repetition, round(1000 × fraction), task index])` "
        "(task index: class 0, stars 1, boxes 2). Requirements: `research/consensus-sim/requirements.txt`. "
        f"CLI used: `{args.infer_bin}`. "
        f"Runtime of this run: {runtime:.0f} s.")
    L.append("")
    if res.errors or res.warnings:
        L.append("## Problems")
        L.append("")
        for e in res.errors[:30]:
            L.append(f"- error: {e}")
        if len(res.errors) > 30:
            L.append(f"- … and {len(res.errors) - 30} more errors")
        for w in res.warnings[:30]:
            L.append(f"- warning: {w}")
        if len(res.warnings) > 30:
            L.append(f"- … and {len(res.warnings) - 30} more warnings")
        L.append("")
    text = "\n".join(L)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text


def _ck_version() -> str:
    try:
        from importlib.metadata import version

        return version("crowd-kit")
    except Exception:
        return "(unknown version)"


def _cmdline(args: argparse.Namespace) -> str:
    parts = []
    if args.seed != DEFAULT_SEED:
        parts.append(f"--seed {args.seed}")
    if args.repeats != DEFAULT_REPEATS:
        parts.append(f"--repeats {args.repeats}")
    if list(args.tasks) != list(TASKS):
        parts.append("--tasks " + " ".join(args.tasks))
    if tuple(args.fractions) != FRACTIONS:
        parts.append("--fractions " + " ".join(str(f) for f in args.fractions))
    if args.skip:
        parts.append("--skip " + " ".join(args.skip))
    if args.infer_bin != DEFAULT_BIN:
        parts.append(f"--infer-bin {args.infer_bin}")
    return " ".join(parts)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="base seed (default %(default)s)")
    ap.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="seeds per fraction")
    ap.add_argument("--tasks", nargs="+", choices=TASKS, default=list(TASKS))
    ap.add_argument("--fractions", nargs="+", type=float, default=list(FRACTIONS))
    ap.add_argument("--infer-bin", default=DEFAULT_BIN, help="crowdlabel-infer binary")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI columns")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown report to write")
    ap.add_argument("--skip", nargs="+", default=[], metavar="METHOD",
                    help="methods to leave out (e.g. GLAD, the slowest)")
    ap.add_argument("--keep", metavar="DIR", help="keep the CLI's CSV files under DIR")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any method failed or the CLI is missing")
    args = ap.parse_args(argv)
    args.fractions = [float(f) for f in args.fractions]

    t0 = time.perf_counter()
    res = run_all(args)
    runtime = time.perf_counter() - t0
    text = write_report(res, args, runtime, args.out)
    print(text)
    print(f"\nwrote {args.out} in {runtime:.0f} s", file=sys.stderr)
    print("time per method (s): " + ", ".join(f"{k} {v:.1f}" for k, v in res.timings.items()),
          file=sys.stderr)
    if res.errors:
        print(f"{len(res.errors)} error(s), see the Problems section of the report", file=sys.stderr)
    if res.warnings:
        print(f"{len(res.warnings)} warning(s), see the Problems section of the report", file=sys.stderr)
    if args.strict and (res.errors or res.warnings):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
