"""Predict skips the blocked pairs whose match weight cannot reach the threshold (`pipeline._block_and_prune`):
whatever it skips, the pairs a run returns, their scores and the household rule's reasons are those it returned
when every blocked pair was scored."""

from __future__ import annotations

import pytest

from apps.linkage import pipeline, synthetic

BLOCK_AND_PRUNE = pipeline._block_and_prune


def _run(path, model, monkeypatch, *, threshold, explain=False, prune=True, kept=None):
    def counting(linker, threshold):
        table = BLOCK_AND_PRUNE(linker, threshold)
        if table is not None:
            kept.append(
                linker._db_api._con.cursor().execute(f"select count(*) from {table.physical_name}").fetchone()[0]
            )
        return table

    monkeypatch.setattr(pipeline, "_block_and_prune", counting if prune else (lambda linker, threshold: None))
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"], model=model, threshold=threshold, explain=explain)
    rows = con.execute(
        f"select record_id_l, record_id_r, round(match_weight, 6), hub_household_reason from {result.predictions}"
    ).fetchall()
    con.close()
    return sorted(rows, key=repr)


@pytest.mark.parametrize(("threshold", "explain"), [(0.95, False), (0.5, True)])
def test_skipping_pairs_that_cannot_reach_the_threshold_changes_no_pair_or_score(
    trained_model, tmp_path, monkeypatch, threshold, explain
):
    path = tmp_path / "records.csv"
    # Records the model was not trained on, twins and households among them.
    synthetic.write_csv(list(synthetic.records(synthetic.people(900, seed=77), seed=78)), path)
    blocked = len(_run(path, trained_model, monkeypatch, threshold=0.0, prune=False))
    everything = _run(path, trained_model, monkeypatch, threshold=threshold, explain=explain, prune=False)
    kept: list[int] = []
    pruned = _run(path, trained_model, monkeypatch, threshold=threshold, explain=explain, kept=kept)

    assert kept and kept[0] < blocked / 2, (kept, blocked)  # most blocked pairs were never compared
    assert len(everything) > 100
    assert pruned == everything
    assert any(reason for *_, reason in everything), "the household rule held some pair back"
