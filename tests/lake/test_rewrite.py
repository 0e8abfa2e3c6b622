"""The key-scan upsert (``lake.rewrite``) gives exactly what deltalake's MERGE gives, rewriting only the
files that hold a source key, in one commit; where MERGE costs no more, MERGE runs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdata.lake.rewrite as rewrite
import govdata.lake.store as store
from govdata.lake import Lake, TableRef

REF = TableRef("raw", "rw", "people")
SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64()),
        pa.field("area", pa.string()),
        pa.field("name", pa.string()),
        pa.field("born", pa.date32()),
        pa.field("seen", pa.timestamp("us")),
    ]
)
DAY = dt.date(1990, 1, 1)


def _people(ids: list[int | None], tag: str = "") -> pa.Table:
    return pa.table(
        {
            "id": ids,
            "area": [None if i is None else f"a{(i or 0) % 3}" for i in ids],
            "name": [f"名{i}{tag}" for i in ids],
            "born": [None if (i or 0) % 7 == 0 else DAY + dt.timedelta(days=i or 0) for i in ids],
            "seen": [dt.datetime(2024, 1, 1) + dt.timedelta(seconds=i or 0) for i in ids],
        },
        schema=SCHEMA,
    )


def _rows(lake: Lake, ref: TableRef = REF) -> list[tuple[object, ...]]:
    with lake.connect(t=ref) as con:
        return con.execute(
            "SELECT id, area, name, born, seen FROM t ORDER BY id NULLS FIRST, name"
        ).fetchall()


def _files(lake: Lake) -> set[str]:
    return {Path(f).name for f in lake._table(REF).file_uris()}


@pytest.fixture
def always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the key-scan path for any table and source (the cost rule is tested on its own below)."""
    monkeypatch.setattr(rewrite, "SCAN_ROWS", 0)
    monkeypatch.setattr(rewrite, "TOUCHED_SHARE", 1.0)
    monkeypatch.setattr(rewrite, "SMALL_SHARE", 0.0)  # no file counts as small: only touched ones copied


def _seed(lake: Lake, parts: int = 4, per: int = 50) -> None:
    """A table of ``parts`` files (one append each) holding keys ``0 … parts*per - 1``."""
    for part in range(parts):
        lake.write(
            REF,
            _people(list(range(part * per, (part + 1) * per))),
            mode="overwrite" if not part else "append",
        )


@pytest.mark.usefixtures("always")
def test_only_the_files_holding_a_source_key_are_rewritten(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    _seed(lake)
    before = _files(lake)
    version = lake.version(REF)
    result = lake.merge(REF, _people([60, 75, 900], "改"), ["id"])  # two keys of the second file, one new
    assert (result.inserted, result.updated, result.version) == (1, 2, version + 1)
    after = _files(lake)
    assert len(before - after) == 1  # the second file only
    assert len(after - before) == 1  # its kept rows and the source rows, in one new file
    rows = {r[0]: r[2] for r in _rows(lake)}
    assert (rows[60], rows[75], rows[900], rows[61]) == ("名60改", "名75改", "名900改", "名61")
    assert lake.count(REF) == 201
    assert lake.stats(REF).records == 201  # the new file's statistics count its rows
    with lake.connect() as con:  # the version before stays readable (time travel)
        lake.register(con, "old", REF, version)
        assert con.execute("SELECT name FROM old WHERE id = 60").fetchone() == ("名60",)
    history = lake.history(REF)[0]
    assert history["operation"] == "WRITE" and history["version"] == version + 1
    assert (history["govdata.operation"], history["govdata.updated"], history["govdata.inserted"]) == (
        "upsert",
        2,
        1,
    )


def test_rows_past_the_end_take_the_key_scan_too(tmp_path: Path) -> None:
    """An increment of new keys only (no file's key range overlaps it) is written by the key scan
    with the lake's own settings, not handed to MERGE; an empty source writes nothing."""
    lake = Lake(str(tmp_path))
    _seed(lake)
    version = lake.version(REF)
    result = lake.merge(REF, _people([500, 501]), ["id"])
    assert (result.inserted, result.updated, result.version) == (2, 0, version + 1)
    assert lake.history(REF)[0]["govdata.operation"] == "upsert"
    assert lake.count(REF) == 202
    assert rewrite.upsert(lake._table(REF), lake.uri(REF), _people([]), ["id"]) is None
    assert lake.version(REF) == version + 1


def test_increments_mark_large_files_and_fold_small_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the lake's own rules (files modelled as large: none copied for being small), increments
    of new keys past the end plus updates of the newest rows take the key scan, not MERGE: replaced
    rows are marked, each increment adds one small file, and the small files are folded into one as
    soon as there would be more than ``SMALL_FILES`` of them."""
    monkeypatch.setattr(rewrite, "COPY_ROWS", 0)
    lake = Lake(str(tmp_path))
    _seed(lake, parts=4, per=2_000)
    adds = pa.table(lake._table(REF).get_add_actions(flatten=True))
    per_row = pc.sum(adds.column("size_bytes")).as_py() / 8_000
    # files of ~2,000 rows: the lake sets its target file size on a table before its first upsert
    monkeypatch.setattr(store, "TABLE_CONFIGURATION", {"delta.targetFileSize": str(int(2_000 * per_row))})
    smalls = []
    for run in range(8):
        start = 8_000 + 100 * run
        change = _people([*range(start - 20, start), *range(start, start + 100)], f"第{run}次")
        result = lake.merge(REF, change, ["id"])
        assert (result.inserted, result.updated) == (100, 20)
        assert lake.history(REF)[0]["govdata.operation"] == "upsert"
        counts = pa.table(lake._table(REF).get_add_actions(flatten=True)).column("num_records").to_pylist()
        smalls.append(sum(1 for n in counts if n < 1_000))  # under half the rows a file holds
    assert smalls == [1, 2, 3, 4, 1, 2, 3, 4]
    rows = {r[0]: r[2] for r in _rows(lake)}
    assert lake.count(REF) == 8_800 and rows[7_999] == "名7999第0次" and rows[8_799] == "名8799第7次"
    assert rows[7_000] == "名7000" and rows[8_099] == "名8099第1次"


@pytest.mark.usefixtures("always")
def test_later_merges_trust_the_new_files_statistics(tmp_path: Path) -> None:
    """The bounds written for the new file are the ones deltalake's MERGE prunes by: a MERGE after the
    rewrite finds rows in that file, and a range outside it skips it."""
    lake = Lake(str(tmp_path))
    _seed(lake)
    lake.merge(REF, _people([10, 120], "一"), ["id"])
    add = pa.table(lake._table(REF).get_add_actions(flatten=True)).to_pydict()
    newest = max(range(len(add["path"])), key=lambda i: add["modification_time"][i])
    assert (add["min.id"][newest], add["max.id"][newest]) == (0, 149)
    assert add["null_count.born"][newest] == sum(1 for i in [*range(50), *range(100, 150)] if i % 7 == 0)
    rewrite.SCAN_ROWS = 10**9  # now through deltalake's MERGE (the fixture restores the value)
    lake.merge(REF, _people([10, 120, 199], "二"), ["id"])
    names = {r[0]: r[2] for r in _rows(lake)}
    assert (names[10], names[120], names[199], names[11]) == ("名10二", "名120二", "名199二", "名11")
    assert lake.count(REF) == 200


def test_merge_runs_where_it_costs_no_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lake = Lake(str(tmp_path))
    _seed(lake)
    monkeypatch.setattr(rewrite, "SCAN_ROWS", 1_000)
    assert (
        rewrite.upsert(lake._table(REF), lake.uri(REF), _people([5, 55, 105, 155]), ["id"]) is None
    )  # 200 rows
    assert lake.version(REF) == 3  # nothing written
    assert lake.merge(REF, _people([5]), ["id"]).updated == 1
    assert lake.history(REF)[0]["operation"] == "MERGE"


@pytest.mark.usefixtures("always")
def test_the_path_is_not_taken_where_it_would_not_be_a_merge(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    _seed(lake)
    table = lake._table(REF)
    wider = _people([1]).append_column("extra", pa.array(["x"]))
    assert not rewrite.applicable(table, wider.schema)  # schema evolution: MERGE adds the column
    written = lake.merge(REF, wider, ["id"], evolve=True)
    assert written.updated == 1 and "extra" in lake.schema(REF).names
    nested = pa.schema([*SCHEMA, pa.field("tags", pa.list_(pa.string()))])
    assert not rewrite.applicable(table, nested)
    assert rewrite.applicable(
        lake._table(REF).__class__(lake.uri(REF)), SCHEMA.append(pa.field("extra", pa.string()))
    )
    table = lake._table(REF)
    table.alter.add_constraint({"id_positive": "id >= 0"})
    assert not rewrite.applicable(lake._table(REF), SCHEMA.append(pa.field("extra", pa.string())))


@pytest.mark.usefixtures("always")
def test_delete_detection_still_goes_through_merge(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    _seed(lake)
    result = lake.merge(REF, _people(list(range(0, 100))), ["id"], delete_missing=True)
    assert result.deleted == 100 and lake.count(REF) == 100


keys_ = st.lists(st.one_of(st.none(), st.integers(0, 260)), max_size=60)


@pytest.mark.usefixtures("always")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changed=keys_, two_keys=st.booleans())
def test_the_result_is_what_merge_gives(
    tmp_path_factory: pytest.TempPathFactory, changed: list[int | None], two_keys: bool
) -> None:
    """Any source — updates, inserts, NULL keys, repeated keys — against the same table: the rewrite and
    deltalake's MERGE leave the same rows and report the same counts."""
    base = tmp_path_factory.mktemp("eq")
    ours, theirs = Lake(str(base / "ours")), Lake(str(base / "theirs"))
    _seed(ours)
    shutil.copytree(ours.uri(REF), theirs.uri(REF))
    source = _people(changed, "改")
    keys = ["id", "area"] if two_keys else ["id"]
    got = ours.merge(REF, source, keys)
    rewrite.SCAN_ROWS = 10**9
    try:
        want = theirs.merge(REF, source, keys)
    finally:
        rewrite.SCAN_ROWS = 0
    assert _rows(ours) == _rows(theirs)
    assert (got.inserted, got.updated) == (want.inserted, want.updated)
    if any(k is not None and (two_keys or k < 200) for k in changed):  # else no file to scan: MERGE
        assert ours.history(REF)[0]["operation"] == "WRITE"  # the rewrite ran, not a MERGE
        assert theirs.history(REF)[0]["operation"] == "MERGE"


@pytest.fixture
def marking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mark replaced rows in deletion vectors wherever a file is touched, and never compact."""
    monkeypatch.setattr(rewrite, "SCAN_ROWS", 0)
    monkeypatch.setattr(rewrite, "TOUCHED_SHARE", 0.0)
    monkeypatch.setattr(rewrite, "SMALL_SHARE", 0.0)
    monkeypatch.setattr(rewrite, "COPY_ROWS", 0)
    monkeypatch.setattr(rewrite, "COMPACT_SHARE", 1.0)


@pytest.mark.usefixtures("marking")
def test_random_changes_are_marked_in_deletion_vectors_not_copied(tmp_path: Path) -> None:
    from govdata.lake import vectors

    lake = Lake(str(tmp_path))
    _seed(lake)
    before, version = _files(lake), lake.version(REF)
    result = lake.merge(REF, _people([5, 55, 105, 155, 900], "改"), ["id"])  # a key in every file
    assert (result.inserted, result.updated) == (1, 4)
    table = lake._table(REF)
    assert vectors.enabled(table)
    assert before < _files(lake)  # every old file kept, one new file of the five source rows
    assert {len(rows) for rows in vectors.deleted(table).values()} == {1} and len(vectors.deleted(table)) == 4
    names = {r[0]: r[2] for r in _rows(lake)}
    assert len(names) == 201 and (names[5], names[155], names[900], names[6]) == (
        "名5改",
        "名155改",
        "名900改",
        "名6",
    )
    assert lake.count(REF) == lake.stats(REF).records == 201
    assert lake.dataset(REF).count_rows() == 201  # pyarrow's reader refuses vectors: read through DuckDB
    from govdata.govern.profiling.metadata import file_stats

    assert file_stats(lake, REF)[1] == 201  # the technical metadata's row count leaves marked rows out
    with lake.connect() as con:  # the version before (no vectors yet) stays readable
        lake.register(con, "old", REF, version)
        assert con.execute("SELECT count(*), max(name) FILTER (WHERE id = 5) FROM old").fetchone() == (
            200,
            "名5",
        )


@pytest.mark.usefixtures("marking")
def test_a_file_marked_again_keeps_its_earlier_marks(tmp_path: Path) -> None:
    """The second upsert replaces a vectored file's add and vector: its remove must name the old vector
    (the log keys files by path and vector), or the file would be counted twice."""
    lake = Lake(str(tmp_path))
    _seed(lake)
    lake.merge(REF, _people([5, 55], "一"), ["id"])
    lake._table(REF).create_checkpoint()  # the old descriptors now come from a checkpoint
    lake.merge(REF, _people([6, 5, 120], "二"), ["id"])
    lake.merge(REF, _people([7], "三"), ["id"])
    names = {r[0]: r[2] for r in _rows(lake)}
    assert len(_rows(lake)) == 200 == lake.count(REF)
    assert (names[5], names[6], names[7], names[55], names[120], names[8]) == (
        "名5二",
        "名6二",
        "名7三",
        "名55一",
        "名120二",
        "名8",
    )
    rewrite.SCAN_ROWS = 10**9  # deltalake's own MERGE, with delete detection, honours the vectors
    gone = lake.merge(REF, _people(list(range(0, 150)), "四"), ["id"], delete_missing=True)
    assert gone.deleted == 50 and lake.count(REF) == 150
    assert {r[2] for r in _rows(lake)} == {f"名{i}四" for i in range(150)}


def test_a_file_mostly_marked_is_copied_and_its_vector_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govdata.lake import vectors

    monkeypatch.setattr(rewrite, "SCAN_ROWS", 0)
    monkeypatch.setattr(rewrite, "TOUCHED_SHARE", 0.0)
    monkeypatch.setattr(rewrite, "SMALL_SHARE", 0.0)
    monkeypatch.setattr(rewrite, "COPY_ROWS", 0)
    monkeypatch.setattr(rewrite, "COMPACT_SHARE", 0.09)  # more than 4.5 of a 50-row file
    lake = Lake(str(tmp_path))
    _seed(lake)
    lake.merge(REF, _people([1, 2, 3, 51]), ["id"])  # 3 marks in file 0, 1 in file 1
    lake.merge(REF, _people([4, 10, 52]), ["id"])  # file 0 would hold 5 marks: copied
    gone = {Path(p).name: len(r) for p, r in vectors.deleted(lake._table(REF)).items()}
    assert sorted(gone.values()) == [2]  # file 1 marked twice; file 0 (5 marks) copied without them
    assert lake.count(REF) == 200
    assert len(_rows(lake)) == 200


@pytest.mark.usefixtures("marking")
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=keys_, second=keys_, two_keys=st.booleans())
def test_marked_upserts_give_what_merge_gives(
    tmp_path_factory: pytest.TempPathFactory,
    first: list[int | None],
    second: list[int | None],
    two_keys: bool,
) -> None:
    base = tmp_path_factory.mktemp("dv")
    ours, theirs = Lake(str(base / "ours")), Lake(str(base / "theirs"))
    _seed(ours)
    shutil.copytree(ours.uri(REF), theirs.uri(REF))
    keys = ["id", "area"] if two_keys else ["id"]
    for round_, changed in enumerate((first, second)):
        got = ours.merge(REF, _people(changed, f"改{round_}"), keys)
        saved = rewrite.SCAN_ROWS
        rewrite.SCAN_ROWS = 10**9
        try:
            want = theirs.merge(REF, _people(changed, f"改{round_}"), keys)
        finally:
            rewrite.SCAN_ROWS = saved
        assert _rows(ours) == _rows(theirs)
        assert (got.inserted, got.updated) == (want.inserted, want.updated)
        assert ours.count(REF) == theirs.count(REF)


def test_a_commit_never_overwrites_another_writers_version(tmp_path: Path) -> None:
    """The hand-written commit is put-if-absent: a version another writer took first is refused, the
    log stays as it was and no temporary file is left."""
    from govdata.lake import vectors

    lake = Lake(str(tmp_path))
    _seed(lake, parts=1)
    log = Path(lake.uri(REF)) / "_delta_log"
    before = sorted(p.name for p in log.iterdir())
    taken = (log / "00000000000000000000.json").read_bytes()
    with pytest.raises(RuntimeError, match="committed version 0"):
        vectors.commit(lake.uri(REF), 0, [{"commitInfo": {"timestamp": 0}}])
    assert sorted(p.name for p in log.iterdir()) == before
    assert (log / "00000000000000000000.json").read_bytes() == taken
    assert lake.count(REF) == 50


@pytest.mark.usefixtures("marking")
def test_a_marked_upsert_that_fails_before_its_commit_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Vectors and data files are written before the one commit; if the process dies before it, the
    table reads as before (the written files are unreferenced)."""
    from govdata.lake import vectors

    lake = Lake(str(tmp_path))
    _seed(lake)
    lake.merge(REF, _people([5, 55, 105, 155], "一"), ["id"])  # the table has vectors now
    before, version = _rows(lake), lake.version(REF)

    def crash(*_: object) -> None:
        raise KeyboardInterrupt  # what a kill looks like from here: nothing after this line runs

    monkeypatch.setattr(vectors, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        lake.merge(REF, _people([6, 56, 106, 156, 999], "二"), ["id"])
    assert lake.version(REF) == version
    assert _rows(Lake(str(tmp_path))) == before


@pytest.mark.usefixtures("marking")
def test_vectors_read_from_the_log_are_deltalakes(tmp_path: Path) -> None:
    """The lake reads a local table's vectors from their files by the log's descriptors (each vector
    once per process); what it reads is what deltalake's ``deletion_vectors()`` expands — also past a
    checkpoint and once a vector was replaced — and the row count is the vectors' cardinalities."""
    from govdata.lake import vectors

    lake = Lake(str(tmp_path))
    _seed(lake, parts=3, per=100)
    lake.merge(REF, _people([1, 2, 150, 299], "一"), ["id"])
    lake._table(REF).create_checkpoint()
    lake.merge(REF, _people([3, 151, 152], "二"), ["id"])
    table = lake._table(REF)
    ours = {p: sorted(r.to_pylist()) for p, r in vectors.deleted(table).items()}
    theirs = {p: sorted(r.to_pylist()) for p, r in vectors._deleted_by_deltalake(table).items()}
    assert ours == theirs and len(ours) == 3 and sum(map(len, ours.values())) == 7
    assert vectors.deleted_rows(table) == 7 and lake.count(REF) == lake.stats(REF).records == 300
    assert vectors._read_vector.cache_info().hits + vectors._read_vector.cache_info().misses > 0


def test_z85_round_trips() -> None:
    import uuid

    from govdata.lake import vectors

    raw = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0").bytes
    assert vectors.z85_decode(vectors.z85(raw)) == raw
    assert (
        vectors.z85(bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])) == "HelloWorld"
    )  # ZeroMQ RFC 32


@pytest.mark.usefixtures("marking")
def test_an_upserts_files_keep_the_tables_dictionary_choice(tmp_path: Path) -> None:
    """The rows an upsert writes get dictionaries on the columns the table's own files have them on
    (chosen from a sample at the load): a few codes, yes; a column of distinct names, no — even when
    the upsert writes too few rows to judge by itself."""
    import pyarrow.parquet as pq

    lake = Lake(str(tmp_path))
    lake.write(REF, _people(list(range(6000))), mode="overwrite")
    before = _files(lake)
    lake.merge(REF, _people([5, 7000], "改"), ["id"])
    (new,) = _files(lake) - before
    group = pq.read_metadata(tmp_path / "raw" / "rw" / "people" / new).row_group(0)
    encoded = {
        group.column(i).path_in_schema
        for i in range(group.num_columns)
        if any("DICTIONARY" in e for e in group.column(i).encodings)
    }
    assert "area" in encoded and "name" not in encoded


@pytest.mark.usefixtures("marking")
def test_marked_upserts_keep_the_log_checkpointed(tmp_path: Path) -> None:
    """A marked upsert writes its commit itself, past deltalake's post-commit hook: it checkpoints
    the table at every ``delta.checkpointInterval``-th version as deltalake would, so opening the
    table never replays more than an interval of commits."""
    import json

    lake = Lake(str(tmp_path))
    _seed(lake, parts=3, per=50)
    lake._table(REF).alter.set_table_properties({"delta.checkpointInterval": "3"})
    for round_ in range(7):
        lake.merge(REF, _people([round_, 50 + round_, 100 + round_], f"改{round_}"), ["id"])
        version = lake.version(REF)
        log = tmp_path / "raw" / "rw" / "people" / "_delta_log"
        last = json.loads((log / "_last_checkpoint").read_text())["version"]
        assert version - last < 3, (version, last)
    assert lake.count(REF) == 150
    assert {r[2] for r in _rows(lake) if r[0] in (6, 56, 106)} == {"名6改6", "名56改6", "名106改6"}
