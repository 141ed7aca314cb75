"""Tests of the accuracy simulation: set IoU, the data generator, the CLI wiring (against a
stand-in CLI written in Python) and the report. Run: research/consensus-sim/.venv/bin/python -m pytest research/consensus-sim
"""

import argparse
import collections
import csv
import math
import stat
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import simulate as sim  # noqa: E402


# ----- set IoU -------------------------------------------------------------------------------


def test_box_iou_by_hand():
    a = (0, 0, 10, 10, 0)
    assert sim.box_iou(a, a) == 1.0
    assert sim.box_iou(a, (5, 0, 15, 10, 0)) == pytest.approx(50 / 150)
    assert sim.box_iou(a, (10, 0, 20, 10, 0)) == 0.0  # half-open: touching edges do not overlap
    assert sim.box_iou(a, (0, 0, 10, 10, 1)) == 0.0  # different class


def test_set_iou_edge_cases():
    a = [(0, 0, 10, 10, 0)]
    assert sim.set_iou([], []) == 1.0
    assert sim.set_iou(a, []) == 0.0
    assert sim.set_iou([], a) == 0.0
    assert sim.set_iou(a, a) == 1.0
    # An extra unmatched box halves the score.
    assert sim.set_iou(a, a + [(50, 50, 60, 60, 0)]) == pytest.approx(0.5)
    # Different classes never match, even when the boxes coincide.
    assert sim.set_iou(a, [(0, 0, 10, 10, 2)]) == 0.0


def test_set_iou_uses_optimal_not_greedy_matching():
    # Greedy would pair b0 with a0 (IoU 0.6) and leave a1 with nothing; the optimum pairs
    # b0-a1 and b1-a0.
    a0, a1 = (0, 0, 10, 10, 0), (4, 0, 14, 10, 0)
    b0, b1 = (2, 0, 12, 10, 0), (0, 0, 8, 10, 0)
    sets_a, sets_b = [a0, a1], [b0, b1]
    best = max(
        sim.box_iou(a0, b0) + sim.box_iou(a1, b1),
        sim.box_iou(a0, b1) + sim.box_iou(a1, b0),
    ) / 2
    assert sim.set_iou(sets_a, sets_b) == pytest.approx(best)
    assert sim.set_iou(sets_a, sets_b) == pytest.approx(sim.set_iou(sets_b, sets_a))
    assert sim.set_iou(sets_a, sets_b) == pytest.approx(sim.set_iou(sets_a[::-1], sets_b))


def test_box_format_round_trip_and_medoid():
    bs = [(1, 2, 30, 40, 0), (5, 5, 9, 9, 2)]
    assert sim.parse_boxes(sim.format_boxes(bs)) == bs
    assert sim.parse_boxes("") == []
    good = [(0, 0, 100, 100, 0)]
    near = [(2, 2, 101, 99, 0)]
    far = [(500, 500, 600, 600, 0)]
    assert sim.medoid([far, good, near]) in (1, 2)
    # Weights can flip the medoid.
    assert sim.medoid([far, far, good], weights=[1, 1, 1]) == 0
    assert sim.medoid([far, good, good], weights=[10, 1, 1]) == 0


# ----- data generator ------------------------------------------------------------------------


def _mv_accuracy(ds):
    by_q = collections.defaultdict(list)
    for q, _, a in ds.answers:
        by_q[q].append(a)
    qs = ds.eval_items()
    return sum(collections.Counter(by_q[q]).most_common(1)[0][0] == ds.truth[q] for q in qs) / len(qs)


def test_generator_shape_and_gold():
    p = sim.Params()
    ds = sim.generate("class", 0.2, [1, 2, 3])
    assert len(ds.items) == p.n_items and len(ds.workers) == p.n_workers
    assert len(ds.gold) == round(p.gold_fraction * p.n_items)
    per_item = collections.Counter(q for q, _, _ in ds.answers)
    gold = set(ds.gold)
    assert all(per_item[q] == p.redundancy for q in ds.items if q not in gold)
    gold_per_worker = collections.Counter(w for q, w, _ in ds.answers if q in gold)
    assert all(p.gold_per_worker[0] <= gold_per_worker[w] <= p.gold_per_worker[1] for w in ds.workers)
    # No worker answers an item twice; gold items are not evaluated.
    assert len({(q, w) for q, w, _ in ds.answers}) == len(ds.answers)
    assert not set(ds.eval_items()) & gold
    # 6 bad workers, round-robin over the mix.
    types = collections.Counter(ds.worker_type.values())
    assert types == {sim.HONEST: 24, sim.COLLUDER: 2, sim.SMART_COLLUDER: 1, sim.SPAMMER: 1,
                     sim.SYSTEMATIC: 1, sim.LAZY: 1}
    assert types == sim.type_counts(0.2, p.n_workers)


def test_type_counts_per_fraction():
    assert sim.type_counts(0.0, 30) == {sim.HONEST: 30}
    assert sim.type_counts(0.1, 30) == {sim.HONEST: 27, sim.COLLUDER: 1, sim.SMART_COLLUDER: 1,
                                        sim.SPAMMER: 1}
    assert sim.type_counts(0.4, 30) == {sim.HONEST: 18, sim.COLLUDER: 3, sim.SMART_COLLUDER: 3,
                                        sim.SPAMMER: 2, sim.SYSTEMATIC: 2, sim.LAZY: 2}
    # The old mix is still available through Params.
    ds = sim.generate("class", 0.2, [1], sim.Params(bad_mix=(sim.SPAMMER, sim.COLLUDER)))
    assert collections.Counter(ds.worker_type.values()) == {sim.HONEST: 24, sim.SPAMMER: 3,
                                                            sim.COLLUDER: 3}


def test_generator_is_seeded():
    for task in sim.TASKS:
        a = sim.generate(task, 0.4, [7])
        b = sim.generate(task, 0.4, [7])
        c = sim.generate(task, 0.4, [8])
        assert a.answers == b.answers and a.truth == b.truth and a.worker_type == b.worker_type
        assert a.answers != c.answers


def test_truth_priors_are_skewed():
    ds = sim.generate("class", 0.0, [4])
    n = collections.Counter(ds.truth.values())
    assert n["c0"] > n["c1"] > n["c3"]
    ds = sim.generate("stars", 0.0, [4])
    n = collections.Counter(ds.truth.values())
    assert n.most_common(1)[0][0] == 4 and n[1] < n[4]


@pytest.mark.parametrize("task", ["class", "stars"])
def test_honest_only_majority_vote_is_accurate(task):
    ds = sim.generate(task, 0.0, [11])
    assert set(ds.worker_type.values()) == {sim.HONEST}
    acc = _mv_accuracy(ds)
    assert acc > (0.9 if task == "class" else 0.8), acc


def test_honest_only_boxes_medoid_is_close():
    ds = sim.generate("boxes", 0.0, [11])
    r = sim.unweighted_medoid(ds)
    assert sim.metrics(ds, r.predictions)["set_iou"] > 0.8


def _by_type(ds, kind):
    return {w for w, t in ds.worker_type.items() if t == kind}


@pytest.mark.parametrize("task", ["class", "stars", "boxes"])
def test_colluders_share_one_wrong_answer(task):
    """Both kinds of colluders give one shared wrong answer per ordinary item; plain colluders
    do so on gold items too."""
    ds = sim.generate(task, 0.4, [5])
    plain, smart = _by_type(ds, sim.COLLUDER), _by_type(ds, sim.SMART_COLLUDER)
    assert len(plain) == 3 and len(smart) == 3
    gold = set(ds.gold)
    by_q = collections.defaultdict(list)
    for q, w, a in ds.answers:
        if w in plain or (w in smart and q not in gold):
            by_q[q].append(a)
    shared = [v for v in by_q.values() if len(v) > 1]
    assert shared, "some item should be answered by two colluders"
    for q, v in by_q.items():
        assert all(x == v[0] for x in v), (q, v)
        if task == "boxes":
            assert sim.set_iou(v[0], ds.truth[q]) < 0.9
        else:
            assert v[0] != ds.truth[q]
        if task == "stars":
            assert abs(v[0] - ds.truth[q]) >= 2


@pytest.mark.parametrize("task", ["class", "stars", "boxes"])
def test_gold_aware_colluders_are_honest_on_gold_only(task):
    ds = sim.generate(task, 0.4, [6])
    smart = _by_type(ds, sim.SMART_COLLUDER)
    gold = set(ds.gold)

    def score(a, t):
        if task == "boxes":
            return sim.set_iou(a, t)
        if task == "stars":
            return float(abs(a - t) <= 1)
        return float(a == t)

    on_gold = [score(a, ds.truth[q]) for q, w, a in ds.answers if w in smart and q in gold]
    off_gold = [score(a, ds.truth[q]) for q, w, a in ds.answers if w in smart and q not in gold]
    assert len(on_gold) >= 12 and off_gold
    assert sum(on_gold) / len(on_gold) > 0.6
    assert sum(off_gold) / len(off_gold) < 0.1


def test_systematic_class_workers_swap_two_classes():
    ds = sim.generate("class", 0.4, [12])
    sysw = _by_type(ds, sim.SYSTEMATIC)
    a, b = (f"c{k}" for k in sim.Params().confused_pair)
    swapped = [ans == {a: b, b: a}[ds.truth[q]] for q, w, ans in ds.answers
               if w in sysw and ds.truth[q] in (a, b)]
    right = [ans == ds.truth[q] for q, w, ans in ds.answers if w in sysw and ds.truth[q] not in (a, b)]
    assert sum(swapped) / len(swapped) > 0.6
    assert sum(right) / len(right) > 0.6


def test_systematic_star_workers_are_biased():
    ds = sim.generate("stars", 0.4, [12])
    for w in _by_type(ds, sim.SYSTEMATIC):
        d = [a - ds.truth[q] for q, ww, a in ds.answers if ww == w and 2 <= ds.truth[q] <= 4]
        mean = sum(d) / len(d)
        assert abs(ds.worker_bias[w]) == 1
        assert mean * ds.worker_bias[w] > 0.5, (w, mean, ds.worker_bias[w])
    for q, w, a in ds.answers:
        assert 1 <= a <= 5


def test_systematic_box_workers_draw_loose_boxes():
    ds = sim.generate("boxes", 0.4, [12])
    sysw = _by_type(ds, sim.SYSTEMATIC)
    area = lambda bs: sum((b[2] - b[0]) * (b[3] - b[1]) for b in bs)  # noqa: E731
    ratios = [area(a) / area(ds.truth[q]) for q, w, a in ds.answers
              if w in sysw and len(a) == len(ds.truth[q])]
    assert ratios and sum(ratios) / len(ratios) > 1.5
    ious = [sim.set_iou(a, ds.truth[q]) for q, w, a in ds.answers if w in sysw]
    assert 0.3 < sum(ious) / len(ious) < 0.7


@pytest.mark.parametrize("task,expected", [("class", "c0"), ("stars", 4), ("boxes", [])])
def test_lazy_workers_give_the_most_common_answer(task, expected):
    ds = sim.generate(task, 0.4, [13])
    lazy = _by_type(ds, sim.LAZY)
    answers = [a for _, w, a in ds.answers if w in lazy]
    assert len(lazy) == 2 and answers and all(a == expected for a in answers)


def test_score_task_workers():
    """0-100 ratings: integers in range; honest workers close to the truth, systematic ones
    ±20 off, spammers spread over the range, lazy ones constant, gold-aware colluders honest
    on gold and at the far end of the range elsewhere."""
    p = sim.Params()
    ds = sim.generate("score", 0.4, [14])
    assert all(isinstance(a, int) and 0 <= a <= p.score_max for _, _, a in ds.answers)
    res = lambda ws, cond=lambda q: True: [a - ds.truth[q] for q, w, a in ds.answers  # noqa: E731
                                           if w in ws and cond(q)]
    honest = res(_by_type(ds, sim.HONEST))
    assert abs(sum(honest) / len(honest)) < 2 and (sum(d * d for d in honest) / len(honest)) ** 0.5 < 15
    mid = lambda q: 25 <= ds.truth[q] <= 75  # noqa: E731
    for w in _by_type(ds, sim.SYSTEMATIC):
        d = res({w}, mid)
        assert abs(ds.worker_bias[w]) == p.score_bias
        assert (sum(d) / len(d)) * ds.worker_bias[w] > 0.7 * p.score_bias ** 2
    spam = [a for _, w, a in ds.answers if w in _by_type(ds, sim.SPAMMER)]
    assert 35 < sum(spam) / len(spam) < 65 and max(spam) - min(spam) > 80
    assert {a for _, w, a in ds.answers if w in _by_type(ds, sim.LAZY)} == {60}
    gold = set(ds.gold)
    smart = _by_type(ds, sim.SMART_COLLUDER)
    on_gold = [abs(d) for d in res(smart, lambda q: q in gold)]
    off_gold = [abs(d) for d in res(smart, lambda q: q not in gold)]
    assert on_gold and sum(on_gold) / len(on_gold) < 15
    assert min(off_gold) >= 50


def test_score_baselines_and_metrics_by_hand():
    ds = sim.Dataset("score", 0.0, "0", ["a", "b"], ["x", "y", "z"], {}, {}, {"a": 50, "b": 10},
                     [], answers=[("a", "x", 40), ("a", "y", 50), ("a", "z", 90),
                                  ("b", "x", 10), ("b", "y", 16)])
    mean = sim.plain_score(ds, sim.np.mean).predictions
    median = sim.plain_score(ds, sim.np.median).predictions
    assert mean == {"a": 60.0, "b": 13.0} and median == {"a": 50.0, "b": 13.0}
    m = sim.metrics(ds, mean)
    assert m["rmse"] == pytest.approx(math.sqrt((10 ** 2 + 3 ** 2) / 2))
    assert m["mae"] == pytest.approx(6.5)
    assert sim.parse_consensus("score", [{"question": "a", "consensus": "73.250000"}]) == {"a": 73.25}
    assert sim.method_names("score") == [*sim.OURS_ALL, sim.SCORE_MEAN, sim.SCORE_MEDIAN]


def test_spammers_are_near_chance():
    ds = sim.generate("class", 0.4, [9])
    spam = _by_type(ds, sim.SPAMMER)
    hits = [a == ds.truth[q] for q, w, a in ds.answers if w in spam]
    assert 0.15 < sum(hits) / len(hits) < 0.35


def test_generated_boxes_are_valid():
    for seed in (3, 4):
        ds = sim.generate("boxes", 0.4, [seed])
        for _, _, a in ds.answers:
            assert len(a) <= 32
            for x0, y0, x1, y1, c in a:
                assert 0 <= x0 < x1 <= 1000 and 0 <= y0 < y1 <= 1000 and c >= 0


# ----- CLI wiring, with a stand-in CLI ---------------------------------------------------------

FAKE_CLI = textwrap.dedent(
    """\
    #!{python}
    # Stand-in for crowdlabel-infer: unweighted vote / mean / first answer, all weights 1.0
    # (batch) or all powers 0.5 (replay). Appends its arguments to argv.log.
    import argparse, collections, csv, os, sys
    ap = argparse.ArgumentParser()
    for a in ("--kind", "--answers", "--gold", "--out-items", "--out-workers", "--iterations",
              "--package-size"):
        ap.add_argument(a)
    ap.add_argument("--mode", default="batch", choices=["batch", "replay"])
    a = ap.parse_args()
    with open(os.path.join(os.path.dirname(a.out_items), "argv.log"), "a") as f:
        f.write(" ".join(sys.argv[1:]) + "\\n")
    rows = list(csv.DictReader(open(a.answers, newline="")))
    by_q, workers = collections.defaultdict(list), collections.Counter()
    for r in rows:
        by_q[r["question"]].append(r["answer"]); workers[r["worker"]] += 1
    with open(a.out_items, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["question", "consensus"])
        for q, v in sorted(by_q.items()):
            if a.kind == "class": c = collections.Counter(v).most_common(1)[0][0]
            elif a.kind == "stars" or a.kind.startswith("score:"): c = "%.6f" % (sum(map(int, v)) / len(v))
            else: c = v[0]
            w.writerow([q, c])
    with open(a.out_workers, "w", newline="") as f:
        w = csv.writer(f)
        if a.mode == "replay":
            w.writerow(["worker", "power", "weight", "labels"])
            for k, n in sorted(workers.items()):
                w.writerow([k, "0.500000", "1.000000", n])
        else:
            w.writerow(["worker", "weight", "error", "labels", "gold_score", "qualified"])
            for k, n in sorted(workers.items()):
                w.writerow([k, "1.000000", "0.000000", n, "0.9" if a.gold else "", "true"])
    """
)


def _fake_cli(tmp_path: Path, body: str = FAKE_CLI) -> str:
    p = tmp_path / "fake-infer"
    p.write_text(body.replace("{python}", sys.executable))
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return str(p)


@pytest.mark.parametrize("mode", ["batch", "replay"])
@pytest.mark.parametrize("task", ["class", "stars", "boxes", "score"])
def test_run_cli_round_trip(tmp_path, task, mode):
    ds = sim.generate(task, 0.4, [2])
    wd = tmp_path / "w"
    r = sim.run_cli(ds, _fake_cli(tmp_path), use_gold=True, workdir=wd, mode=mode, package_size=7)
    assert set(ds.eval_items()) <= set(r.predictions)
    assert r.seconds is not None and r.seconds >= 0
    m = sim.metrics(ds, r.predictions)
    assert all(0 <= v <= (100 if task == "score" else 5) for v in m.values())
    with open(wd / "gold.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(ds.gold)
    argv = (wd / "argv.log").read_text()
    assert "--gold" in argv
    assert f"--kind {sim.CLI_KIND[task]}" in argv
    if mode == "replay":
        assert "--mode replay --package-size 7" in argv
    else:
        assert "--mode" not in argv  # batch is the CLI's default: older CLIs still work
    d = sim.worker_diagnostics(ds, r.workers, use_gold=True)
    assert d["weight_min"] == d["weight_max"] == 1.0
    if mode == "replay":
        assert d["power_min"] == d["power_max"] == 0.5
        assert d["power_good"] == d["power_bad"] == 0.5
        assert d[f"power_{sim.SMART_COLLUDER}"] == 0.5
        assert not any(k.startswith("excluded") for k in d)
    else:
        assert d[f"excluded_{sim.LAZY}"] == 0.0
        assert not any(k.startswith("power") for k in d)


@pytest.mark.parametrize("task", sim.BOUND_TASKS)
def test_online_ceiling_type_tables_are_distributions(task):
    names, plain, gold = sim.worker_type_tables(task)
    assert plain.shape == gold.shape and len(names) == plain.shape[0]
    assert np.allclose(plain.sum(axis=2), 1.0) and np.allclose(gold.sum(axis=2), 1.0)
    assert set(names) == set(sim.WORKER_TYPES)
    # Only the gold-aware colluder answers gold items differently from ordinary ones.
    differs = {n for n, a, b in zip(names, plain, gold) if not np.allclose(a, b)}
    assert differs == {sim.SMART_COLLUDER}
    # A colluder never gives the truth.
    k = names.index(sim.COLLUDER)
    assert np.allclose(np.diagonal(plain[k]), 0.0)


@pytest.mark.parametrize("task,floor", [("class", 0.15), ("stars", 0.25)])
def test_online_ceiling_sees_through_bad_workers(task, floor):
    # With 40% bad workers, knowing the generator and the past truths is worth far more than a
    # head count (seed 7: class 0.923 vs 0.747, stars 0.828 vs 0.544).
    ds = sim.generate(task, 0.4, [7])
    ceiling = sim.metrics(ds, sim.online_ceiling(ds).predictions)["accuracy"]
    mv = sim.metrics(ds, sim.crowdkit_methods()["MajorityVote"](ds).predictions)["accuracy"]
    assert ceiling > mv + floor
    # Honest crowds: nothing to see through; the ceiling is at least the head count.
    ds = sim.generate(task, 0.0, [7])
    ceiling = sim.metrics(ds, sim.online_ceiling(ds).predictions)["accuracy"]
    mv = sim.metrics(ds, sim.crowdkit_methods()["MajorityVote"](ds).predictions)["accuracy"]
    assert ceiling >= mv
    # Every item, gold included, gets a decision in the task's answer values.
    pred = sim.online_ceiling(ds).predictions
    assert set(pred) == set(ds.items)
    assert set(pred.values()) <= ({f"c{k}" for k in range(4)} if task == "class" else set(range(1, 6)))


def test_online_ceiling_learns_only_from_finalised_packages():
    # Package size 1 (the truth of every item before the next) can only know more than the
    # chain's packages of 20; both stay far above a judge who never learns (one huge package).
    ds = sim.generate("class", 0.4, [7])
    acc = {k: sim.metrics(ds, sim.online_ceiling(ds, k).predictions)["accuracy"]
           for k in (1, 20, 10_000)}
    assert acc[1] >= acc[20] - 0.01
    assert acc[20] > acc[10_000] + 0.05


def test_replay_order_and_learning_curve():
    ds = sim.generate("class", 0.0, [2])
    order = sim.replay_order(ds)
    assert sorted(order) == sorted(ds.items) and order[0] == ds.answers[0][0]
    ev = [q for q in order if q not in set(ds.gold)]
    k = len(ev) // 3
    pred = {q: ds.truth[q] for q in ev[-k:]}  # right on the last third only
    assert sim.learning_curve(ds, pred) == {"early": 0.0, "late": 1.0}
    assert sim.metrics(ds, pred, ev[-k:]) == {"accuracy": 1.0}


def test_worker_diagnostics_per_type():
    ds = sim.generate("class", 0.4, [2])
    kinds = {t: sorted(w for w, k in ds.worker_type.items() if k == t) for t in sim.WORKER_TYPES}
    replay = [{"worker": w, "power": "0.9" if t == sim.HONEST else "0.1", "weight": "1.1",
               "labels": "10"} for t, ws in kinds.items() for w in ws]
    d = sim.worker_diagnostics(ds, replay, use_gold=True)
    assert d["power_good"] == pytest.approx(0.9) and d["power_bad"] == pytest.approx(0.1)
    assert d[f"power_{sim.LAZY}"] == pytest.approx(0.1)
    batch = [{"worker": w, "weight": "1.0", "error": "0", "labels": "10", "gold_score": "",
              "qualified": "false" if t == sim.SMART_COLLUDER else "true"}
             for t, ws in kinds.items() for w in ws]
    d = sim.worker_diagnostics(ds, batch, use_gold=True)
    assert d[f"excluded_{sim.SMART_COLLUDER}"] == 1.0 and d[f"excluded_{sim.HONEST}"] == 0.0
    assert "power_good" not in d
    assert sim.worker_diagnostics(ds, [], use_gold=False) == {}


def test_run_cli_checks_the_columns_of_the_mode(tmp_path):
    ds = sim.generate("class", 0.0, [2])
    # A CLI that ignores --mode replay and writes the batch columns.
    body = FAKE_CLI.replace('choices=["batch", "replay"]', 'choices=["batch", "replay"]); '
                            'ap.add_argument("--unused"').replace('a.mode == "replay"', "False")
    with pytest.raises(sim.MethodError, match=r"workers.csv \(replay\) has unexpected columns"):
        sim.run_cli(ds, _fake_cli(tmp_path, body), use_gold=False, workdir=tmp_path / "w",
                    mode="replay")
    with pytest.raises(ValueError):
        sim.run_cli(ds, _fake_cli(tmp_path), use_gold=False, workdir=tmp_path / "w", mode="online")


def test_run_cli_failure_is_reported(tmp_path):
    ds = sim.generate("class", 0.0, [2])
    bad = _fake_cli(tmp_path, "#!/bin/sh\necho 'boom: bad input' >&2\nexit 2\n")
    with pytest.raises(sim.MethodError, match="boom: bad input"):
        sim.run_cli(ds, bad, use_gold=False, workdir=tmp_path / "w")
    with pytest.raises(sim.MethodError, match="could not run"):
        sim.run_cli(ds, str(tmp_path / "missing"), use_gold=False, workdir=tmp_path / "w",
                    mode="replay")


# ----- targets -------------------------------------------------------------------------------


def _results(cells):
    """Results from {(task, fraction, method, metric): [per-seed values]}."""
    res = sim.Results()
    for (task, frac, method, metric), vs in cells.items():
        for rep, v in enumerate(vs):
            res.add(task, frac, method, {metric: v}, rep)
    return res


def test_targets_pass_and_fail():
    res = _results({
        ("class", 0.0, sim.REPLAY, "accuracy"): [0.90, 0.90],
        ("class", 0.0, "GLAD", "accuracy"): [0.91, 0.90],  # behind by 0.005: a pass (tie)
        ("class", 0.0, "DawidSkene+gold", "accuracy"): [0.99, 0.99],  # not a no-gold baseline
        ("class", 0.0, sim.REPLAY_GOLD, "accuracy"): [0.95, 0.96],
        ("class", 0.4, sim.REPLAY, "accuracy"): [0.80, 0.80],
        ("class", 0.4, "MajorityVote", "accuracy"): [0.82, 0.81],  # behind by 0.015: a fail
        ("class", 0.4, sim.REPLAY_GOLD, "accuracy"): [0.90, 0.90],
        ("class", 0.4, "DawidSkene+gold", "accuracy"): [0.90, 0.90],  # equal: a pass
        ("boxes", 0.0, sim.REPLAY, "set_iou"): [0.8, 0.8],
        ("boxes", 0.0, sim.BOX_MEDOID, "set_iou"): [0.8, 0.8],  # equal is not ahead: a fail
        ("boxes", 0.4, sim.REPLAY, "set_iou"): [0.8, 0.7],
        ("boxes", 0.4, sim.BOX_MEDOID, "set_iou"): [0.6, 0.75],
        ("score", 0.0, sim.REPLAY, "rmse"): [4.0, 5.0],
        ("score", 0.0, sim.SCORE_MEAN, "rmse"): [4.5, 4.9],
        ("score", 0.0, sim.SCORE_MEDIAN, "rmse"): [6.0, 6.0],
        ("score", 0.4, sim.REPLAY, "rmse"): [9.0, 9.0],
        ("score", 0.4, sim.SCORE_MEAN, "rmse"): [20.0, 20.0],
        ("score", 0.4, sim.SCORE_MEDIAN, "rmse"): [9.0, 9.0],  # equal is not below: a fail
    })
    res.real = sim.RealResult(Path("adult-content"), n_eval=333, n_gold=17,
                              acc={sim.REPLAY: 0.70, "DawidSkene": 0.75},
                              gold_acc={sim.REPLAY_GOLD: [0.8, 0.8], "DawidSkene+gold": [0.7, 0.9]})
    ts = {t.target: t for t in sim.targets(res, [0.0, 0.4])}
    get = lambda prefix: next(t for k, t in ts.items() if k.startswith(prefix))  # noqa: E731
    assert get("class, no gold, 0% bad").ok is True
    assert "GLAD" in get("class, no gold, 0% bad").measured
    assert get("class, no gold, 0% bad").seeds == "1/2"  # seed 0 is 0.01 behind
    assert get("class, no gold, 40% bad").ok is False
    assert get("class, 5% gold, 0% bad").ok is False
    assert get("class, 5% gold, 40% bad").ok is True
    assert get("stars, no gold, 0% bad").ok is None
    assert get("boxes, no gold, 0% bad").ok is False
    assert get("boxes, no gold, 40% bad").ok is True and get("boxes, no gold, 40% bad").seeds == "1/2"
    t = get("score 0-100, no gold, 0% bad")
    assert t.ok is True and t.seeds == "1/2" and "(mean)" in t.measured
    assert get("score 0-100, no gold, 40% bad").ok is False
    assert get("score 0-100, 5% gold, 0% bad").ok is None
    assert get("real adult-content, no gold").ok is False
    t = get("real adult-content, 5% gold")
    assert t.ok is True and t.seeds == "1/2 samples"
    table = sim.targets_table(list(ts.values()))
    assert "**FAIL**" in table and "**pass**" in table and "not measured" in table


# ----- the report ----------------------------------------------------------------------------


def _fake_real(tmp_path: Path) -> Path:
    """A small real-data directory made from a synthetic class crowd (names like a real one)."""
    ds = sim.generate("class", 0.2, [21])
    d = tmp_path / "tiny-real"
    d.mkdir()
    with (d / "answers.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["question", "worker", "answer"])
        for q, wk, a in ds.answers:
            w.writerow([f"http://{q}.example", wk, a])
    with (d / "truth.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["question", "truth"])
        for q in ds.items[:100]:
            w.writerow([f"http://{q}.example", ds.truth[q]])
        w.writerow(["http://unanswered.example", "c0"])
    return d


def test_report_end_to_end_with_fake_cli(tmp_path):
    out = tmp_path / "report.md"
    real = _fake_real(tmp_path)
    rc = sim.main(["--repeats", "1", "--tasks", "class", "boxes", "--fractions", "0", "0.4",
                   "--infer-bin", _fake_cli(tmp_path), "--out", str(out), "--skip", "GLAD",
                   "--real", str(real), "--real-gold-samples", "2"])
    text = out.read_text()
    assert rc == 0
    assert "| 40% |" in text and "Findings" in text and "## Targets" in text
    for name in sim.OURS_ALL:
        assert f"| {name} |" in text
    assert "gold-aware colluder" in text and "lazy" in text and "systematic" in text
    # The stand-in gives equal weights and powers: the report must say so.
    assert "worker weights equal" in text and "worker powers equal" in text
    # The real-data section: 101 truth rows, 100 answered, gold samples of 5 questions.
    assert "## Real data: tiny-real" in text
    assert "accuracy, no gold (100)" in text and "accuracy, 5% gold (95)" in text
    assert "The replay of all" in text and "### Learning in the replay" in text
    assert "### Online ceiling" in text and f"| class | {sim.ONLINE_BOUND} |" in text
    assert "| online ceiling |" in text  # the targets table's column
    assert "real tiny-real, no gold: replay ≥ DawidSkene (100 questions)" in text
    assert "--real " in text  # a non-default real dir is in the reproduce line


def test_report_without_cli(tmp_path):
    out = tmp_path / "report.md"
    rc = sim.main(["--repeats", "1", "--tasks", "stars", "--fractions", "0.1",
                   "--infer-bin", str(tmp_path / "nope"), "--out", str(out), "--skip", "GLAD",
                   "--no-real"])
    text = out.read_text()
    assert rc == 0 and "n/a" in text and "cargo build --release -p crowdlabel-tools" in text
    assert "not measured" in text and "Real data" not in text
