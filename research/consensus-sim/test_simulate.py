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
    types = collections.Counter(ds.worker_type.values())
    assert types[sim.SPAMMER] == 3 and types[sim.COLLUDER] == 3


def test_generator_is_seeded():
    a = sim.generate("boxes", 0.3, [7])
    b = sim.generate("boxes", 0.3, [7])
    c = sim.generate("boxes", 0.3, [8])
    assert a.answers == b.answers and a.truth == b.truth
    assert a.answers != c.answers


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


@pytest.mark.parametrize("task", ["class", "stars", "boxes"])
def test_colluders_share_one_wrong_answer(task):
    ds = sim.generate(task, 0.4, [5])
    colluders = {w for w, t in ds.worker_type.items() if t == sim.COLLUDER}
    assert len(colluders) == 6
    by_q = collections.defaultdict(list)
    for q, w, a in ds.answers:
        if w in colluders:
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


def test_spammers_are_near_chance():
    ds = sim.generate("class", 0.4, [9])
    spam = {w for w, t in ds.worker_type.items() if t == sim.SPAMMER}
    hits = [a == ds.truth[q] for q, w, a in ds.answers if w in spam]
    assert 0.15 < sum(hits) / len(hits) < 0.35


def test_generated_boxes_are_valid():
    ds = sim.generate("boxes", 0.4, [3])
    for _, _, a in ds.answers:
        assert len(a) <= 32
        for x0, y0, x1, y1, c in a:
            assert 0 <= x0 < x1 <= 1000 and 0 <= y0 < y1 <= 1000 and c >= 0


# ----- CLI wiring, with a stand-in CLI ---------------------------------------------------------

FAKE_CLI = textwrap.dedent(
    """\
    #!{python}
    # Stand-in for crowdlabel-infer: unweighted vote / mean / first answer, all weights 1.0.
    import argparse, collections, csv
    ap = argparse.ArgumentParser()
    for a in ("--kind", "--answers", "--gold", "--out-items", "--out-workers", "--iterations"):
        ap.add_argument(a)
    a = ap.parse_args()
    rows = list(csv.DictReader(open(a.answers, newline="")))
    by_q, workers = collections.defaultdict(list), collections.Counter()
    for r in rows:
        by_q[r["question"]].append(r["answer"]); workers[r["worker"]] += 1
    with open(a.out_items, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["question", "consensus"])
        for q, v in sorted(by_q.items()):
            if a.kind == "class": c = collections.Counter(v).most_common(1)[0][0]
            elif a.kind == "stars": c = "%.6f" % (sum(map(int, v)) / len(v))
            else: c = v[0]
            w.writerow([q, c])
    with open(a.out_workers, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["worker", "weight", "error", "labels", "gold_score", "qualified"])
        for k, n in sorted(workers.items()):
            w.writerow([k, "1.000000", "0.000000", n, "0.9" if a.gold else "", "true"])
    """
)


def _fake_cli(tmp_path: Path, body: str = FAKE_CLI) -> str:
    p = tmp_path / "fake-infer"
    p.write_text(body.replace("{python}", sys.executable))
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return str(p)


@pytest.mark.parametrize("task", ["class", "stars", "boxes"])
def test_run_cli_round_trip(tmp_path, task):
    ds = sim.generate(task, 0.0, [2])
    r = sim.run_cli(ds, _fake_cli(tmp_path), use_gold=True, workdir=tmp_path / "w")
    assert set(ds.eval_items()) <= set(r.predictions)
    m = sim.metrics(ds, r.predictions)
    assert all(0 <= v <= 5 for v in m.values())
    with open(tmp_path / "w" / "gold.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(ds.gold)
    d = sim.worker_diagnostics(ds, r.workers, use_gold=True)
    assert d["weight_min"] == d["weight_max"] == 1.0


def test_run_cli_failure_is_reported(tmp_path):
    ds = sim.generate("class", 0.0, [2])
    bad = _fake_cli(tmp_path, "#!/bin/sh\necho 'boom: bad input' >&2\nexit 2\n")
    with pytest.raises(sim.MethodError, match="boom: bad input"):
        sim.run_cli(ds, bad, use_gold=False, workdir=tmp_path / "w")
    with pytest.raises(sim.MethodError, match="could not run"):
        sim.run_cli(ds, str(tmp_path / "missing"), use_gold=False, workdir=tmp_path / "w")


def test_report_end_to_end_with_fake_cli(tmp_path):
    out = tmp_path / "report.md"
    rc = sim.main(["--repeats", "1", "--tasks", "class", "boxes", "--fractions", "0", "0.4",
                   "--infer-bin", _fake_cli(tmp_path), "--out", str(out), "--skip", "GLAD"])
    text = out.read_text()
    assert rc == 0
    assert "| 40% |" in text and "CrowdLabel+gold" in text and "Findings" in text
    # The stand-in gives equal weights: the report must say so.
    assert "worker weights equal" in text


def test_report_without_cli(tmp_path):
    out = tmp_path / "report.md"
    rc = sim.main(["--repeats", "1", "--tasks", "stars", "--fractions", "0.1",
                   "--infer-bin", str(tmp_path / "nope"), "--out", str(out), "--skip", "GLAD"])
    text = out.read_text()
    assert rc == 0 and "n/a" in text and "cargo build --release -p crowdlabel-tools" in text
