#!/usr/bin/env python3
"""Float prototype of CrowdLabel's *online* single-class consensus (the `crowdlabel-infer --mode
replay` path for `--kind class`) and of candidate changes to it, measured against crowd-kit's
batch methods on the data of `research/consensus-sim/simulate.py` (identical generator and
seeds, so the numbers line up with `docs/consensus-accuracy.md`, section "Single class").

What is reimplemented (Rust source in brackets):

- `ClassModel::Confusion` [primitives/consensus/src/reliability.rs]: counts n[t][a];
  p(a|t) = (n[t][a] + prior[t][a]) / (sum_a n[t][a] + S), the row prior of strength S centred
  on the labeler's one-coin accuracy alpha = (sum_t n[t][t] + d) / (N + S), d = 0.7 S,
  off-diagonal S (1 - alpha) / (C - 1); `record` adds the weight to n[truth][answer] and halves
  the row (integer division) while its total exceeds the cap (1000).
- `infer_class`: argmax_t sum_l ln p_l(a_l|t); the logs are rounded to 1e-9 (the chain's
  FixedI64) and summed as integers, so exact ties break to the lowest class id as on chain.
- `package_consensus` / `record_package` [primitives/labels/src/reliability.rs]: pass 1 votes
  with the models as they are; passes 2..P vote with copies of the models updated by the
  previous pass's consensus of the package; then the real models learn every vote against the
  final consensus (weight 1) or a revealed gold truth (weight GOLD_WEIGHT = 4).
- `replay` [tools/src/infer.rs]: questions in order of first appearance, class ids in order of
  first appearance of the answer strings (then gold truths), packages of 20 consecutive
  questions (questions without answers skipped), gold truths (with --gold) as consensus.

Variants (see `VARIANTS` and the report printed at the end):
  class prior (Laplace counts of past consensus classes), row-prior strength, pure one-coin,
  soft counts (posterior instead of argmax), gold weight, passes per package, an
  "error-profile" row prior, and settlement re-votes of the whole job with the final models:
  `rv1` (one vote per item), `rv3pkg` (the chain's `package_consensus`, 3 passes, per package,
  with the final models), `loo` (one vote per item with the final models minus that item's own
  online contribution), `em3` (job-level EM at settlement: every item's online contribution is
  swapped for its re-voted one, 3 rounds, then a final vote).

Run: research/consensus-sim/.venv/bin/python research/proto/online_class.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "research" / "consensus-sim"))
import simulate as sim  # noqa: E402

NANO = 1e9
FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.4)
PUBLISHED = {  # docs/consensus-accuracy.md, "Single class — accuracy"
    "replay": (0.963, 0.949, 0.923, 0.905, 0.862),
    "replay+gold": (0.965, 0.946, 0.923, 0.892, 0.850),
    "DawidSkene": (0.960, 0.947, 0.929, 0.935, 0.904),
    "DawidSkene+gold": (0.959, 0.949, 0.933, 0.935, 0.905),
    "GLAD": (0.971, 0.974, 0.940, 0.940, 0.910),
    "MMSR": (0.974, 0.975, 0.935, 0.905, 0.814),
}
SETTLEMENTS = ("online", "rv1", "rv3pkg", "loo", "em3")


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cfg:
    name: str
    row_strength: float = 4.0  # S: pseudo-observations of each confusion row's prior
    alpha_strength: float = 4.0  # pseudo-observations of the prior on the one-coin accuracy
    prior_accuracy: float = 0.7  # newcomer's accuracy (d = 0.7 S)
    one_coin: bool = False  # pure one-coin model instead of the confusion matrix
    class_prior: bool = False  # ln pi(t), Laplace-smoothed counts of past consensus classes
    soft: bool = False  # record posteriors instead of a hard count on the argmax
    gold_weight: float = 4.0
    passes: int = 3
    package_size: int = 20
    cap: float = 1000.0
    error_profile: bool = False  # off-diagonal prior follows the labeler's own error columns
    prior_settle_only: bool = False  # class counts kept online, ln pi used only at settlement


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass
class Data:
    classes: List[str]
    questions: List[str]
    n_workers: int
    votes_w: List[np.ndarray]  # per question: worker ids
    votes_a: List[np.ndarray]  # per question: answer ids
    known: Dict[int, int]  # question -> gold class id (only when gold is used)


def prepare(answers: Sequence[Tuple[str, str, str]], gold: Optional[Dict[str, str]]) -> Data:
    """As `Dataset::from_rows` + `replay`: interning in order of first appearance."""
    qi: Dict[str, int] = {}
    wi: Dict[str, int] = {}
    ci: Dict[str, int] = {}
    qs: List[str] = []
    cs: List[str] = []
    rows: List[Tuple[int, int, int]] = []
    for q, w, a in answers:
        if q not in qi:
            qi[q] = len(qs)
            qs.append(q)
        if w not in wi:
            wi[w] = len(wi)
        if a not in ci:
            ci[a] = len(cs)
            cs.append(a)
        rows.append((qi[q], wi[w], ci[a]))
    known: Dict[int, int] = {}
    for q, t in (gold or {}).items():
        if q not in qi:
            qi[q] = len(qs)
            qs.append(q)
        if t not in ci:
            ci[t] = len(cs)
            cs.append(t)
        known[qi[q]] = ci[t]
    bw: List[List[int]] = [[] for _ in qs]
    ba: List[List[int]] = [[] for _ in qs]
    for q, w, a in rows:
        bw[q].append(w)
        ba[q].append(a)
    return Data(cs, qs, len(wi), [np.array(v, dtype=np.int64) for v in bw],
                [np.array(v, dtype=np.int64) for v in ba], known)


@dataclass
class Package:
    qs: np.ndarray  # question ids (answered only)
    item: np.ndarray  # per vote: index into qs
    w: np.ndarray  # per vote: worker
    a: np.ndarray  # per vote: answer
    known: np.ndarray  # per item: gold class or -1


def packages(d: Data, size: int) -> List[Package]:
    out = []
    n = len(d.questions)
    for s in range(0, n, size):
        qs = [q for q in range(s, min(n, s + size)) if len(d.votes_w[q])]
        if not qs:
            continue
        item = np.concatenate([np.full(len(d.votes_w[q]), i) for i, q in enumerate(qs)])
        w = np.concatenate([d.votes_w[q] for q in qs])
        a = np.concatenate([d.votes_a[q] for q in qs])
        known = np.array([d.known.get(q, -1) for q in qs], dtype=np.int64)
        out.append(Package(np.array(qs), item, w, a, known))
    return out


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


class Models:
    """All labelers' models of one domain, plus the domain's class counts (class prior)."""

    def __init__(self, cfg: Cfg, n_workers: int, c: int):
        self.cfg, self.c = cfg, c
        shape = (n_workers, 2) if cfg.one_coin else (n_workers, c, c)
        self.n = np.zeros(shape)
        self.class_counts = np.zeros(c)
        self.use_prior = cfg.class_prior and not cfg.prior_settle_only

    def copy(self) -> "Models":
        m = Models.__new__(Models)
        m.cfg, m.c, m.n, m.class_counts = self.cfg, self.c, self.n.copy(), self.class_counts.copy()
        m.use_prior = self.use_prior
        return m

    # ---- likelihoods ----

    def log_table(self, workers: np.ndarray, n: Optional[np.ndarray] = None) -> np.ndarray:
        """ln p(a|t) at scale 1e9, rounded to integers: shape (len(workers), C, C) [w, t, a]."""
        cfg, c = self.cfg, self.c
        n = self.n[workers] if n is None else n
        S, S0, acc = cfg.row_strength, cfg.alpha_strength, cfg.prior_accuracy
        eye = np.eye(c, dtype=bool)
        if cfg.one_coin:
            d, o = acc * S, (1 - acc) * S / (c - 1)
            tot = n.sum(1) + S
            right = (n[:, 0] + d) / tot
            wrong = (n[:, 1] + (c - 1) * o) / ((c - 1) * tot)
            p = np.where(eye[None], right[:, None, None], wrong[:, None, None])
        else:
            right = np.trace(n, axis1=1, axis2=2)
            alpha = (right + acc * S0) / (n.sum((1, 2)) + S0)
            if cfg.error_profile:
                # Off-diagonal prior mass S (1 - alpha) split like the labeler's own wrong answers
                # (column sums of the off-diagonal cells, each with (1 - 0.7) S / (C - 1) pseudo
                # errors so that a newcomer is uniform), renormalised over a != t.
                off = np.where(eye[None], 0.0, n).sum(1) + (1 - acc) * S / (c - 1)  # (k, a)
                q = np.where(eye[None], 0.0, off[:, None, :])  # (k, t, a)
                q = q / q.sum(2, keepdims=True)
                prior = np.where(eye[None], S * alpha[:, None, None], S * (1 - alpha)[:, None, None] * q)
            else:
                prior = np.where(eye[None], S * alpha[:, None, None],
                                 (S * (1 - alpha) / (c - 1))[:, None, None])
            p = (n + prior) / (n.sum(2, keepdims=True) + S)
        return np.rint(np.log(p) * NANO)

    def log_prior(self, counts: Optional[np.ndarray] = None) -> np.ndarray:
        if not self.use_prior:
            return np.zeros(self.c)
        cc = self.class_counts if counts is None else counts
        return np.rint(np.log((cc + 1) / (cc.sum() + self.c)) * NANO)

    # ---- voting ----

    def vote(self, pk: Package, tables: Optional[np.ndarray] = None) -> Tuple[np.ndarray, np.ndarray]:
        """Consensus class and posterior of every item of the package (gold: its truth)."""
        k = len(pk.qs)
        uw, inv = np.unique(pk.w, return_inverse=True)
        tab = self.log_table(uw) if tables is None else tables
        lv = tab[inv, :, pk.a]  # (V, C): ln p(a_v | t)
        s = np.zeros((k, self.c))
        np.add.at(s, pk.item, lv)
        s += self.log_prior()[None]
        cls = s.argmax(1)  # first maximum: lowest class id
        post = np.exp((s - s.max(1, keepdims=True)) / NANO)
        post /= post.sum(1, keepdims=True)
        g = pk.known >= 0
        cls[g] = pk.known[g]
        post[g] = np.eye(self.c)[pk.known[g]]
        return cls, post

    # ---- learning ----

    def contribution(self, pk: Package, cls: np.ndarray, post: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Per vote: the weight and the truth distribution it is recorded against."""
        g = pk.known[pk.item] >= 0
        weight = np.where(g, self.cfg.gold_weight, 1.0)
        if self.cfg.soft:
            r = post[pk.item]
        else:
            r = np.eye(self.c)[cls[pk.item]]
        return weight, r

    def record(self, pk: Package, cls: np.ndarray, post: np.ndarray) -> None:
        """`record_package`: every vote into its model, with the cap's halving."""
        weight, r = self.contribution(pk, cls, post)
        self.add(pk.w, pk.a, weight[:, None] * r, sequential=True)
        if self.cfg.class_prior:
            g = pk.known >= 0
            wt = np.where(g, 1.0, 1.0)
            dist = post if self.cfg.soft else np.eye(self.c)[cls]
            dist = np.where(g[:, None], np.eye(self.c)[np.maximum(pk.known, 0)], dist)
            self.class_counts += (wt[:, None] * dist).sum(0)
            cap = self.cfg.cap
            while cap and self.class_counts.sum() > cap:
                self.class_counts = self._halve(self.class_counts)

    def _halve(self, x: np.ndarray) -> np.ndarray:
        return x / 2 if self.cfg.soft else np.floor(x / 2)

    def add(self, w: np.ndarray, a: np.ndarray, mass: np.ndarray, sequential: bool) -> None:
        """n[w][t][a] += mass[v, t] for every vote v (one-coin: right += mass[a], wrong += rest).
        Halving as `ClassModel::record` does after each single record; done vote by vote only
        when some row would exceed the cap in this batch (otherwise the order is irrelevant)."""
        cfg, c = self.cfg, self.c
        if cfg.one_coin:
            right = mass[np.arange(len(a)), a]
            delta = np.stack([right, mass.sum(1) - right], 1)
            if not sequential:
                np.add.at(self.n, w, delta)
                np.maximum(self.n, 0, out=self.n)
                return
            trial = self.n.copy()
            np.add.at(trial, w, delta)
            if not cfg.cap or (trial[np.unique(w)].sum(1) <= cfg.cap).all():
                self.n = trial
                return
            for v in range(len(w)):
                cell = self.n[w[v]]
                cell += delta[v]
                while cell.sum() > cfg.cap:
                    cell[:] = self._halve(cell)
            return
        if not sequential:  # settlement deltas (may be negative): no halving, clamp at 0
            np.add.at(self.n, (w, slice(None), a), mass)
            np.maximum(self.n, 0, out=self.n)
            return
        trial = self.n.copy()
        np.add.at(trial, (w, slice(None), a), mass)
        uw = np.unique(w)
        if not cfg.cap or (trial[uw].sum(2) <= cfg.cap).all():
            self.n = trial
            return
        for v in range(len(w)):
            m = self.n[w[v]]
            m[:, a[v]] += mass[v]
            for t in np.nonzero(mass[v])[0]:
                while m[t].sum() > cfg.cap:
                    m[t] = self._halve(m[t])


# --------------------------------------------------------------------------------------------
# The replay and the settlement re-votes
# --------------------------------------------------------------------------------------------


def package_consensus(models: Models, pk: Package, passes: int) -> Tuple[np.ndarray, np.ndarray]:
    cls, post = models.vote(pk)
    for _ in range(1, max(1, passes)):
        trial = models.copy()
        trial.record(pk, cls, post)
        cls, post = trial.vote(pk)
    return cls, post


@dataclass
class RunResult:
    pred: Dict[str, Dict[str, str]] = field(default_factory=dict)  # settlement -> q -> class
    seconds: float = 0.0


def replay(d: Data, cfg: Cfg, settlements: Sequence[str] = SETTLEMENTS) -> RunResult:
    t0 = time.perf_counter()
    c = len(d.classes)
    models = Models(cfg, d.n_workers, c)
    pks = packages(d, cfg.package_size)
    online_cls, online_post = [], []
    for pk in pks:
        cls, post = package_consensus(models, pk, cfg.passes)
        models.record(pk, cls, post)
        online_cls.append(cls)
        online_post.append(post)
    res = RunResult()

    def name(pk_cls: List[np.ndarray]) -> Dict[str, str]:
        return {d.questions[q]: d.classes[k] for pk, cl in zip(pks, pk_cls) for q, k in zip(pk.qs, cl)}

    res.pred["online"] = name(online_cls)
    models.use_prior = cfg.class_prior  # settlement: the class prior, if kept, is used
    if "rv1" in settlements:
        res.pred["rv1"] = name([models.vote(pk)[0] for pk in pks])
    if "rv3pkg" in settlements:
        res.pred["rv3pkg"] = name([package_consensus(models, pk, 3)[0] for pk in pks])
    if "loo" in settlements:
        out = []
        for pk, cl, po in zip(pks, online_cls, online_post):
            weight, r = models.contribution(pk, cl, po)
            mass = weight[:, None] * r  # (V, C): what this vote added to column a of its model
            if cfg.one_coin:
                right = mass[np.arange(len(pk.a)), pk.a]
                n = models.n[pk.w] - np.stack([right, mass.sum(1) - right], 1)
            else:
                n = models.n[pk.w].copy()
                n[np.arange(len(pk.a)), :, pk.a] -= mass
            np.maximum(n, 0, out=n)
            tab = models.log_table(pk.w, n)  # one table per vote (its own labeler minus itself)
            counts = None
            if cfg.class_prior:  # the item's own class count out as well
                own = np.eye(c)[cl] if not cfg.soft else po
                counts = np.maximum(models.class_counts[None] - own, 0)
            k = len(pk.qs)
            s = np.zeros((k, c))
            np.add.at(s, pk.item, tab[np.arange(len(pk.a)), :, pk.a])
            if counts is not None:
                s += np.stack([models.log_prior(counts[i]) for i in range(k)])
            cls = s.argmax(1)
            g = pk.known >= 0
            cls[g] = pk.known[g]
            out.append(cls)
        res.pred["loo"] = name(out)
    if "em3" in settlements:
        m = models.copy()
        cur_cls, cur_post = list(online_cls), list(online_post)
        for _ in range(3):
            new = [m.vote(pk) for pk in pks]
            for pk, (oc, op), (nc, npo) in zip(pks, zip(cur_cls, cur_post), new):
                w_old, r_old = m.contribution(pk, oc, op)
                w_new, r_new = m.contribution(pk, nc, npo)
                m.add(pk.w, pk.a, w_new[:, None] * r_new - w_old[:, None] * r_old, sequential=False)
                if cfg.class_prior:
                    do = op if cfg.soft else np.eye(c)[oc]
                    dn = npo if cfg.soft else np.eye(c)[nc]
                    m.class_counts = np.maximum(m.class_counts + (dn - do).sum(0), 0)
            cur_cls = [x[0] for x in new]
            cur_post = [x[1] for x in new]
        res.pred["em3"] = name([m.vote(pk)[0] for pk in pks])
    res.seconds = time.perf_counter() - t0
    return res


# --------------------------------------------------------------------------------------------
# Experiments
# --------------------------------------------------------------------------------------------

BASE = Cfg("current")
VARIANTS: List[Cfg] = [
    BASE,
    Cfg("b: class prior", class_prior=True),
    Cfg("b': class prior at settlement only", class_prior=True, prior_settle_only=True),
    Cfg("c: row S=8", row_strength=8),
    Cfg("c: row S=16", row_strength=16),
    Cfg("c: row+alpha S=16", row_strength=16, alpha_strength=16),
    Cfg("c: one-coin", one_coin=True),
    Cfg("d: soft counts", soft=True),
    Cfg("f: error-profile prior", error_profile=True),
    Cfg("f: 6 passes", passes=6),
    Cfg("f: 1 pass", passes=1),
]
GOLD_ONLY: List[Cfg] = [
    Cfg("e: gold weight 1", gold_weight=1),
    Cfg("e: gold weight 2", gold_weight=2),
    Cfg("b+c16+d, gold weight 1", class_prior=True, row_strength=16, soft=True, gold_weight=1),
    Cfg("b'+c8, gold weight 2", class_prior=True, prior_settle_only=True, row_strength=8, gold_weight=2),
]
REC = Cfg("REC: b' + gold weight 2", class_prior=True, prior_settle_only=True, gold_weight=2)
SWEEP_S = (2, 4, 8, 16, 32, 64)


def combos() -> List[Cfg]:
    return [
        Cfg("c+d: S8+soft", row_strength=8, soft=True),
        Cfg("c+d: S16+soft", row_strength=16, soft=True),
        Cfg("b+d: prior+soft", class_prior=True, soft=True),
        Cfg("b+c8: prior+S8", class_prior=True, row_strength=8),
        Cfg("b+c16: prior+S16", class_prior=True, row_strength=16),
        Cfg("b+c16+d", class_prior=True, row_strength=16, soft=True),
        Cfg("b+c8+d", class_prior=True, row_strength=8, soft=True),
        Cfg("b+one-coin", class_prior=True, one_coin=True),
        Cfg("b+one-coin+d", class_prior=True, one_coin=True, soft=True),
        Cfg("b'+c8", class_prior=True, prior_settle_only=True, row_strength=8),
        Cfg("b'+c16+d", class_prior=True, prior_settle_only=True, row_strength=16, soft=True),
        REC,
    ]


def accuracy(pred: Dict[str, str], truth: Dict[str, str], qs: Sequence[str]) -> float:
    return float(np.mean([pred.get(q) == truth[q] for q in qs]))


def load_baselines(datasets, cache_path: Path) -> Dict[str, Dict[Tuple[float, int], float]]:
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    out: Dict[str, Dict[Tuple[float, int], float]] = {}
    dirty = False
    for (frac, rep), ds in datasets.items():
        key = f"{frac}-{rep}"
        if key not in cache:
            t0 = time.perf_counter()
            r = {}
            ev = ds.eval_items()
            for name, gold in (("DawidSkene", False), ("DawidSkene+gold", True), ("GLAD", False),
                               ("MMSR", False), ("MajorityVote", False)):
                g = {q: ds.truth[q] for q in ds.gold} if gold else None
                p = sim.crowdkit_fit(name.split("+")[0], ds.answers, g)
                r[name] = accuracy(p, ds.truth, ev)
            r["_seconds"] = time.perf_counter() - t0
            cache[key] = r
            dirty = True
            print(f"  crowd-kit {key}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        for name, v in cache[key].items():
            out.setdefault(name, {})[(frac, rep)] = v
    if dirty:
        cache_path.write_text(json.dumps(cache, indent=1))
    return out


def fmt_row(label: str, vals: Sequence[float], ref: Optional[Sequence[float]] = None) -> str:
    cells = [f"{v:.3f}" for v in vals]
    mean = float(np.mean(vals))
    extra = f" | {mean:.3f}"
    if ref is not None:
        extra += f" | {mean - float(np.mean(ref)):+.3f}"
    return f"| {label} | " + " | ".join(cells) + extra + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one seed, fewer variants")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--real", default=str(REPO.parent / "shared" / "data" / "real" / "adult-content"))
    ap.add_argument("--json", default=str(HERE / "results.json"))
    args = ap.parse_args()
    t_start = time.perf_counter()
    reps = (0,) if args.quick else (0, 1, 2)
    datasets = {(f, r): sim.generate("class", f, sim._seq(sim.DEFAULT_SEED, r, f, "class"))
                for f in FRACTIONS for r in reps}
    t0 = time.perf_counter()
    base = load_baselines(datasets, HERE / "crowdkit_cache.json")
    t_ck = time.perf_counter() - t0

    prepared = {}
    for key, ds in datasets.items():
        ans = [(q, w, str(a)) for q, w, a in ds.answers]
        gold = {q: str(ds.truth[q]) for q in ds.gold}
        prepared[key] = (prepare(ans, None), prepare(ans, gold))

    results: Dict[str, Dict[str, Dict[str, List[float]]]] = {}  # mode -> variant -> settlement -> per frac mean
    per_rep: Dict[str, Dict[str, Dict[str, Dict[str, float]]]] = {}
    t_rep = 0.0

    def run_variant(cfg: Cfg, modes: Sequence[str]) -> None:
        nonlocal t_rep
        for mode in modes:
            acc: Dict[str, List[float]] = {s: [] for s in SETTLEMENTS}
            for f in FRACTIONS:
                vals: Dict[str, List[float]] = {s: [] for s in SETTLEMENTS}
                for r in reps:
                    ds = datasets[(f, r)]
                    d = prepared[(f, r)][mode == "gold"]
                    rr = replay(d, cfg)
                    t_rep += rr.seconds
                    for s in SETTLEMENTS:
                        a = accuracy(rr.pred[s], ds.truth, ds.eval_items())
                        vals[s].append(a)
                        per_rep.setdefault(mode, {}).setdefault(cfg.name, {}).setdefault(s, {})[f"{f}-{r}"] = a
                for s in SETTLEMENTS:
                    acc[s].append(float(np.mean(vals[s])))
            results.setdefault(mode, {})[cfg.name] = acc
            print(f"  {mode:6s} {cfg.name:28s} online " + " ".join(f"{v:.3f}" for v in acc["online"])
                  + " | rv1 " + " ".join(f"{v:.3f}" for v in acc["rv1"]), file=sys.stderr, flush=True)

    variants = VARIANTS if not args.quick else VARIANTS[:2]
    for cfg in variants:
        run_variant(cfg, ("plain", "gold"))
    for cfg in GOLD_ONLY:
        run_variant(cfg, ("gold",))
    for cfg in combos():
        run_variant(cfg, ("plain", "gold"))
    for s in SWEEP_S:
        if s != 4:
            run_variant(Cfg(f"sweep row S={s}", row_strength=s), ("plain",))
        run_variant(Cfg(f"sweep row S={s}+prior", row_strength=s, class_prior=True), ("plain",))
    for acc0 in (0.6, 0.8):
        run_variant(Cfg(f"sweep prior acc {acc0}", prior_accuracy=acc0), ("plain",))
    for size in (10, 50):
        run_variant(Cfg(f"sweep package {size}", package_size=size), ("plain",))

    ck = {n: [float(np.mean([base[n][(f, r)] for r in reps])) for f in FRACTIONS]
          for n in ("DawidSkene", "DawidSkene+gold", "GLAD", "MMSR", "MajorityVote")}

    # ---- report ----
    head = "| variant | " + " | ".join(f"{int(f * 100)}%" for f in FRACTIONS) + " | mean | vs current |"
    sep = "|---|" + "---:|" * (len(FRACTIONS) + 2)
    print("\n## Check against the published replay (docs/consensus-accuracy.md)\n")
    print("| | " + " | ".join(f"{int(f * 100)}%" for f in FRACTIONS) + " |")
    print("|---|" + "---:|" * len(FRACTIONS))
    for lab, mode, pub in (("prototype replay", "plain", "replay"), ("published replay", None, "replay"),
                           ("prototype replay+gold", "gold", "replay+gold"),
                           ("published replay+gold", None, "replay+gold")):
        vals = results[mode]["current"]["online"] if mode else PUBLISHED[pub]
        print(f"| {lab} | " + " | ".join(f"{v:.3f}" for v in vals) + " |")
    for n in ("DawidSkene", "DawidSkene+gold", "GLAD", "MMSR"):
        print(f"| crowd-kit {n} (here / published) | " + " | ".join(
            f"{a:.3f} / {b:.3f}" for a, b in zip(ck[n], PUBLISHED[n])) + " |")

    for mode, title in (("plain", "no gold"), ("gold", "5% gold")):
        for s in SETTLEMENTS:
            print(f"\n## {title}: {s}\n")
            print(head)
            print(sep)
            ref = results[mode]["current"]["online"]
            for name, acc in results[mode].items():
                if name.startswith("sweep"):
                    continue
                print(fmt_row(name, acc[s], ref))
            refs = ("GLAD", "MMSR", "DawidSkene", "DawidSkene+gold") if mode == "plain" else (
                "DawidSkene+gold", "GLAD", "DawidSkene")
            for n in refs:
                print(fmt_row(f"*{n}*", ck[n], ref))
    print("\n## Paired differences over the 15 datasets (variant minus current *online*; "
          "mean ± standard error; wins/losses of 15)\n")
    for mode, title in (("plain", "no gold"), ("gold", "5% gold")):
        print(f"\n### {title}\n")
        print("| variant | online | rv1 | loo | em3 |")
        print("|---|---:|---:|---:|---:|")
        cur = per_rep[mode]["current"]["online"]
        for name, by_s in per_rep[mode].items():
            if name.startswith("sweep"):
                continue
            cells = []
            for st in ("online", "rv1", "loo", "em3"):
                dv = np.array([by_s[st][k] - cur[k] for k in cur])
                se = dv.std(ddof=1) / np.sqrt(len(dv)) if len(dv) > 1 else 0.0
                cells.append(f"{dv.mean():+.3f}±{se:.3f} ({int((dv > 0).sum())}/{int((dv < 0).sum())})")
            print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n## Sensitivity (no gold)\n")
    for s in ("online", "rv1", "loo", "em3"):
        print(f"\n### {s}\n")
        print(head)
        print(sep)
        ref = results["plain"]["current"]["online"]
        for name, acc in results["plain"].items():
            if name.startswith("sweep") or name == "current":
                print(fmt_row(name, acc[s], ref))

    out = {"results": results, "per_rep": per_rep, "crowdkit": ck}

    # ---- real data ----
    if not args.no_real:
        out["real"] = real(Path(args.real))
    t_total = time.perf_counter() - t_start
    print(f"\nRuntime: {t_total:.0f} s total (replays {t_rep:.0f} s, crowd-kit {t_ck:.0f} s"
          f"{' from cache' if t_ck < 5 else ''}).")
    out["seconds"] = {"total": t_total, "replays": t_rep, "crowdkit": t_ck}
    Path(args.json).write_text(json.dumps(out, indent=1, default=str))


REAL_VARIANTS = [
    BASE,
    Cfg("b: class prior", class_prior=True),
    Cfg("b': class prior at settlement only", class_prior=True, prior_settle_only=True),
    Cfg("c: row S=2", row_strength=2),
    Cfg("c: row S=8", row_strength=8),
    Cfg("c: row S=16", row_strength=16),
    Cfg("c: one-coin", one_coin=True),
    Cfg("d: soft counts", soft=True),
    Cfg("e: gold weight 1", gold_weight=1),
    Cfg("e: gold weight 2", gold_weight=2),
    Cfg("f: error-profile prior", error_profile=True),
    Cfg("f: 1 pass", passes=1),
    Cfg("c+d: S8+soft", row_strength=8, soft=True),
    Cfg("b+c16+d", class_prior=True, row_strength=16, soft=True),
    Cfg("b'+c8", class_prior=True, prior_settle_only=True, row_strength=8),
    REC,
]


def real(path: Path) -> Dict:
    print(f"\n## Real data: {path.name}\n")
    answers = sim._read_csv(path / "answers.csv", ("question", "worker", "answer"))
    truth = dict(sim._read_csv(path / "truth.csv", ("question", "truth")))
    answered = {q for q, _, _ in answers}
    evalq = sorted(q for q in truth if q in answered)
    n_gold = max(1, int(round(0.05 * len(evalq))))
    samples = []
    for s in range(sim.DEFAULT_REAL_GOLD_SAMPLES):
        rng = np.random.default_rng([sim.DEFAULT_SEED, 5, s])
        samples.append(sorted(rng.choice(evalq, size=n_gold, replace=False).tolist()))
    t0 = time.perf_counter()
    ds_plain = accuracy(sim.crowdkit_fit("DawidSkene", answers), truth, evalq)
    ds_gold, ds_plain_rest = [], []
    p_ds = sim.crowdkit_fit("DawidSkene", answers)
    for gold in samples:
        rest = [q for q in evalq if q not in set(gold)]
        p = sim.crowdkit_fit("DawidSkene", answers, {q: truth[q] for q in gold})
        ds_gold.append(accuracy(p, truth, rest))
        ds_plain_rest.append(accuracy(p_ds, truth, rest))
    t_ck = time.perf_counter() - t0
    d_plain = prepare(answers, None)
    d_gold = [prepare(answers, {q: truth[q] for q in gold}) for gold in samples]
    rows = []
    out: Dict = {"n_eval": len(evalq), "n_gold": n_gold, "DawidSkene": ds_plain,
                 "DawidSkene (gold columns)": float(np.mean(ds_plain_rest)),
                 "DawidSkene+gold": float(np.mean(ds_gold)), "crowdkit_seconds": t_ck, "variants": {}}
    for cfg in REAL_VARIANTS:
        r = replay(d_plain, cfg)
        nog = {s: accuracy(r.pred[s], truth, evalq) for s in SETTLEMENTS}
        g = {s: [] for s in SETTLEMENTS}
        for gold, dg in zip(samples, d_gold):
            rest = [q for q in evalq if q not in set(gold)]
            rg = replay(dg, cfg)
            for s in SETTLEMENTS:
                g[s].append(accuracy(rg.pred[s], truth, rest))
        gm = {s: float(np.mean(v)) for s, v in g.items()}
        out["variants"][cfg.name] = {"plain": nog, "gold": gm, "seconds_plain": r.seconds}
        rows.append((cfg.name, nog, gm, r.seconds))
        dist = {k: v / len(r.pred["online"]) for k, v in sorted(
            __import__("collections").Counter(r.pred["online"].values()).items())}
        out["variants"][cfg.name]["online_class_shares"] = dist
        print(f"  real {cfg.name}: online consensus shares "
              + ", ".join(f"{k} {v:.3f}" for k, v in dist.items()), file=sys.stderr)
        print(f"  real {cfg.name}: {r.seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"{len(evalq)} questions with truth (no gold); gold: {len(samples)} samples of {n_gold}, "
          f"accuracy on the other {len(evalq) - n_gold}.\n")
    print("| variant | " + " | ".join(f"{s}" for s in SETTLEMENTS) + " | gold: " +
          " | gold: ".join(SETTLEMENTS) + " | s (no gold, all settlements) |")
    print("|---|" + "---:|" * (2 * len(SETTLEMENTS) + 1))
    for name, nog, gm, secs in rows:
        print(f"| {name} | " + " | ".join(f"{nog[s]:.3f}" for s in SETTLEMENTS) + " | " +
              " | ".join(f"{gm[s]:.3f}" for s in SETTLEMENTS) + f" | {secs:.1f} |")
    print(f"| *DawidSkene* | {ds_plain:.3f} | | | | | {float(np.mean(ds_plain_rest)):.3f} | | | | | |")
    print(f"| *DawidSkene+gold* | | | | | | {float(np.mean(ds_gold)):.3f} | | | | | |")
    return out


if __name__ == "__main__":
    main()
