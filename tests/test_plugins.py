"""The plugin manager: every hook is called here, outside plugins work like built-ins, no leaks.

An outside plugin (``OutsidePlugin``) adds a connector, a quality rule and a masker; while it is
registered (the ``outside_plugin`` fixture, built on ``govdata.plugins.temporary_plugin``) they are
used through the ordinary lookups, and afterwards they are gone. The meta-tests require a
``test_hook_<name>`` test and a docs/plugins.md section for every hook in ``govdata.hookspecs``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from govdata import hookspecs
from govdata.errors import Conflict, InvalidInput
from govdata.govern.quality import RULES, RuleBinding, check_table, get_rule, register_rule
from govdata.govern.quality.rules import BUILTIN_RULES, Dimension, ValueRule
from govdata.govern.quality.sql import ColumnRef, SqlContext, as_text
from govdata.hookspecs import hookimpl
from govdata.ingest import CONNECTORS, Connector, ConnectorConfig, get_connector, load_to_lake
from govdata.ingest.connectors.base import ReadRequest, string_schema
from govdata.lake import Lake, TableRef
from govdata.plugins import DEFAULT_PLUGINS, get_plugin_manager, hook_names, temporary_plugin
from govdata.security.masking import BUILTIN_MASKERS, MASKERS, Masker, get_masker, mask_table

ROOT = Path(__file__).resolve().parents[1]


# --- an outside plugin, written the way a separate package would write it ---------------------------


class PipeConfig(ConnectorConfig):
    path: str


class PipeConnector(Connector):
    """Pipe-separated text files, every column as text."""

    name = "test_pipe"
    label = "ingest.connector.csv"
    Config = PipeConfig

    def schema(self, config: Any) -> pa.Schema:
        with open(config.path, encoding="utf-8") as handle:
            return string_schema(handle.readline().rstrip("\n").split("|"))

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        schema = self.schema(config)
        table = pacsv.read_csv(
            config.path,
            parse_options=pacsv.ParseOptions(delimiter="|"),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(zip(schema.names, schema.types, strict=True))
            ),
        )
        yield from table.to_batches()


class EvenRule(ValueRule):
    """The value must be an even integer."""

    name = "test_even"
    dimension = Dimension.VALIDITY
    label = "quality.rule.pattern"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        number = ctx.derive(f"TRY_CAST(trim({as_text(column.raw)}) AS BIGINT)")
        return [(f"{number} IS NULL", "not_integer"), (f"{number} % 2 <> 0", "odd")]


class LastTwoMasker(Masker):
    """Keep the last two characters, one star for each other one."""

    name = "test_last2"
    label = "masker.full"

    def mask(self, array: pa.Array | pa.ChunkedArray, level: str | None = None) -> Any:
        values = pc.cast(array, pa.string())
        hidden = pc.max_element_wise(pc.subtract(pc.utf8_length(values), 2), 0)
        return pc.binary_join_element_wise(
            pc.binary_repeat("*", hidden), pc.utf8_slice_codeunits(values, -2), ""
        )


class OutsidePlugin:
    @hookimpl
    def register_connectors(self) -> list[type[Connector]]:
        return [PipeConnector]

    @hookimpl
    def register_quality_rules(self) -> list[type[Any]]:
        return [EvenRule]

    @hookimpl
    def register_maskers(self) -> list[Masker | type[Masker]]:
        return [LastTwoMasker()]


@pytest.fixture
def outside_plugin() -> Iterator[OutsidePlugin]:
    """The outside plugin, registered on the platform's manager for one test only."""
    plugin = OutsidePlugin()
    with temporary_plugin(plugin):
        yield plugin


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(str(tmp_path / "lake"))


def _flatten(results: list[list[Any]]) -> list[Any]:
    return [item for result in results for item in result]


# --- one test per hook (the meta-test below looks for ``def test_hook_<name>``) ---------------------


def test_hook_register_connectors(outside_plugin: OutsidePlugin, lake: Lake, tmp_path: Path) -> None:
    returned = _flatten(get_plugin_manager().hook.register_connectors())
    assert PipeConnector in returned
    assert {"sql", "csv", "excel", "json"} <= {cls.name for cls in returned}

    source = tmp_path / "codes.psv"
    source.write_text("code|名称\n110000|北京市\n310000|上海市\n", encoding="utf-8")
    assert isinstance(get_connector("test_pipe"), PipeConnector)
    result = load_to_lake(lake, "gaj", "codes", "test_pipe", {"path": str(source)})
    assert result.rows_written == 2
    with lake.connect(t=TableRef("raw", "gaj", "codes")) as con:
        rows = con.execute('SELECT code, "名称", _source_row FROM t ORDER BY _source_row').fetchall()
    assert rows == [("110000", "北京市", 1), ("310000", "上海市", 2)]


def test_hook_register_quality_rules(outside_plugin: OutsidePlugin, lake: Lake) -> None:
    returned = _flatten(get_plugin_manager().hook.register_quality_rules())
    assert EvenRule in returned and set(BUILTIN_RULES) <= set(returned)

    ref = TableRef("raw", "gaj", "numbers")
    lake.write(ref, pa.table({"id": ["1", "2", "3", "4"], "n": ["2", "3", "x", None]}))
    report = check_table(lake, ref, [RuleBinding("test_even", ("n",))], ["id"])
    even = report.result("test_even")
    assert (even.checked_rows, even.failed_rows) == (3, 2)
    assert even.reasons == {"odd": 1, "not_integer": 1}
    assert get_rule("test_even") is EvenRule


def test_hook_register_maskers(outside_plugin: OutsidePlugin) -> None:
    returned = _flatten(get_plugin_manager().hook.register_maskers())
    assert any(isinstance(m, LastTwoMasker) for m in returned)
    assert set(BUILTIN_MASKERS) <= {m if isinstance(m, type) else type(m) for m in returned}

    table = pa.table({"code": ["12345", "7", None], "other": ["a", "b", "c"]})
    masked = mask_table(table, {"code": "test_last2"})
    assert masked.column("code").to_pylist() == ["***45", "7", None]
    assert masked.column("other").to_pylist() == ["a", "b", "c"]
    assert isinstance(get_masker("test_last2"), LastTwoMasker)


# --- meta-tests ----------------------------------------------------------------------------------


def test_every_hook_has_a_test() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))
    names = hook_names()
    assert names == ["register_connectors", "register_maskers", "register_quality_rules"]
    untested = [name for name in names if f"def test_hook_{name}(" not in sources]
    assert not untested, f"hooks without a test_hook_<name> test: {untested}"


def test_every_hook_is_documented() -> None:
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    undocumented = [name for name in hook_names() if f"### `{name}()`" not in doc]
    assert not undocumented, f"hooks missing from docs/plugins.md: {undocumented}"


def test_doc_examples_are_working_plugins(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    examples = [b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "@hookimpl" in b]
    assert len(examples) == len(hook_names())
    source = tmp_path / "example.psv"
    source.write_text("a|b\n1|2\n", encoding="utf-8")
    for i, code in enumerate(examples):
        module = types.ModuleType(f"govdata_doc_example_{i}")
        exec(compile(code, f"docs/plugins.md example {i}", "exec"), module.__dict__)  # noqa: S102
        with temporary_plugin(module):
            if "pipe" in CONNECTORS:
                batches = list(get_connector("pipe").read(module.PipeConfig(path=str(source))))
                assert pa.Table.from_batches(batches).to_pydict() == {"a": ["1"], "b": ["2"]}
            if "last_two" in MASKERS:
                masked = mask_table(pa.table({"code": ["12345"]}), {"code": "last_two"})
                assert masked.column("code").to_pylist() == ["***45"]
            if "even" in RULES:
                assert get_rule("even").name == "even"
        assert not {"pipe", "last_two", "even"} & (set(CONNECTORS) | set(MASKERS) | set(RULES))


# --- built-ins, lifetime, errors -----------------------------------------------------------------


def test_builtins_register_through_the_hooks() -> None:
    pm = get_plugin_manager()
    assert pm is get_plugin_manager()  # cached
    for module in DEFAULT_PLUGINS:
        assert pm.has_plugin(module)
    for hook, registry in (
        ("register_connectors", CONNECTORS),
        ("register_quality_rules", RULES),
        ("register_maskers", MASKERS),
    ):
        callers = {pm.get_name(impl.plugin) for impl in getattr(pm.hook, hook).get_hookimpls()}
        assert callers & set(DEFAULT_PLUGINS), hook
        assert len(registry) > 0
    assert {"sql", "csv", "excel", "json"} <= set(CONNECTORS)
    assert {cls.name for cls in BUILTIN_RULES} <= set(RULES)
    assert {cls.name for cls in BUILTIN_MASKERS} <= set(MASKERS)


def test_temporary_plugin_leaves_nothing_behind() -> None:
    with temporary_plugin(OutsidePlugin()):
        assert "test_pipe" in CONNECTORS and "test_even" in RULES and "test_last2" in MASKERS
    assert "test_pipe" not in CONNECTORS and "test_even" not in RULES and "test_last2" not in MASKERS
    assert not any(isinstance(p, OutsidePlugin) for p in get_plugin_manager().get_plugins())


@pytest.mark.parametrize(
    ("lookup", "code", "known"),
    [
        (get_connector, "ingest.unknown_connector", "csv"),
        (get_rule, "govern.quality.unknown_rule", "not_null"),
        (get_masker, "masking.unknown_masker", "id_number"),
    ],
)
def test_unknown_name_lists_the_known_names(lookup: Any, code: str, known: str) -> None:
    with pytest.raises(InvalidInput) as info:
        lookup("no_such_thing")
    assert info.value.code == code
    assert known in info.value.params["known"]
    assert "no_such_thing" in info.value.message("en")


def test_a_name_clash_between_plugins_is_refused() -> None:
    class FakeCsv(PipeConnector):
        name = "csv"

    class Clashing:
        @hookimpl
        def register_connectors(self) -> list[type[Connector]]:
            return [FakeCsv]

    with temporary_plugin(Clashing()):
        with pytest.raises(Conflict) as info:
            get_connector("csv")
        assert info.value.code == "ingest.connector_name_taken"
    assert get_connector("csv").name == "csv"


def test_a_plugin_object_without_a_name_is_refused() -> None:
    class Nameless(Masker):
        pass

    class Plugin:
        @hookimpl
        def register_maskers(self) -> list[Masker | type[Masker]]:
            return [Nameless]

    with temporary_plugin(Plugin()):
        with pytest.raises(InvalidInput) as info:
            get_masker("full")
        assert info.value.code == "plugins.no_name"
        assert "Nameless" in info.value.params["plugin"]


def test_direct_registration_still_works() -> None:
    class OddRule(EvenRule):
        name = "test_odd"

    assert register_rule(OddRule) is OddRule
    try:
        assert get_rule("test_odd") is OddRule
        register_rule(OddRule)  # the same class again is harmless
        with pytest.raises(Conflict):
            register_rule(type("Other", (EvenRule,), {"name": "test_odd"}))
    finally:
        del RULES["test_odd"]
    assert "test_odd" not in RULES


def test_connector_hooks_module_reexports_the_one_marker() -> None:
    from govdata.ingest import hooks

    assert hooks.hookimpl is hookspecs.hookimpl and hooks.hookspec is hookspecs.hookspec
    assert hooks.register_connectors is hookspecs.register_connectors


def test_installed_entry_point_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = f"govdata_test_plugin_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(
        "import pyarrow.compute as pc\n"
        "from govdata.hookspecs import hookimpl\n"
        "from govdata.security.masking import Masker\n\n"
        "class UpperMasker(Masker):\n"
        "    name = 'test_upper'\n\n"
        "    def mask(self, array, level=None):\n"
        "        return pc.utf8_upper(array)\n\n"
        "@hookimpl\n"
        "def register_maskers():\n"
        "    return [UpperMasker]\n",
        encoding="utf-8",
    )
    dist = tmp_path / f"{module}-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[govdata]\n{module} = {module}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    get_plugin_manager.cache_clear()
    try:
        assert get_plugin_manager().has_plugin(module)
        masked = mask_table(pa.table({"v": ["abc"]}), {"v": "test_upper"})
        assert masked.column("v").to_pylist() == ["ABC"]
    finally:
        get_plugin_manager.cache_clear()
        sys.modules.pop(module, None)
        monkeypatch.undo()
    assert "test_upper" not in MASKERS


def test_importing_loads_no_plugins() -> None:
    code = (
        "import sys, govdata.plugins, govdata.ingest, govdata.govern.quality, govdata.security.masking\n"
        "assert govdata.plugins.get_plugin_manager.cache_info().currsize == 0\n"
        "assert not any(m in sys.modules for m in govdata.plugins.DEFAULT_PLUGINS)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
