#!/usr/bin/env python3
"""Accuracy simulation: CrowdLabel's consensus (the `crowdlabel-infer` CLI, in its `batch` and
`replay` modes) against the truth-inference baselines of `crowd-kit`, on synthetic crowds and
on one real crowd (adult-content).

Three synthetic tasks (single class, 1-5 stars, bounding boxes), five bad-worker fractions, a few
seeds each. The bad workers are a round-robin mix of five types: colluders (all give the same
wrong answer per item), gold-aware colluders (the same, but honest on gold / challenge items),
spammers (uniform random answers), systematic workers (class: swap two classes; stars: one star
too high or too low; boxes: loose boxes) and lazy workers (always the most common answer). About
5% of the items are gold (truth known); every worker answers a few of them as hidden challenge
items, so the CLI's gold handling can run. Gold items are left out of every accuracy metric.

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
DEFAULT_REAL = Path("/work/shared/data/real/adult-content")
DEFAULT_SEED = 2024
DEFAULT_REPEATS = 3
DEFAULT_PACKAGE_SIZE = 20
DEFAULT_REAL_GOLD_SAMPLES = 3
FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.4)
TASKS = ("class", "stars", "boxes", "score")
# The CLI's `--kind` of each task (the score task is a 0-100 rating).
CLI_KIND = {"class": "class", "stars": "stars", "boxes": "boxes", "score": "score:0:100"}

# Worker types.
HONEST = "honest"
SPAMMER = "spammer"
COLLUDER = "colluder"
SMART_COLLUDER = "gold-aware colluder"  # honest on gold items, colludes on the others
SYSTEMATIC = "systematic"  # class: swaps two classes; stars: biased ±1; boxes: loose boxes
LAZY = "lazy"  # always the most common answer
WORKER_TYPES = (HONEST, COLLUDER, SMART_COLLUDER, SPAMMER, SYSTEMATIC, LAZY)
# The i-th bad worker (in a random order of the workers) gets type BAD_MIX[i % 5].
BAD_MIX = (COLLUDER, SMART_COLLUDER, SPAMMER, SYSTEMATIC, LAZY)


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
    bad_mix: Tuple[str, ...] = BAD_MIX
    # class task
    n_classes: int = 4
    class_prior: Tuple[float, ...] = (0.4, 0.3, 0.2, 0.1)  # true class distribution
    honest_class_accuracy: Tuple[float, float] = (0.65, 0.95)  # uniform per worker
    confused_pair: Tuple[int, int] = (0, 1)  # the two classes systematic workers swap
    # stars task
    star_prior: Tuple[float, ...] = (0.05, 0.10, 0.20, 0.40, 0.25)  # P(truth = 1..5)
    honest_star_sigma: Tuple[float, float] = (0.3, 1.0)  # Gaussian noise sd per worker
    star_bias: int = 1  # systematic workers: +bias or -bias stars (sign per worker), clamped
    # boxes task
    image_size: int = 1000
    true_boxes: Tuple[int, int] = (1, 3)
    box_side: Tuple[int, int] = (60, 300)
    n_box_classes: int = 3
    honest_box_jitter: Tuple[float, float] = (2.0, 20.0)  # pixel sd per coordinate, per worker
    honest_box_miss: Tuple[float, float] = (0.0, 0.15)  # chance to miss a box, per worker
    loose_pad: float = 0.2  # systematic workers: every side pushed out by 20% of the box size
    # score task: integer ratings 0-100
    score_max: int = 100
    score_truth: Tuple[float, float] = (60.0, 20.0)  # truth ~ N(mean, sd), rounded, clamped
    honest_score_sigma: Tuple[float, float] = (4.0, 15.0)  # Gaussian noise sd per worker
    score_bias: int = 20  # systematic workers: +bias or -bias points (sign per worker), clamped


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


@dataclass
class Dataset:
    task: str
    fraction: float
    seed: str  # the SeedSequence entropy it was generated from
    items: List[str]
    workers: List[str]
    worker_type: Dict[str, str]
    worker_noise: Dict[str, float]  # each worker's noise parameter when answering honestly
    truth: Dict[str, Any]  # item -> true answer (str class / int stars / list of boxes)
    gold: List[str]  # gold items (truth published to the method that uses gold)
    answers: List[Tuple[str, str, Any]] = field(default_factory=list)  # (item, worker, answer)
    worker_bias: Dict[str, int] = field(default_factory=dict)  # stars: systematic workers' bias

    def eval_items(self) -> List[str]:
        g = set(self.gold)
        return [q for q in self.items if q not in g]

    def answer_str(self, a: Any) -> str:
        if self.task == "boxes":
            return format_boxes(a)
        return str(a)


def _seq(base: int, rep: int, fraction: float, task: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([base, rep, int(round(fraction * 1000)), TASKS.index(task)])


def _prior(v: Sequence[float], n: int) -> np.ndarray:
    p = np.array(v, dtype=float) if len(v) == n else np.ones(n)
    return p / p.sum()


def worker_types(fraction: float, order: np.ndarray, workers: Sequence[str],
                 mix: Sequence[str] = BAD_MIX) -> Dict[str, str]:
    """round(fraction × workers) bad workers: the first ones of `order` (a permutation of the
    worker indices), typed round-robin by `mix`; all others honest."""
    n_bad = int(round(fraction * len(workers)))
    out = {w: HONEST for w in workers}
    for k, i in enumerate(order[:n_bad]):
        out[workers[int(i)]] = mix[k % len(mix)]
    return out


def generate(task: str, fraction: float, seed: Sequence[int] | np.random.SeedSequence,
             p: Params = Params()) -> Dataset:
    """One synthetic crowd. `seed` is a SeedSequence or a list of ints for one."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(list(seed))
    rng = np.random.default_rng(ss)
    items = [f"q{i:04d}" for i in range(p.n_items)]
    workers = [f"w{i:03d}" for i in range(p.n_workers)]
    worker_type = worker_types(fraction, rng.permutation(p.n_workers), workers, p.bad_mix)

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
    bias: Dict[str, int] = {}
    truth: Dict[str, Any] = {}
    wrong: Dict[str, Any] = {}  # the colluders' shared wrong answer per item
    # Per task: honest(q, w), spam(), lazy answer, systematic(q, w).
    honest: Callable[[str, str], Any]
    spam: Callable[[], Any]
    systematic: Callable[[str, str], Any]
    lazy: Any

    if task == "class":
        classes = [f"c{k}" for k in range(p.n_classes)]
        prior = _prior(p.class_prior, p.n_classes)
        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_class_accuracy))
        for q in items:
            t = int(rng.choice(p.n_classes, p=prior))
            truth[q] = classes[t]
            wrong[q] = classes[(t + int(rng.integers(1, p.n_classes))) % p.n_classes]
        lazy = classes[int(np.argmax(prior))]
        swap = {classes[p.confused_pair[0]]: classes[p.confused_pair[1]],
                classes[p.confused_pair[1]]: classes[p.confused_pair[0]]}

        def honest(q: str, w: str) -> Any:
            if rng.random() < noise[w]:
                return truth[q]
            t = classes.index(truth[q])
            return classes[(t + int(rng.integers(1, p.n_classes))) % p.n_classes]

        def spam() -> Any:
            return classes[int(rng.integers(p.n_classes))]

        def systematic(q: str, w: str) -> Any:
            a = honest(q, w)
            return swap.get(a, a)

    elif task == "stars":
        prior = _prior(p.star_prior, 5)
        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_star_sigma))
            bias[w] = p.star_bias if rng.random() < 0.5 else -p.star_bias
        for q in items:
            t = int(rng.choice(5, p=prior)) + 1
            truth[q] = t
            wrong[q] = 1 if t >= 3 else 5  # as far off as possible
        lazy = int(np.argmax(prior)) + 1

        def stars(q: str, w: str, shift: int) -> int:
            return int(min(5, max(1, math.floor(truth[q] + shift + rng.normal(0.0, noise[w]) + 0.5))))

        def honest(q: str, w: str) -> Any:
            return stars(q, w, 0)

        def spam() -> Any:
            return int(rng.integers(1, 6))

        def systematic(q: str, w: str) -> Any:
            return stars(q, w, bias[w])

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
        lazy = []  # no boxes at all

        def jitter(b: Box, sd: float) -> Box:
            x0, y0, x1, y1 = (int(round(v + rng.normal(0.0, sd))) for v in b[:4])
            x0, y0 = min(max(x0, 0), size - 1), min(max(y0, 0), size - 1)
            x1, y1 = min(max(x1, x0 + 1), size), min(max(y1, y0 + 1), size)
            return (x0, y0, x1, y1, b[4])

        def loosen(b: Box) -> Box:
            px = int(round(p.loose_pad * (b[2] - b[0])))
            py = int(round(p.loose_pad * (b[3] - b[1])))
            return (max(0, b[0] - px), max(0, b[1] - py), min(size, b[2] + px),
                    min(size, b[3] + py), b[4])

        def honest(q: str, w: str) -> Any:
            return [jitter(b, noise[w]) for b in truth[q] if rng.random() >= miss[w]]

        def spam() -> Any:
            return random_set(0, 3)

        def systematic(q: str, w: str) -> Any:
            return [jitter(loosen(b), noise[w]) for b in truth[q] if rng.random() >= miss[w]]

    elif task == "score":
        top = p.score_max

        def clamp(x: float) -> int:
            return int(min(top, max(0, math.floor(x + 0.5))))

        for w in workers:
            noise[w] = float(rng.uniform(*p.honest_score_sigma))
            bias[w] = p.score_bias if rng.random() < 0.5 else -p.score_bias
        for q in items:
            t = clamp(rng.normal(*p.score_truth))
            truth[q] = t
            wrong[q] = 0 if t >= top // 2 else top  # as far off as possible
        lazy = clamp(p.score_truth[0])  # the most common answer: the centre of the truths

        def honest(q: str, w: str) -> Any:
            return clamp(truth[q] + rng.normal(0.0, noise[w]))

        def spam() -> Any:
            return int(rng.integers(0, top + 1))

        def systematic(q: str, w: str) -> Any:
            return clamp(truth[q] + bias[w] + rng.normal(0.0, noise[w]))

    else:
        raise ValueError(f"unknown task {task!r}")

    def answer_fn(q: str, w: str) -> Any:
        kind = worker_type[w]
        if kind == SMART_COLLUDER:
            kind = HONEST if q in gold_set else COLLUDER
        if kind == COLLUDER:
            return list(wrong[q]) if task == "boxes" else wrong[q]
        if kind == SPAMMER:
            return spam()
        if kind == LAZY:
            return list(lazy) if task == "boxes" else lazy
        if kind == SYSTEMATIC:
            return systematic(q, w)
        return honest(q, w)

    ds = Dataset(task, fraction, repr(ss.entropy), items, workers, worker_type, noise, truth,
                 gold, worker_bias=bias)
    # Shuffle answer order so that nothing depends on generation order (the replay takes the
    # questions in order of first appearance).
    order = rng.permutation(len(assignment))
    for i in order:
        q, w = assignment[i]
        ds.answers.append((q, w, answer_fn(q, w)))
    return ds


# --------------------------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------------------------

BATCH = "CrowdLabel batch"
BATCH_GOLD = "CrowdLabel batch+gold"
REPLAY = "CrowdLabel replay"
REPLAY_GOLD = "CrowdLabel replay+gold"
# method name -> (CLI mode, uses --gold)
CLI_METHODS: Dict[str, Tuple[str, bool]] = {
    BATCH: ("batch", False),
    BATCH_GOLD: ("batch", True),
    REPLAY: ("replay", False),
    REPLAY_GOLD: ("replay", True),
}
OURS_ALL = tuple(CLI_METHODS)
GOLD_METHODS = {BATCH_GOLD, REPLAY_GOLD, "DawidSkene+gold"}  # the methods that see the gold truths
WORKER_COLUMNS = {
    "batch": {"worker", "weight", "error", "labels", "gold_score", "qualified"},
    "replay": {"worker", "power", "weight", "labels"},
}


@dataclass
class MethodResult:
    predictions: Dict[str, Any]  # item -> consensus (class str / float stars / box list)
    workers: Optional[List[Dict[str, str]]] = None  # CLI workers.csv rows
    seconds: Optional[float] = None  # CLI wall clock


class MethodError(Exception):
    pass


def run_cli_files(binary: str, kind: str, answers: Path, gold: Optional[Path], workdir: Path,
                  mode: str = "batch", package_size: int = DEFAULT_PACKAGE_SIZE
                  ) -> Tuple[List[Dict[str, str]], List[Dict[str, str]], float]:
    """Runs the CLI on CSV files; returns the items rows, the workers rows and the wall clock
    of the run (seconds). `--mode` is passed only for `replay` (batch is the default)."""
    if mode not in WORKER_COLUMNS:
        raise ValueError(f"unknown mode {mode!r}")
    workdir.mkdir(parents=True, exist_ok=True)
    items = workdir / "items.csv"
    workers = workdir / "workers.csv"
    cmd = [binary, "--kind", kind, "--answers", str(answers)]
    if gold is not None:
        cmd += ["--gold", str(gold)]
    if mode != "batch":
        cmd += ["--mode", mode, "--package-size", str(package_size)]
    cmd += ["--out-items", str(items), "--out-workers", str(workers)]
    for out in (items, workers):
        if out.exists():
            out.unlink()
    short = f"{binary} --kind {kind}{' --gold' if gold is not None else ''} --mode {mode}"
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MethodError(f"could not run `{short}`: {e}") from e
    seconds = time.perf_counter() - t0
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
    need = WORKER_COLUMNS[mode]
    if not wrows or set(wrows[0].keys()) != need:
        raise MethodError(f"workers.csv ({mode}) has unexpected columns: "
                          f"{list(wrows[0].keys()) if wrows else 'empty'}, expected {sorted(need)}")
    return rows, wrows, seconds


def parse_consensus(task: str, rows: List[Dict[str, str]]) -> Dict[str, Any]:
    pred: Dict[str, Any] = {}
    try:
        for r in rows:
            c = r["consensus"]
            if task == "class":
                pred[r["question"]] = c
            elif task in ("stars", "score"):
                pred[r["question"]] = float(c)
            else:
                pred[r["question"]] = parse_boxes(c)
    except ValueError as e:
        raise MethodError(f"unparsable consensus in items.csv: {e}") from e
    return pred


def run_cli(ds: Dataset, binary: str, use_gold: bool, workdir: Path, mode: str = "batch",
            package_size: int = DEFAULT_PACKAGE_SIZE) -> MethodResult:
    workdir.mkdir(parents=True, exist_ok=True)
    answers = workdir / "answers.csv"
    gold = workdir / "gold.csv"
    with answers.open("w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["question", "worker", "answer"])
        for q, w, a in ds.answers:
            wr.writerow([q, w, ds.answer_str(a)])
    if use_gold:
        with gold.open("w", newline="") as f:
            wr = csv.writer(f)
            wr.writerow(["question", "truth"])
            for q in ds.gold:
                wr.writerow([q, ds.answer_str(ds.truth[q])])
    rows, wrows, seconds = run_cli_files(binary, CLI_KIND[ds.task], answers, gold if use_gold else None,
                                         workdir, mode, package_size)
    pred = parse_consensus(ds.task, rows)
    missing = [q for q in ds.eval_items() if q not in pred]
    if missing:
        raise MethodError(f"items.csv lacks {len(missing)} of {len(ds.eval_items())} items, "
                          f"e.g. {missing[:3]}")
    return MethodResult(pred, wrows, seconds)


def _frame(answers: Sequence[Tuple[str, str, Any]]):
    import pandas as pd

    return pd.DataFrame([(q, w, a) for q, w, a in answers], columns=["task", "worker", "label"])


def crowdkit_fit(name: str, answers: Sequence[Tuple[str, str, Any]],
                 gold: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Predictions of the crowd-kit aggregator `name` (default settings; DawidSkene 100
    iterations). `gold` (item -> truth) is passed as `true_labels` (DawidSkene only)."""
    import pandas as pd
    from crowdkit.aggregation import GLAD, MMSR, DawidSkene, MajorityVote, Wawa

    make = {"MajorityVote": MajorityVote, "Wawa": Wawa, "DawidSkene": lambda: DawidSkene(n_iter=100),
            "GLAD": GLAD, "MMSR": MMSR}[name]
    model = make()
    df = _frame(answers)
    out = model.fit_predict(df, pd.Series(gold)) if gold else model.fit_predict(df)
    return {str(k): v for k, v in out.items()}


def crowdkit_methods() -> Dict[str, Callable[[Dataset], MethodResult]]:
    """The crowd-kit aggregators used on the categorical tasks (stars as categories 1..5).
    DawidSkene+gold is DawidSkene given the gold truths (`fit_predict(data, true_labels)`)."""

    def wrap(name: str, gold: bool = False) -> Callable[[Dataset], MethodResult]:
        def run(ds: Dataset) -> MethodResult:
            g = {q: ds.truth[q] for q in ds.gold} if gold else None
            return MethodResult(crowdkit_fit(name, ds.answers, g))

        return run

    return {
        "MajorityVote": wrap("MajorityVote"),
        "Wawa": wrap("Wawa"),
        "DawidSkene": wrap("DawidSkene"),
        "DawidSkene+gold": wrap("DawidSkene", gold=True),
        "GLAD": wrap("GLAD"),
        "MMSR": wrap("MMSR"),
    }


def unweighted_medoid(ds: Dataset) -> MethodResult:
    by_q: Dict[str, List[List[Box]]] = {}
    for q, _, a in ds.answers:
        by_q.setdefault(q, []).append(a)
    return MethodResult({q: sets[medoid(sets)] for q, sets in by_q.items()})


def plain_score(ds: Dataset, f: Callable[[Sequence[float]], Any]) -> MethodResult:
    """Per item, `f` (mean or median) of its answers, every worker alike."""
    by_q: Dict[str, List[float]] = {}
    for q, _, a in ds.answers:
        by_q.setdefault(q, []).append(float(a))
    return MethodResult({q: float(f(v)) for q, v in by_q.items()})


def random_worker(ds: Dataset, seed: int) -> MethodResult:
    rng = np.random.default_rng(seed)
    by_q: Dict[str, List[Any]] = {}
    for q, _, a in ds.answers:
        by_q.setdefault(q, []).append(a)
    return MethodResult({q: v[int(rng.integers(len(v)))] for q, v in sorted(by_q.items())})


ONLINE_BOUND = "Online ceiling"  # not a method: knows the generator and every past truth
BOUND_TASKS = ("class", "stars")
BOUND_GRID = 13  # grid points of each worker's hidden noise level


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _star_table(sigma: float, shift: int) -> np.ndarray:
    """P(answer | truth) of a star worker with noise `sigma` and bias `shift`:
    answer = clamp(round(truth + shift + N(0, sigma)), 1, 5); rows truth 1..5, columns 1..5."""
    t = np.zeros((5, 5))
    for i in range(5):
        mu = i + 1 + shift
        edges = [-math.inf] + [a + 0.5 for a in range(1, 5)] + [math.inf]
        cdf = [0.0 if e == -math.inf else 1.0 if e == math.inf else _normal_cdf((e - mu) / sigma)
               for e in edges]
        t[i] = np.diff(cdf)
    return t


def worker_type_tables(task: str, p: Params = Params()) -> Tuple[List[str], np.ndarray, np.ndarray]:
    """The generator's worker types as answer tables: `(type per entry, tables on ordinary items,
    tables on gold items)`, each table `P(answer | truth)` (`K × V × V`, V answer values). A
    type with a hidden noise level (an honest worker's accuracy or noise sd) has one entry per
    point of a `BOUND_GRID` grid over the generator's range."""
    names: List[str] = []
    plain: List[np.ndarray] = []
    gold: List[np.ndarray] = []

    def add(name: str, t: np.ndarray, g: Optional[np.ndarray] = None) -> None:
        names.append(name)
        plain.append(t)
        gold.append(t if g is None else g)

    if task == "class":
        c = p.n_classes
        swap = list(range(c))
        a, b = p.confused_pair
        swap[a], swap[b] = b, a
        wrong = np.full((c, c), 1.0 / (c - 1))
        np.fill_diagonal(wrong, 0.0)
        for acc in np.linspace(*p.honest_class_accuracy, BOUND_GRID):
            h = np.full((c, c), (1.0 - acc) / (c - 1))
            np.fill_diagonal(h, acc)
            add(HONEST, h)
            add(SYSTEMATIC, h[:, swap])
            add(SMART_COLLUDER, wrong, h)
        lazy = np.zeros((c, c))
        lazy[:, int(np.argmax(p.class_prior))] = 1.0
        add(SPAMMER, np.full((c, c), 1.0 / c))
        add(COLLUDER, wrong)
        add(LAZY, lazy)
    elif task == "stars":
        far = np.zeros((5, 5))
        for i in range(5):
            far[i, 0 if i + 1 >= 3 else 4] = 1.0
        for sd in np.linspace(*p.honest_star_sigma, BOUND_GRID):
            h = _star_table(sd, 0)
            add(HONEST, h)
            add(SYSTEMATIC, _star_table(sd, p.star_bias))
            add(SYSTEMATIC, _star_table(sd, -p.star_bias))
            add(SMART_COLLUDER, far, h)
        lazy = np.zeros((5, 5))
        lazy[:, int(np.argmax(p.star_prior))] = 1.0
        add(SPAMMER, np.full((5, 5), 0.2))
        add(COLLUDER, far)
        add(LAZY, lazy)
    else:
        raise ValueError(f"no online ceiling for task {task!r}")
    return names, np.array(plain), np.array(gold)


def online_ceiling(ds: Dataset, package_size: int = DEFAULT_PACKAGE_SIZE,
                   p: Params = Params()) -> MethodResult:
    """An (approximate) ceiling for any online consensus, such as the chain's replay: the Bayes
    vote of a judge who knows how the crowd was generated and learns the **truth** of every
    finalised package. Each worker's type and noise level are unknown; the judge's prior over
    them is the generator's own mix (the round-robin bad types at the dataset's fraction, the
    noise levels uniform on a grid), its posterior is updated with the true answers of each
    package once the package is finalised, and each item of a package is decided by
    `argmax_t ln π(t) + Σ_l ln Σ_k P(k | past) P_k(a_l | t)` with the true class (star)
    distribution `π`. The questions come in the replay's order and packages (`replay_order`).
    Nothing learned from consensus can be better informed; what it ignores (the unlabelled
    answers of the current package, colluders' answers being shared) is small, so the figure is
    a ceiling up to sampling noise, not a proof."""
    task = ds.task
    names, plain, gold_t = worker_type_tables(task, p)
    counts = type_counts(ds.fraction, len(ds.workers), p.bad_mix)
    per_type = {t: names.count(t) for t in set(names)}
    prior = np.array([counts.get(t, 0) / len(ds.workers) / per_type[t] for t in names]) + 1e-12
    log_prior = np.log(prior / prior.sum())
    values = ([f"c{k}" for k in range(p.n_classes)] if task == "class" else list(range(1, 6)))
    index = {v: i for i, v in enumerate(values)}
    pi = np.log(np.array(_prior(p.class_prior if task == "class" else p.star_prior, len(values))))
    workers = {w: i for i, w in enumerate(ds.workers)}
    log_post = np.tile(log_prior, (len(workers), 1))
    gold = set(ds.gold)
    by_q: Dict[str, List[Tuple[int, int]]] = {}
    for q, w, a in ds.answers:
        by_q.setdefault(q, []).append((workers[w], index[a]))
    out: Dict[str, Any] = {}
    order = replay_order(ds)
    for start in range(0, len(order), max(1, package_size)):
        package = order[start:start + package_size]
        post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        for q in package:
            tables = gold_t if q in gold else plain
            score = pi.copy()
            for w, a in by_q[q]:
                score += np.log(post[w] @ tables[:, :, a] + 1e-300)
            out[q] = values[int(np.argmax(score))]
        for q in package:
            tables = gold_t if q in gold else plain
            t = index[ds.truth[q]]
            for w, a in by_q[q]:
                log_post[w] += np.log(tables[:, t, a] + 1e-300)
    return MethodResult(out)


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def replay_order(ds: Dataset) -> List[str]:
    """The questions in order of first appearance in the answers: the order in which the CLI's
    replay finalises them (packages are consecutive runs of this order)."""
    seen: Dict[str, None] = {}
    for q, _, _ in ds.answers:
        seen.setdefault(q, None)
    return list(seen)


def metrics(ds: Dataset, pred: Dict[str, Any], qs: Optional[Sequence[str]] = None) -> Dict[str, float]:
    """The task's metrics over the items `qs` (default: all non-gold items)."""
    qs = ds.eval_items() if qs is None else list(qs)
    if ds.task == "class":
        return {"accuracy": float(np.mean([pred.get(q) == ds.truth[q] for q in qs]))}
    if ds.task == "stars":
        vals = [float(pred[q]) for q in qs]
        return {
            "accuracy": float(np.mean([round_half_up(v) == ds.truth[q] for v, q in zip(vals, qs)])),
            "mae": float(np.mean([abs(v - ds.truth[q]) for v, q in zip(vals, qs)])),
            "mae_rounded": float(np.mean([abs(round_half_up(v) - ds.truth[q]) for v, q in zip(vals, qs)])),
        }
    if ds.task == "score":
        err = np.array([float(pred[q]) - ds.truth[q] for q in qs])
        return {"rmse": float(np.sqrt(np.mean(err ** 2))), "mae": float(np.mean(np.abs(err)))}
    return {"set_iou": float(np.mean([set_iou(pred.get(q, []), ds.truth[q]) for q in qs]))}


MAIN_METRIC = {"class": "accuracy", "stars": "accuracy", "boxes": "set_iou", "score": "rmse"}


def learning_curve(ds: Dataset, pred: Dict[str, Any]) -> Dict[str, float]:
    """The task's main metric on the first and on the last third of the non-gold items in
    replay order (`early`, `late`): how much the replay gains once its models are learned."""
    g = set(ds.gold)
    order = [q for q in replay_order(ds) if q not in g]
    k = len(order) // 3
    if k == 0:
        return {}
    m = MAIN_METRIC[ds.task]
    return {"early": metrics(ds, pred, order[:k])[m], "late": metrics(ds, pred, order[-k:])[m]}


def worker_diagnostics(ds: Dataset, rows: List[Dict[str, str]], use_gold: bool) -> Dict[str, float]:
    """Per worker type: mean pay weight (both modes), share excluded by qualification on gold
    (batch workers CSV with gold: `qualified` column) and mean voting power (replay workers CSV:
    `power` column). Plus the range of the weights and of the powers."""
    out: Dict[str, float] = {}
    if not rows:
        return out
    has_power = "power" in rows[0]
    has_qualified = "qualified" in rows[0]
    by_type: Dict[str, List[Dict[str, str]]] = {}
    for r in rows:
        t = ds.worker_type.get(r["worker"])
        if t is not None:
            by_type.setdefault(t, []).append(r)
    for t in WORKER_TYPES:
        rs = by_type.get(t, [])
        if not rs:
            continue
        out[f"weight_{t}"] = float(np.mean([float(r["weight"]) for r in rs]))
        if has_power:
            out[f"power_{t}"] = float(np.mean([float(r["power"]) for r in rs]))
        if use_gold and has_qualified:
            out[f"excluded_{t}"] = float(np.mean([r["qualified"].strip().lower() != "true" for r in rs]))
    weights = [float(r["weight"]) for r in rows]
    out["weight_min"] = min(weights)
    out["weight_max"] = max(weights)
    if has_power:
        powers = [float(r["power"]) for r in rows]
        out["power_min"] = min(powers)
        out["power_max"] = max(powers)
        good = [float(r["power"]) for r in rows if ds.worker_type.get(r["worker"]) == HONEST]
        bad = [float(r["power"]) for r in rows if ds.worker_type.get(r["worker"]) not in (None, HONEST)]
        if good:
            out["power_good"] = float(np.mean(good))
        if bad:
            out["power_bad"] = float(np.mean(bad))
    return out


# --------------------------------------------------------------------------------------------
# Experiment
# --------------------------------------------------------------------------------------------

BOX_MEDOID = "Medoid (unweighted)"
CK_NO_GOLD = ("MajorityVote", "Wawa", "DawidSkene", "GLAD", "MMSR")


SCORE_MEAN = "Mean (unweighted)"
SCORE_MEDIAN = "Median (unweighted)"


def method_names(task: str) -> List[str]:
    if task == "boxes":
        return [*OURS_ALL, BOX_MEDOID, "Random worker"]
    if task == "score":
        # crowd-kit's categorical aggregators do not apply to 101 ordered values.
        return [*OURS_ALL, SCORE_MEAN, SCORE_MEDIAN]
    return [*OURS_ALL, "MajorityVote", "Wawa", "DawidSkene", "DawidSkene+gold", "GLAD", "MMSR"]


def baselines(task: str) -> List[str]:
    return [n for n in method_names(task) if n not in OURS_ALL]


@dataclass
class RealResult:
    path: Path
    n_answers: int = 0
    n_questions: int = 0
    n_workers: int = 0
    n_truth: int = 0
    n_eval: int = 0  # questions with truth and answers
    n_gold: int = 0  # gold sample size (per sample)
    gold_samples: int = 0
    acc: Dict[str, float] = field(default_factory=dict)  # no gold, on the n_eval questions
    gold_acc: Dict[str, List[float]] = field(default_factory=dict)  # per gold sample, on the rest
    seconds: Dict[str, float] = field(default_factory=dict)  # wall clock per method (no gold)
    diag: Dict[str, Dict[str, float]] = field(default_factory=dict)  # replay: powers


@dataclass
class Results:
    # scores[task][fraction][method][metric] -> list over repetitions
    scores: Dict[str, Dict[float, Dict[str, Dict[str, List[float]]]]] = field(default_factory=dict)
    # per repetition, for paired comparisons: reps[task][fraction][method][metric] -> {rep: v}
    reps: Dict[str, Dict[float, Dict[str, Dict[str, Dict[int, float]]]]] = field(default_factory=dict)
    diag: Dict[str, Dict[float, Dict[str, Dict[str, List[float]]]]] = field(default_factory=dict)
    real: Optional[RealResult] = None
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)

    def add(self, task: str, frac: float, method: str, m: Dict[str, float], rep: int = 0) -> None:
        slot = self.scores.setdefault(task, {}).setdefault(frac, {}).setdefault(method, {})
        rslot = self.reps.setdefault(task, {}).setdefault(frac, {}).setdefault(method, {})
        for k, v in m.items():
            slot.setdefault(k, []).append(v)
            rslot.setdefault(k, {})[rep] = v

    def add_diag(self, task: str, frac: float, method: str, d: Dict[str, float]) -> None:
        slot = self.diag.setdefault(task, {}).setdefault(frac, {}).setdefault(method, {})
        for k, v in d.items():
            slot.setdefault(k, []).append(v)


def check_cli_workers(res: Results, tag: str, name: str, d: Dict[str, float],
                      rows: List[Dict[str, str]]) -> None:
    """Warnings for suspicious CLI worker outputs: all weights (batch) or all voting powers
    (replay) equal, pay weights outside [0.8, 1.2], powers outside [0, 1]."""
    key = "power" if "power_min" in d else "weight"
    lo, hi = d.get(f"{key}_min"), d.get(f"{key}_max")
    if lo is not None and hi is not None and abs(hi - lo) < 1e-9:
        res.warnings.append(f"{tag} {name}: all {len(rows)} worker {key}s equal ({lo})")
    bad = [w for w in rows if not 0.8 - 1e-9 <= float(w["weight"]) <= 1.2 + 1e-9]
    if bad:
        res.warnings.append(f"{tag} {name}: {len(bad)} weights outside [0.8, 1.2], e.g. {bad[0]}")
    if key == "power":
        bad = [w for w in rows if not -1e-9 <= float(w["power"]) <= 1 + 1e-9]
        if bad:
            res.warnings.append(f"{tag} {name}: {len(bad)} powers outside [0, 1], e.g. {bad[0]}")


def find_binary(args: argparse.Namespace, res: Results) -> Optional[str]:
    binary: Optional[str] = args.infer_bin
    if args.no_cli:
        res.errors.append("CLI columns skipped (--no-cli).")
        return None
    if not (binary and os.path.isfile(binary) and os.access(binary, os.X_OK)):
        res.errors.append(
            f"`{binary}` not found or not executable: CLI columns skipped. "
            "Build it with `cargo build --release -p crowdlabel-tools`."
        )
        print(f"warning: {res.errors[-1]}", file=sys.stderr)
        return None
    return binary


def run_all(args: argparse.Namespace) -> Results:
    res = Results()
    ck = crowdkit_methods()
    binary = find_binary(args, res)
    tmp_ctx = tempfile.TemporaryDirectory(prefix="crowdlabel-sim-") if not args.keep else None
    workroot = Path(args.keep) if args.keep else Path(tmp_ctx.name)  # type: ignore[union-attr]
    try:
        for task in args.tasks:
            for frac in args.fractions:
                for rep in range(args.repeats):
                    ss = _seq(args.seed, rep, frac, task)
                    ds = generate(task, frac, ss)
                    tag = f"{task} bad={frac:.0%} rep={rep}"
                    for name in method_names(task):
                        if name in args.skip:
                            continue
                        t0 = time.perf_counter()
                        try:
                            if name in CLI_METHODS:
                                if binary is None:
                                    continue
                                mode, use_gold = CLI_METHODS[name]
                                wd = workroot / f"{task}-{int(frac * 100)}-{rep}-{mode}-{'gold' if use_gold else 'plain'}"
                                r = run_cli(ds, binary, use_gold, wd, mode, args.package_size)
                                d = worker_diagnostics(ds, r.workers or [], use_gold)
                                d.update(learning_curve(ds, r.predictions))
                                res.add_diag(task, frac, name, d)
                                check_cli_workers(res, tag, name, d, r.workers or [])
                            elif name in ck:
                                r = ck[name](ds)
                            elif name == BOX_MEDOID:
                                r = unweighted_medoid(ds)
                            elif name in (SCORE_MEAN, SCORE_MEDIAN):
                                r = plain_score(ds, np.median if name == SCORE_MEDIAN else np.mean)
                            elif name == "Random worker":
                                r = random_worker(ds, int(ss.generate_state(1)[0]))
                            else:
                                raise MethodError(f"unknown method {name}")
                            res.add(task, frac, name, metrics(ds, r.predictions), rep)
                        except MethodError as e:
                            msg = f"{tag} {name}: {e}"
                            res.errors.append(msg)
                            print(f"error: {msg}", file=sys.stderr)
                        except Exception as e:  # a baseline crashing must not kill the run
                            msg = f"{tag} {name}: {type(e).__name__}: {e}"
                            res.errors.append(msg)
                            print(f"error: {msg}", file=sys.stderr)
                        res.timings[name] = res.timings.get(name, 0.0) + time.perf_counter() - t0
                    if task in BOUND_TASKS and ONLINE_BOUND not in args.skip:
                        t0 = time.perf_counter()
                        r = online_ceiling(ds, args.package_size)
                        res.add(task, frac, ONLINE_BOUND, metrics(ds, r.predictions), rep)
                        res.timings[ONLINE_BOUND] = (res.timings.get(ONLINE_BOUND, 0.0)
                                                     + time.perf_counter() - t0)
                    print(f"done {tag}", file=sys.stderr, flush=True)
        if args.real and not args.no_real:
            res.real = run_real(Path(args.real), binary, args, res, workroot / "real")
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    return res


# --------------------------------------------------------------------------------------------
# Real data
# --------------------------------------------------------------------------------------------

REAL_CK = ("MajorityVote", "DawidSkene")


def _read_csv(path: Path, cols: Sequence[str]) -> List[Tuple[str, ...]]:
    with path.open(newline="") as f:
        rd = csv.DictReader(f)
        if rd.fieldnames is None or list(rd.fieldnames) != list(cols):
            raise MethodError(f"{path}: expected header {','.join(cols)}, got {rd.fieldnames}")
        return [tuple(r[c] for c in cols) for r in rd]


def run_real(path: Path, binary: Optional[str], args: argparse.Namespace, res: Results,
             workdir: Path) -> Optional[RealResult]:
    """Both CLI modes and crowd-kit MajorityVote / DawidSkene on a real class dataset
    (`answers.csv` question,worker,answer and `truth.csv` question,truth); accuracy on the
    questions with truth and answers. Then `real_gold_samples` random 5% samples of those
    questions as gold (CLI `--gold`, DawidSkene `true_labels`), accuracy on the other ones."""
    tag = f"real {path.name}"
    answers_csv, truth_csv = path / "answers.csv", path / "truth.csv"
    if not (answers_csv.is_file() and truth_csv.is_file()):
        res.errors.append(f"{tag}: {answers_csv} or {truth_csv} missing: real-data section skipped.")
        return None
    t_start = time.perf_counter()
    rr = RealResult(path)
    try:
        answers = _read_csv(answers_csv, ("question", "worker", "answer"))
        truth = dict(_read_csv(truth_csv, ("question", "truth")))
    except (OSError, MethodError) as e:
        res.errors.append(f"{tag}: {e}")
        return None
    answered = {q for q, _, _ in answers}
    rr.n_answers, rr.n_questions = len(answers), len(answered)
    rr.n_workers, rr.n_truth = len({w for _, w, _ in answers}), len(truth)
    evalq = sorted(q for q in truth if q in answered)
    rr.n_eval = len(evalq)
    if not evalq:
        res.errors.append(f"{tag}: no question has both truth and answers.")
        return rr

    def acc(pred: Dict[str, Any], qs: Sequence[str]) -> float:
        return float(np.mean([pred.get(q) == truth[q] for q in qs]))

    preds: Dict[str, Dict[str, Any]] = {}
    for name in REAL_CK:
        t0 = time.perf_counter()
        try:
            preds[name] = crowdkit_fit(name, answers)
            rr.acc[name] = acc(preds[name], evalq)
        except Exception as e:
            res.errors.append(f"{tag} {name}: {type(e).__name__}: {e}")
        rr.seconds[name] = time.perf_counter() - t0
    if binary is not None:
        for name in (BATCH, REPLAY):
            mode = CLI_METHODS[name][0]
            try:
                rows, wrows, secs = run_cli_files(binary, "class", answers_csv, None,
                                                  workdir / mode, mode, args.package_size)
                preds[name] = parse_consensus("class", rows)
                rr.acc[name] = acc(preds[name], evalq)
                rr.seconds[name] = secs
                if mode == "replay":
                    pw = sorted(float(r["power"]) for r in wrows)
                    rr.diag[name] = {"power_median": float(np.median(pw)),
                                     "power_below_0.1": float(np.mean([p < 0.1 for p in pw]))}
            except MethodError as e:
                res.errors.append(f"{tag} {name}: {e}")
    print(f"done {tag} (no gold)", file=sys.stderr, flush=True)

    rr.n_gold = max(1, int(round(0.05 * len(evalq))))
    for s in range(args.real_gold_samples):
        rng = np.random.default_rng([args.seed, 5, s])
        gold = sorted(rng.choice(evalq, size=rr.n_gold, replace=False).tolist())
        gset = set(gold)
        rest = [q for q in evalq if q not in gset]
        gold_csv = workdir / f"gold-{s}.csv"
        gold_csv.parent.mkdir(parents=True, exist_ok=True)
        with gold_csv.open("w", newline="") as f:
            wr = csv.writer(f)
            wr.writerow(["question", "truth"])
            for q in gold:
                wr.writerow([q, truth[q]])
        # Methods without gold: the same predictions, scored on the same questions.
        for name in (*REAL_CK, BATCH, REPLAY):
            if name in preds:
                rr.gold_acc.setdefault(name, []).append(acc(preds[name], rest))
        try:
            p = crowdkit_fit("DawidSkene", answers, {q: truth[q] for q in gold})
            rr.gold_acc.setdefault("DawidSkene+gold", []).append(acc(p, rest))
        except Exception as e:
            res.errors.append(f"{tag} DawidSkene+gold: {type(e).__name__}: {e}")
        if binary is not None:
            for name in (BATCH_GOLD, REPLAY_GOLD):
                mode = CLI_METHODS[name][0]
                try:
                    rows, _, _ = run_cli_files(binary, "class", answers_csv, gold_csv,
                                               workdir / f"{mode}-gold-{s}", mode, args.package_size)
                    rr.gold_acc.setdefault(name, []).append(acc(parse_consensus("class", rows), rest))
                except MethodError as e:
                    res.errors.append(f"{tag} {name} (gold sample {s}): {e}")
        rr.gold_samples += 1
    res.timings["real data"] = time.perf_counter() - t_start
    print(f"done {tag} (gold samples)", file=sys.stderr, flush=True)
    return rr


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

TIE = 0.005  # "within 0.5 points"


def _mean(v: Optional[List[float]]) -> Optional[float]:
    return float(np.mean(v)) if v else None


def _pct(f: float) -> str:
    return f"{f:.0%}"


def table(res: Results, task: str, metric: str, fractions: Sequence[float], digits: int = 3,
          lower_is_better: bool = False) -> Tuple[str, float]:
    """Markdown table (rows = methods, columns = bad-worker fractions), best value per column in
    bold. Returns the table and the largest standard deviation across seeds in it. For the
    stars MAE the CrowdLabel methods get a second row with the MAE of their rounded consensus."""
    rows = [(n, n, metric) for n in method_names(task)]
    if task == "stars" and metric == "mae":
        rows[len(OURS_ALL):len(OURS_ALL)] = [(f"{n}, rounded", n, "mae_rounded") for n in OURS_ALL]
    lines = ["| method | " + " | ".join(_pct(f) for f in fractions) + " |",
             "|---|" + "---:|" * len(fractions)]
    max_sd = 0.0
    vals: Dict[Tuple[str, float], Optional[float]] = {}
    best: Dict[float, Optional[float]] = {}
    for frac in fractions:
        row = res.scores.get(task, {}).get(frac, {})
        present = []
        for label, n, m in rows:
            v = row.get(n, {}).get(m)
            if v and len(v) > 1:
                max_sd = max(max_sd, float(np.std(v, ddof=1)))
            vals[(label, frac)] = _mean(v)
            if v:
                present.append(_mean(v))
        best[frac] = (min(present) if lower_is_better else max(present)) if present else None
    for label, _, _ in rows:
        cells = []
        for frac in fractions:
            v, b = vals[(label, frac)], best[frac]
            if v is None:
                cells.append("n/a")
            else:
                s = f"{v:.{digits}f}"
                cells.append(f"**{s}**" if b is not None and round(v, digits) == round(b, digits) else s)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines), max_sd


def type_counts(fraction: float, n_workers: int, mix: Sequence[str] = BAD_MIX) -> Dict[str, int]:
    t = worker_types(fraction, np.arange(n_workers), [str(i) for i in range(n_workers)], mix)
    out: Dict[str, int] = {}
    for v in t.values():
        out[v] = out.get(v, 0) + 1
    return out


def diag_fractions(fractions: Sequence[float]) -> List[float]:
    return [f for f in fractions if round(f, 3) in (0.2, 0.4)] or list(fractions)


def diag_table(res: Results, task: str, fractions: Sequence[float]) -> Optional[str]:
    if task not in res.diag:
        return None
    cols = [
        (BATCH, "weight", "batch: weight"),
        (BATCH_GOLD, "excluded", "batch+gold: excluded"),
        (BATCH_GOLD, "weight", "batch+gold: weight"),
        (REPLAY, "power", "replay: power"),
        (REPLAY_GOLD, "power", "replay+gold: power"),
        (REPLAY, "weight", "replay: weight"),
    ]
    lines = ["| bad | worker type | n | " + " | ".join(c[2] for c in cols) + " |",
             "|---|---|---:|" + "---:|" * len(cols)]
    for frac in diag_fractions(fractions):
        counts = type_counts(frac, Params().n_workers)
        for t in WORKER_TYPES:
            if not counts.get(t):
                continue
            cells = []
            for m, key, _ in cols:
                v = _mean(res.diag[task].get(frac, {}).get(m, {}).get(f"{key}_{t}"))
                if v is None:
                    cells.append("–")
                elif key == "excluded":
                    cells.append(f"{v:.0%}")
                else:
                    cells.append(f"{v:.3f}")
            lines.append(f"| {_pct(frac)} | {t} | {counts[t]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ceiling_table(res: Results, fractions: Sequence[float]) -> Optional[str]:
    """Accuracy of the online ceiling next to the replay and the references of the targets."""
    lines = ["| task | method | " + " | ".join(_pct(f) for f in fractions) + " |",
             "|---|---|" + "---:|" * len(fractions)]
    any_ = False
    for task in BOUND_TASKS:
        for name in (ONLINE_BOUND, REPLAY, REPLAY_GOLD, "best crowd-kit (no gold)",
                     "DawidSkene+gold"):
            cells = []
            for frac in fractions:
                row = res.scores.get(task, {}).get(frac, {})
                if name == "best crowd-kit (no gold)":
                    vals = {k: _mean(row.get(k, {}).get("accuracy")) for k in CK_NO_GOLD}
                    vals = {k: v for k, v in vals.items() if v is not None}
                    k = max(vals, key=vals.get) if vals else None
                    cells.append(f"{vals[k]:.3f} ({k})" if k else "–")
                    continue
                v = _mean(row.get(name, {}).get("accuracy"))
                any_ = any_ or (name == ONLINE_BOUND and v is not None)
                cells.append("–" if v is None else f"{v:.3f}")
            lines.append(f"| {task} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) if any_ else None


def learning_table(res: Results, fractions: Sequence[float]) -> Optional[str]:
    lines = ["| task | method | " + " | ".join(_pct(f) for f in fractions) + " |",
             "|---|---|" + "---:|" * len(fractions)]
    any_ = False
    for task in TASKS:
        for name in (REPLAY, REPLAY_GOLD, BATCH):
            cells = []
            for frac in fractions:
                d = res.diag.get(task, {}).get(frac, {}).get(name, {})
                e, l_ = _mean(d.get("early")), _mean(d.get("late"))
                if e is None or l_ is None:
                    cells.append("–")
                else:
                    any_ = True
                    cells.append(f"{e:.3f} → {l_:.3f}")
            lines.append(f"| {task} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) if any_ else None


def _row_means(res: Results, task: str, frac: float, metric: str) -> Dict[str, float]:
    row = res.scores.get(task, {}).get(frac, {})
    out = {}
    for n in method_names(task):
        v = _mean(row.get(n, {}).get(metric))
        if v is not None:
            out[n] = v
    return out


def _paired(res: Results, task: str, frac: float, metric: str, a: str, b: str,
            ok: Callable[[float, float], bool]) -> str:
    """'k/n seeds': in how many repetitions a's score vs b's satisfies ok(a, b)."""
    ra = res.reps.get(task, {}).get(frac, {}).get(a, {}).get(metric, {})
    rb = res.reps.get(task, {}).get(frac, {}).get(b, {}).get(metric, {})
    common = sorted(set(ra) & set(rb))
    if not common:
        return "–"
    return f"{sum(ok(ra[r], rb[r]) for r in common)}/{len(common)}"


@dataclass
class Target:
    target: str
    measured: str
    ok: Optional[bool]  # None: not measured
    seeds: str = "–"
    ceiling: str = "–"  # the online ceiling of the cell, where there is one


def _ceiling(res: Results, task: str, frac: float, need: float) -> str:
    """The online ceiling of a cell and whether it reaches what the target needs (`need`)."""
    v = _mean(res.scores.get(task, {}).get(frac, {}).get(ONLINE_BOUND, {}).get("accuracy"))
    if v is None:
        return "–"
    return f"{v:.3f}" + ("" if v >= need - 1e-9 else f" (< {need:.3f} needed)")


def targets(res: Results, fractions: Sequence[float]) -> List[Target]:
    out: List[Target] = []
    for task in ("class", "stars"):
        for frac in fractions:
            m = _row_means(res, task, frac, "accuracy")
            others = {k: v for k, v in m.items() if k in CK_NO_GOLD}
            name = f"{task}, no gold, {_pct(frac)} bad: replay ≥ best crowd-kit − 0.005"
            if REPLAY not in m or not others:
                out.append(Target(name, "n/a", None))
                continue
            bn = max(others, key=others.get)
            d = m[REPLAY] - others[bn]
            out.append(Target(name, f"{m[REPLAY]:.3f} vs {others[bn]:.3f} ({bn}): {d:+.3f}",
                              d >= -TIE - 1e-9,
                              _paired(res, task, frac, "accuracy", REPLAY, bn,
                                      lambda a, b: a >= b - TIE - 1e-9),
                              _ceiling(res, task, frac, others[bn] - TIE)))
    for task in ("class", "stars"):
        for frac in fractions:
            m = _row_means(res, task, frac, "accuracy")
            name = f"{task}, 5% gold, {_pct(frac)} bad: replay+gold ≥ DawidSkene+gold"
            if REPLAY_GOLD not in m or "DawidSkene+gold" not in m:
                out.append(Target(name, "n/a", None))
                continue
            d = m[REPLAY_GOLD] - m["DawidSkene+gold"]
            out.append(Target(name, f"{m[REPLAY_GOLD]:.3f} vs {m['DawidSkene+gold']:.3f}: {d:+.3f}",
                              d >= -1e-9,
                              _paired(res, task, frac, "accuracy", REPLAY_GOLD, "DawidSkene+gold",
                                      lambda a, b: a >= b - 1e-9),
                              _ceiling(res, task, frac, m["DawidSkene+gold"])))
    for frac in fractions:
        m = _row_means(res, "boxes", frac, "set_iou")
        name = f"boxes, no gold, {_pct(frac)} bad: replay > unweighted medoid (set IoU)"
        if REPLAY not in m or BOX_MEDOID not in m:
            out.append(Target(name, "n/a", None))
            continue
        d = m[REPLAY] - m[BOX_MEDOID]
        out.append(Target(name, f"{m[REPLAY]:.3f} vs {m[BOX_MEDOID]:.3f}: {d:+.3f}", d > 1e-9,
                          _paired(res, "boxes", frac, "set_iou", REPLAY, BOX_MEDOID,
                                  lambda a, b: a > b + 1e-9)))
    for frac in fractions:
        m = _row_means(res, "score", frac, "rmse")
        for ours in (REPLAY, REPLAY_GOLD):
            name = (f"score 0-100, {'5% gold' if ours == REPLAY_GOLD else 'no gold'}, "
                    f"{_pct(frac)} bad: {'replay+gold' if ours == REPLAY_GOLD else 'replay'} "
                    "RMSE < mean and < median")
            if ours not in m or SCORE_MEAN not in m or SCORE_MEDIAN not in m:
                out.append(Target(name, "n/a", None))
                continue
            ref = min(m[SCORE_MEAN], m[SCORE_MEDIAN])
            bn = SCORE_MEAN if m[SCORE_MEAN] <= m[SCORE_MEDIAN] else SCORE_MEDIAN
            out.append(Target(
                name, f"{m[ours]:.2f} vs {ref:.2f} ({bn.split(' ')[0].lower()}): {m[ours] - ref:+.2f}",
                m[ours] < ref - 1e-9,
                _paired(res, "score", frac, "rmse", ours, bn, lambda a, b: a < b - 1e-9)))
    r = res.real
    if r is not None:
        name = f"real {r.path.name}, no gold: replay ≥ DawidSkene ({r.n_eval} questions)"
        if REPLAY in r.acc and "DawidSkene" in r.acc:
            d = r.acc[REPLAY] - r.acc["DawidSkene"]
            out.append(Target(name, f"{r.acc[REPLAY]:.3f} vs {r.acc['DawidSkene']:.3f}: {d:+.3f}",
                              d >= -1e-9))
        else:
            out.append(Target(name, "n/a", None))
        name = (f"real {r.path.name}, 5% gold (extra): replay+gold ≥ DawidSkene+gold "
                f"({r.n_eval - r.n_gold} questions)")
        a, b = _mean(r.gold_acc.get(REPLAY_GOLD)), _mean(r.gold_acc.get("DawidSkene+gold"))
        if a is not None and b is not None:
            ra, rb = r.gold_acc[REPLAY_GOLD], r.gold_acc["DawidSkene+gold"]
            out.append(Target(name, f"{a:.3f} vs {b:.3f}: {a - b:+.3f}", a >= b - 1e-9,
                              f"{sum(x >= y - 1e-9 for x, y in zip(ra, rb))}/{min(len(ra), len(rb))} samples"))
        else:
            out.append(Target(name, "n/a", None))
    return out


def targets_table(ts: List[Target]) -> str:
    lines = ["| target | measured (replay vs reference: difference) | holds in | result | "
             "online ceiling |",
             "|---|---|---:|---|---:|"]
    for t in ts:
        verdict = "not measured" if t.ok is None else ("**pass**" if t.ok else "**FAIL**")
        lines.append(f"| {t.target} | {t.measured} | {t.seeds} | {verdict} | {t.ceiling} |")
    return "\n".join(lines)


def findings(res: Results, fractions: Sequence[float]) -> List[str]:
    """Sentences derived from the numbers (no hard-coded conclusions). Methods without gold are
    compared with the baselines without gold; methods with gold with all baselines."""
    out: List[str] = []
    specs = [("class", "accuracy", False, "accuracy"),
             ("stars", "accuracy", False, "rounded accuracy"),
             ("stars", "mae_rounded", True, "MAE of the rounded consensus"),
             ("boxes", "set_iou", False, "mean set IoU"),
             ("score", "rmse", True, "RMSE (points)")]
    tally: Dict[str, List[Tuple[float, str, str, float, str]]] = {n: [] for n in OURS_ALL}
    for task, metric, lower, label in specs:
        if task not in res.scores:
            continue
        parts: List[str] = []
        for ours in OURS_ALL:
            diffs = []
            for frac in fractions:
                m = _row_means(res, task, frac, metric)
                if ours not in m:
                    continue
                pool = baselines(task) if ours in GOLD_METHODS else [
                    b for b in baselines(task) if b not in GOLD_METHODS]
                others = {k: v for k, v in m.items() if k in pool}
                if not others:
                    continue
                bn = (min if lower else max)(others, key=others.get)
                d = (others[bn] - m[ours]) if lower else (m[ours] - others[bn])  # > 0: ours better
                diffs.append(f"{_pct(frac)} {d:+.3f}")
                tally[ours].append((d, task, label, frac, bn))
            if diffs:
                parts.append(f"{ours}: " + ", ".join(diffs))
        if parts:
            out.append(f"- *{task}, {label}* — ours minus the best baseline of the column"
                       f"{' (sign flipped: + means ours is better)' if lower else ''}: "
                       + "; ".join(parts) + ".")
    # Replay against batch, and the effect of gold, per mode.
    for task, metric in (("class", "accuracy"), ("stars", "accuracy"), ("boxes", "set_iou")):
        if task not in res.scores:
            continue
        pairs = [(REPLAY, BATCH, "replay minus batch, no gold"),
                 (REPLAY_GOLD, BATCH_GOLD, "replay minus batch, with gold"),
                 (BATCH_GOLD, BATCH, "gold effect in batch mode"),
                 (REPLAY_GOLD, REPLAY, "gold effect in replay mode")]
        segs = []
        for a, b, what in pairs:
            ds_ = []
            for frac in fractions:
                m = _row_means(res, task, frac, metric)
                if a in m and b in m:
                    ds_.append(f"{_pct(frac)} {m[a] - m[b]:+.3f}")
            if ds_:
                segs.append(f"{what}: " + ", ".join(ds_))
        if segs:
            out.append(f"- *{task}* ({'accuracy' if metric == 'accuracy' else 'mean set IoU'}): "
                       + "; ".join(segs) + ".")
    # Qualification on gold (batch+gold) per worker type.
    for task in TASKS:
        d = res.diag.get(task, {})
        segs = []
        for t in WORKER_TYPES:
            v = [x for x in (_mean(d.get(f, {}).get(BATCH_GOLD, {}).get(f"excluded_{t}"))
                             for f in fractions) if x is not None]
            if v:
                lo, hi = min(v), max(v)
                segs.append(f"{t} {lo:.0%}" if round(lo, 2) == round(hi, 2) else f"{t} {lo:.0%}–{hi:.0%}")
        if segs:
            out.append(f"- *{task}*: batch qualification on gold excluded (range over the "
                       "fractions) " + ", ".join(segs) + ".")
        segs = []
        for name in (REPLAY, REPLAY_GOLD):
            g = [x for x in (_mean(d.get(f, {}).get(name, {}).get("power_good")) for f in fractions if f > 0) if x is not None]
            b = [x for x in (_mean(d.get(f, {}).get(name, {}).get("power_bad")) for f in fractions if f > 0) if x is not None]
            if g and b:
                segs.append(f"{name}: honest {min(g):.2f}–{max(g):.2f}, bad {min(b):.2f}–{max(b):.2f}")
        if segs:
            out.append(f"- *{task}*: mean voting power (range over the fractions > 0) — "
                       + "; ".join(segs) + ".")
    for ours in OURS_ALL:
        cells = tally[ours]
        if not cells:
            continue
        wins = sum(c[0] >= -TIE for c in cells)
        worst = min(cells)
        s = (f"- Overall, **{ours}** is best or within {TIE} of the best "
             f"{'baseline' if ours in GOLD_METHODS else 'baseline without gold'} in {wins} of "
             f"{len(cells)} (task, metric, fraction) cells")
        if worst[0] < -TIE:
            s += (f"; its largest shortfall is {-worst[0]:.3f} ({worst[1]} {worst[2]} at "
                  f"{worst[3]:.0%} bad workers, against {worst[4]})")
        out.append(s + ".")
    return out


def real_section(r: RealResult) -> List[str]:
    L: List[str] = []
    L.append(
        f"`{r.path}`: {r.n_answers:,} answers by {r.n_workers:,} workers on {r.n_questions:,} "
        f"questions (`--kind class`); {r.n_truth:,} truth rows, {r.n_eval} of them on answered "
        f"questions: accuracy is measured on those {r.n_eval}. All methods see all answers. "
        f"With gold: {r.gold_samples} random samples (seeded) of 5% of the {r.n_eval} "
        f"({r.n_gold} questions each) are given as gold (`--gold` to the CLI, `true_labels` to "
        f"DawidSkene) and left out of the accuracy of **every** method in that column "
        f"({r.n_eval - r.n_gold} questions; mean over the samples). The other "
        f"{r.n_truth - r.n_eval:,} truth rows have no answers and would change nothing, so the "
        "samples are drawn from the answered ones.")
    L.append("")
    L.append(f"| method | accuracy, no gold ({r.n_eval}) | accuracy, 5% gold ({r.n_eval - r.n_gold}) | wall clock, no gold |")
    L.append("|---|---:|---:|---:|")
    names = ["MajorityVote", "DawidSkene", "DawidSkene+gold", BATCH, BATCH_GOLD, REPLAY, REPLAY_GOLD]
    col1 = {n: r.acc.get(n) for n in names}
    col2 = {n: _mean(r.gold_acc.get(n)) for n in names}
    b1 = max([v for v in col1.values() if v is not None], default=None)
    b2 = max([v for v in col2.values() if v is not None], default=None)

    def cell(v: Optional[float], b: Optional[float]) -> str:
        if v is None:
            return "–"
        s = f"{v:.3f}"
        return f"**{s}**" if b is not None and round(v, 3) == round(b, 3) else s

    for n in names:
        secs = r.seconds.get(n)
        L.append(f"| {n} | {cell(col1[n], b1)} | {cell(col2[n], b2)} | "
                 f"{'–' if secs is None else f'{secs:.1f} s'} |")
    L.append("")
    notes = []
    if REPLAY in r.seconds:
        notes.append(f"The replay of all {r.n_answers:,} answers took {r.seconds[REPLAY]:.1f} s wall "
                     "clock (one `crowdlabel-infer --mode replay` process: CSV parsing, the replay, "
                     "writing the CSVs)"
                     + (f"; the batch mode {r.seconds[BATCH]:.1f} s" if BATCH in r.seconds else "")
                     + ". crowd-kit times are in-process (`fit_predict` only).")
    notes.append("The replay takes the questions in the order of `answers.csv`.")
    if r.path.name == "adult-content":
        notes.append("(The data set's README quotes crowd-kit 1.4.2 at MajorityVote 0.766 and "
                     "DawidSkene 0.766 on the 333; the MajorityVote here can differ by a question "
                     "or so, from how its ties are broken.)")
    d = r.diag.get(REPLAY)
    if d:
        notes.append(f"Replay voting power: median {d['power_median']:.2f} over the workers; "
                     f"{d['power_below_0.1']:.0%} of them below 0.1.")
    L.append(" ".join(notes))
    L.append("")
    return L


def write_report(res: Results, args: argparse.Namespace, runtime: float, path: Path) -> str:
    p = Params()
    fr = args.fractions
    cli_ok = any(n in res.scores.get(t, {}).get(f, {}) for t in res.scores for f in fr for n in OURS_ALL)
    L: List[str] = []
    L.append("# Consensus accuracy: CrowdLabel (batch and replay) vs crowd-kit baselines")
    L.append("")
    L.append("*Generated by `research/consensus-sim/simulate.py`; do not edit by hand, rerun it.*")
    L.append("")
    ts = targets(res, fr)
    if ts:
        L.append("## Targets")
        L.append("")
        L.append("Targets of the issue \"Consensus as accurate as the best batch methods\", "
                 "measured by this run (means over the seeds; \"holds in\" counts the seeds, or "
                 "gold samples, in which the comparison holds on the same data). \"Best crowd-kit\" "
                 "is the best of MajorityVote, Wawa, DawidSkene, GLAD and MMSR in that cell; stars "
                 "use the accuracy of the rounded consensus. DawidSkene+gold is crowd-kit's "
                 "DawidSkene given the gold truths (`fit_predict(data, true_labels)`: gold items' "
                 "posteriors are clamped to the truth in every EM step), the gold-aware variant of "
                 "crowd-kit " + _ck_version() + ".")
        L.append("")
        L.append(targets_table(ts))
        L.append("")
        n_ok = sum(t.ok is True for t in ts)
        n_fail = sum(t.ok is False for t in ts)
        L.append(f"{n_ok} pass, {n_fail} fail"
                 + (f", {sum(t.ok is None for t in ts)} not measured" if any(t.ok is None for t in ts) else "")
                 + f" (of {len(ts)}).")
        L.append("")
    L.append("## What is simulated")
    L.append("")
    L.append(
        f"Synthetic crowds for four tasks: **single class** ({p.n_classes} classes, true class "
        f"drawn with probabilities {', '.join(f'{x:g}' for x in p.class_prior)}), **stars** "
        f"(integer 1–5, truth drawn with probabilities {', '.join(f'{x:g}' for x in p.star_prior)} "
        f"for 1..5), **boxes** (1–3 true boxes of {p.n_box_classes} classes and "
        f"{p.box_side[0]}–{p.box_side[1]} px sides on a {p.image_size}×{p.image_size} image) and "
        f"**scores** (an integer 0–{p.score_max} rating, truth N({p.score_truth[0]:g}, "
        f"{p.score_truth[1]:g}) rounded and clamped; the CLI's `--kind score:0:{p.score_max}`). "
        f"Each dataset has {p.n_items} items and {p.n_workers} workers; every non-gold item is "
        f"answered by {p.redundancy} distinct random workers. {p.gold_fraction:.0%} of the items "
        f"({int(round(p.gold_fraction * p.n_items))}) are gold: every worker answers "
        f"{p.gold_per_worker[0]}–{p.gold_per_worker[1]} of them as hidden challenge items. Gold "
        "items are excluded from every metric. The answers are shuffled, so the replay sees the "
        "questions in a random order.")
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
        f"{p.honest_box_miss[1]:g}); scores — truth + N(0, σ) points, σ ~ "
        f"U({p.honest_score_sigma[0]:g}, {p.honest_score_sigma[1]:g}), rounded and clamped.")
    L.append("- **colluder**: all colluders give the *same* wrong answer per item (a fixed wrong "
             "class per item; the farthest star, 1 if the truth is ≥ 3 else 5; the farthest rating, "
             "0 if the truth is ≥ 50 else 100; a shared random box set of 1–3 boxes). They cannot tell gold items from others.")
    L.append("- **gold-aware colluder**: the same shared wrong answer as the colluders on ordinary "
             "items, but an honest answer (with its own honest noise level) on gold / challenge "
             "items — it recognises them, so it passes qualification on gold.")
    L.append("- **spammer**: uniformly random answers (a random class; a random score; 0–3 random "
             "boxes).")
    L.append(
        f"- **systematic**: honest (with its own noise level) but systematically off: class — "
        f"swaps classes c{p.confused_pair[0]} and c{p.confused_pair[1]} (all such workers the "
        f"same pair); stars — {p.star_bias:+d} or {-p.star_bias:+d} star (sign drawn per worker), "
        f"clamped to 1–5; boxes — loose boxes, every side pushed out by {p.loose_pad:.0%} of the "
        f"box's width / height (clamped to the image); scores — {p.score_bias:+d} or "
        f"{-p.score_bias:+d} points (sign drawn per worker) plus its honest noise, clamped.")
    L.append("- **lazy**: always the most common answer: class — the prior mode (c0); stars — "
             "the most common score (4); boxes — an empty box set; scores — the centre of the "
             f"truths ({int(p.score_truth[0])}).")
    L.append("")
    counts = {f: type_counts(f, p.n_workers) for f in fr}
    L.append(
        "Bad-worker fraction f: round(f × workers) bad workers, chosen at random, typed "
        "round-robin in the order " + ", ".join(BAD_MIX) + ". Per fraction: "
        + "; ".join(f"{_pct(f)}: " + (", ".join(f"{counts[f][t]} {t}" for t in BAD_MIX if counts[f].get(t))
                                      or "none") for f in fr)
        + f". Each cell is the mean over {args.repeats} seeds.")
    L.append("")
    L.append("Methods:")
    L.append("")
    L.append(
        "- **CrowdLabel batch**: `crowdlabel-infer` (the chain's consensus code) in its default "
        "`--mode batch`: reputation-weighted consensus (pay weights a = 0.8 + 0.4·exp(−x²/2s²) "
        "from each worker's error x), iterated over all answers; class = weighted vote, stars = "
        "weighted mean, boxes = weighted medoid. **CrowdLabel batch+gold** adds `--gold`: "
        "workers whose agreement with the gold answers is below the default threshold (class "
        "50%, stars 75%, boxes IoU 0.5) are excluded, and gold errors count in the weights.")
    L.append(
        f"- **CrowdLabel replay**: `crowdlabel-infer --mode replay --package-size "
        f"{args.package_size}`: the chain's online, reliability-weighted consensus replayed — "
        "questions in order of first appearance grouped into packages, each package finalised "
        "with the workers' current reliability models (Dawid–Skene confusion matrices for "
        "classes, a calibration line and noise for stars and scores, IoU agreement for boxes), then the models updated "
        "against the consensus. Each package is voted as the chain votes it (the CLI's default, "
        "`passes_for`): 3 times for stars and scores, once for classes and boxes; "
        "the second and third votes use the models updated by the previous vote's consensus of "
        "the same package (EM within the package, exactly as the jobs pallet judges a package: "
        "both call `package_consensus`); the models learn from the last vote only. No pass over earlier packages while "
        "the job runs; the questions form jobs of 1,000 (the runtime's `MaxItems`, the CLI's "
        "`--job-items`; a simulated dataset is one job), and when a job's last package is "
        "finalised a single-class job is voted again with the models as they are then (the "
        "jobs pallet's settlement re-vote, `revise_job`, `SETTLEMENT_PASSES` = 3 votes: each "
        "after the first with copies of the models in which the labels of every item the "
        "previous vote changed are moved from the judged consensus to the new one): the last "
        "vote is its consensus. Stars, "
        "scores and boxes are not voted again. "
        "**CrowdLabel replay+gold** adds "
        "`--gold`: a gold question's truth is revealed when its package is finalised, stands as "
        "its consensus and is recorded with the model's gold weight (`Reliability::gold_weight`: "
        "2 answers for classes and boxes, 4 for stars and scores).")
    L.append(
        "- crowd-kit " + _ck_version() + " (`crowdkit.aggregation`): **MajorityVote, Wawa, "
        "DawidSkene, GLAD, MMSR** with default settings on the class and stars tasks (stars "
        "treated as the 5 categories 1..5). **DawidSkene+gold** is DawidSkene given the same gold "
        "truths (`fit_predict(data, true_labels)`), the one baseline that sees the gold.")
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
    L.append("Rows are methods, columns the share of bad workers; the best value in each column "
             "is in bold (all methods, with and without gold, included).")
    L.append("")
    if not cli_ok:
        L.append("**The CrowdLabel rows are missing (n/a): the CLI did not run; see Problems "
                 "below.**")
        L.append("")
    sections = [
        ("class", "accuracy", "Single class — accuracy", False),
        ("stars", "accuracy", "Stars — accuracy of the rounded consensus", False),
        ("stars", "mae", "Stars — mean absolute error", True),
        ("boxes", "set_iou", "Boxes — mean set IoU with the true boxes", False),
        ("score", "rmse", "Scores (0-100 rating) — RMSE against the truth, points", True),
        ("score", "mae", "Scores (0-100 rating) — mean absolute error, points", True),
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
            notes.append("CrowdLabel's consensus (a weighted mean) is rounded half up; crowd-kit's "
                         "predictions are categories already.")
        if task == "stars" and metric == "mae":
            notes.append("The plain CrowdLabel rows give the MAE of the unrounded consensus; the "
                         "\"rounded\" rows that of the consensus rounded half up, which compares "
                         "like with like against crowd-kit's predicted categories.")
        if task == "boxes":
            notes.append("No crowd-kit baseline: crowd-kit has no box-set aggregator (see "
                         "Methods).")
        if task == "score":
            notes.append("Baselines: the plain mean and the plain median of each item's answers "
                         "(crowd-kit's categorical aggregators do not apply to 101 ordered "
                         "values). Lower is better.")
        if args.repeats > 1:
            notes.append(f"Largest standard deviation across the {args.repeats} seeds of a cell "
                         f"in this table: {sd:.3f}.")
        L.append(" ".join(notes))
        L.append("")
    if res.diag:
        L.append("### Worker diagnostics (CrowdLabel runs)")
        L.append("")
        L.append("Per worker type (n = workers of the type per dataset): mean pay weight in batch "
                 "mode, share excluded by qualification on gold (batch+gold), mean voting power "
                 "in [0, 1] of the replay's final reliability models (without and with gold), "
                 "and the replay's mean pay weight.")
        L.append("")
        for task in TASKS:
            d = diag_table(res, task, fr)
            if d:
                L.append(f"**{task}**")
                L.append("")
                L.append(d)
                L.append("")
    ct = ceiling_table(res, fr)
    if ct:
        L.append("### Online ceiling")
        L.append("")
        L.append("No online consensus can use what it has not seen yet: the first packages are "
                 "decided before anything is known about their workers. "
                 f"The **{ONLINE_BOUND}** row measures how much that costs: the Bayes vote of a "
                 "judge who knows how the crowd was generated (the mix of worker types at the "
                 "row's fraction and the range of each type's noise, on a grid of "
                 f"{BOUND_GRID} levels, and the true class or star distribution) and learns the "
                 "*truth* of every package once it is finalised, deciding each package, in the "
                 "replay's order and package size, with its posterior over each worker's type "
                 "(`online_ceiling` in `simulate.py`). The chain's package judgements know "
                 "neither the generator nor the truth, so they can at best come close to it; the "
                 "batch methods see every answer before deciding any item and can pass it, and so "
                 "can the replay's class figures since spec 110, whose published consensus is the "
                 "settlement's re-vote of the whole job (one job here) with the final models. "
                 "Not exact (it ignores "
                 "the unlabelled answers of the current package and that colluders share their "
                 "answers), so a ceiling up to sampling noise. In the targets table, a cell "
                 "whose ceiling is below what its target needs asks more than a purely online "
                 "vote with these packages can deliver.")
        L.append("")
        L.append(ct)
        L.append("")
    lc = learning_table(res, fr)
    if lc:
        L.append("### Learning in the replay")
        L.append("")
        L.append("The task's main metric (class and stars: accuracy; boxes: mean set IoU) on the "
                 "first third and on the last third of the non-gold questions in replay order "
                 "(order of first appearance; each question's package is finalised with the "
                 "models learned from the packages before it; classes are then voted again at "
                 "the job's settlement with the final models, which is what lifts their first "
                 "third). Batch mode, which sees all answers at once, is the control: its "
                 "difference is sampling noise.")
        L.append("")
        L.append(lc)
        L.append("")
    if res.real is not None:
        L.append(f"## Real data: {res.real.path.name}")
        L.append("")
        L.extend(real_section(res.real))
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
        "Caveats: the crowds are synthetic; the class and star priors, the bad-worker mix and the "
        "noise levels are choices of this simulation, not measurements. Gold-aware colluders pass "
        "qualification on gold by construction; only the consensus on ordinary items can catch "
        "them. The methods with gold (CrowdLabel batch+gold, replay+gold, DawidSkene+gold) use the "
        "gold truths; the others only see the workers' answers on the gold items.")
    L.append("")
    L.append("## Reproduce")
    L.append("")
    L.append("```sh")
    extra = _cmdline(args)
    L.append("research/consensus-sim/run.sh" + (f" {extra}" if extra else ""))
    L.append("```")
    L.append("")
    L.append(
        "(`run.sh` creates `research/consensus-sim/.venv` if missing, installs "
        "`research/consensus-sim/requirements.txt` and runs `research/consensus-sim/simulate.py` "
        "with the CLI built by `cargo build --release -p crowdlabel-tools`; it builds nothing "
        f"itself.) Seeds: base seed {args.seed}; repetitions 0..{args.repeats - 1}; each "
        "dataset's RNG is `numpy.random.SeedSequence([base, repetition, round(1000 × fraction), "
        "task index])` (task index: class 0, stars 1, boxes 2); real-data gold sample s uses "
        "`numpy.random.default_rng([base, 5, s])`. Requirements: "
        f"`research/consensus-sim/requirements.txt`. CLI used: `{args.infer_bin}`. "
        f"Runtime of this run: {runtime:.0f} s"
        + (" (" + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(res.timings.items(), key=lambda kv: -kv[1])
                             if v >= 1) + ")" if res.timings else "") + ".")
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
    if args.package_size != DEFAULT_PACKAGE_SIZE:
        parts.append(f"--package-size {args.package_size}")
    if args.no_real:
        parts.append("--no-real")
    elif args.real != str(DEFAULT_REAL):
        parts.append(f"--real {args.real}")
    if args.real_gold_samples != DEFAULT_REAL_GOLD_SAMPLES:
        parts.append(f"--real-gold-samples {args.real_gold_samples}")
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
    ap.add_argument("--package-size", type=int, default=DEFAULT_PACKAGE_SIZE,
                    help="questions per package in replay mode (default %(default)s)")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI rows")
    ap.add_argument("--real", default=str(DEFAULT_REAL),
                    help="real class dataset dir with answers.csv and truth.csv (default %(default)s)")
    ap.add_argument("--no-real", action="store_true", help="skip the real-data section")
    ap.add_argument("--real-gold-samples", type=int, default=DEFAULT_REAL_GOLD_SAMPLES,
                    help="random 5%% gold samples on the real data (default %(default)s)")
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
