"""DCAT-AP 3 export: what is exported, the shape of every dataset, frequencies and JSON-LD form."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tests.factories import PEOPLE_ITEMS, publish_people

from govdata.catalog import ItemIn, ResourceIn, UpdateCycle, create_resource, publish_resource
from govdata.catalog.dcat import dcat_catalog
from govdata.govern.standards import check_uscc
from govdata.security.actor import Actor

EU = "http://publications.europa.eu/resource/authority/"
BASE = "https://data.example.gov.cn"
# STANDARDS.md §11, 更新周期 → dct:accrualPeriodicity
EXPECTED_FREQUENCY = {
    "实时": "UPDATE_CONT",
    "每日": "DAILY",
    "每周": "WEEKLY",
    "每月": "MONTHLY",
    "每季度": "QUARTERLY",
    "每半年": "ANNUAL_2",
    "每年": "ANNUAL",
    "其他": "OTHER",
}
REQUIRED = (
    "@id",
    "@type",
    "dct:identifier",
    "dct:title",
    "dct:description",
    "dct:publisher",
    "dcat:theme",
    "dct:accessRights",
    "dct:accrualPeriodicity",
    "dct:issued",
    "dct:modified",
    "dct:conformsTo",
    "dcat:distribution",
)


def _file(platform, code: str, dept: str, open_type: str, cycle: str = "每月", publish: bool = True) -> None:
    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=code,
                name=f"资源{code}",
                department=dept,
                summary="测试用资源摘要",
                category="主题",
                format="电子表格",
                share_type="无条件共享",
                open_type=open_type,
                update_cycle=cycle,
                items=[ItemIn(column="a", name="甲", data_type="数值", length=10, required=True)],
            ),
        )
        if publish:
            publish_resource(s, platform.audit, system, code)


def _datasets(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["dct:identifier"]: d for d in doc["dcat:dataset"]}


def _seed(platform) -> None:
    publish_people(platform)  # gaj, 不予开放
    publish_people(platform, code="330100/1010/mzj-0001", open_type="无条件开放", dept="mzj")
    _file(platform, "330100/2010/sjj-0001", "sjj", "有条件开放")
    _file(platform, "330100/2010/sjj-0002", "sjj", "无条件开放", publish=False)  # a draft


def test_only_published_open_and_conditional_resources_are_exported(platform, org):
    _seed(platform)
    with platform.unit() as s:
        doc = dcat_catalog(s, BASE + "/")
    found = _datasets(doc)
    assert set(found) == {"330100/1010/mzj-0001", "330100/2010/sjj-0001"}
    rights = {code: d["dct:accessRights"]["@id"] for code, d in found.items()}
    assert rights == {
        "330100/1010/mzj-0001": f"{EU}access-right/PUBLIC",
        "330100/2010/sjj-0001": f"{EU}access-right/RESTRICTED",
    }
    assert "NON_PUBLIC" not in json.dumps(doc)
    assert "gaj-0001" not in json.dumps(doc)


def test_every_dataset_has_the_required_properties(platform, org):
    _seed(platform)
    with platform.unit() as s:
        doc = dcat_catalog(s, BASE)
    assert doc["@type"] == "dcat:Catalog" and doc["dct:publisher"]["@type"] == "foaf:Agent"
    scheme = doc["dcat:themeTaxonomy"]
    assert scheme["@type"] == "skos:ConceptScheme"
    concepts = {c["@id"] for c in scheme["skos:hasTopConcept"]}
    assert len(concepts) == 3
    for code, ds in _datasets(doc).items():
        missing = [p for p in REQUIRED if p not in ds]
        assert not missing, f"{code} lacks {missing}"
        assert ds["@type"] == "dcat:Dataset"
        assert ds["dct:title"]["@language"] == "zh" and ds["dct:description"]["@language"] == "zh"
        publisher = ds["dct:publisher"]
        assert publisher["@type"] == "foaf:Agent" and publisher["foaf:name"]["@value"].startswith("示例市")
        assert check_uscc(publisher["dct:identifier"]).valid
        theme = ds["dcat:theme"]
        assert theme["@type"] == "skos:Concept" and theme["@id"] in concepts
        assert theme["skos:inScheme"]["@id"] == scheme["@id"]
        assert ds["dct:issued"]["@type"] == "xsd:dateTime"
        (dist,) = ds["dcat:distribution"]
        assert dist["@type"] == "dcat:Distribution" and "dcat:accessURL" in dist
        schema = ds["dct:conformsTo"]
        assert "dct:Standard" in schema["@type"]
        assert all(c["@type"] == "csvw:Column" for c in schema["csvw:column"]["@list"])
    people = _datasets(doc)["330100/1010/mzj-0001"]
    columns = [c["csvw:name"] for c in people["dct:conformsTo"]["csvw:column"]["@list"]]
    assert columns == [i.column for i in PEOPLE_ITEMS]
    assert people["dcat:theme"]["@id"] == f"{BASE}/catalog/themes/base"
    (dist,) = people["dcat:distribution"]
    assert dist["dct:format"]["@id"] == f"{EU}file-type/CSV"
    assert dist["dcat:mediaType"]["@id"].endswith("/text/csv")
    assert (
        dist["dcat:downloadURL"]["@id"] == f"{BASE}/api/v1/open/resources/330100/1010/mzj-0001/download.csv"
    )
    (restricted,) = _datasets(doc)["330100/2010/sjj-0001"]["dcat:distribution"]
    assert (
        "dcat:downloadURL" not in restricted
        and restricted["dct:format"]["rdfs:label"]["@value"] == "电子表格"
    )


@pytest.mark.parametrize("cycle", list(EXPECTED_FREQUENCY))
def test_update_cycles_map_to_eu_frequencies(platform, org, cycle):
    _file(platform, "330100/2010/sjj-0009", "sjj", "无条件开放", cycle=cycle)
    with platform.unit() as s:
        (ds,) = dcat_catalog(s, BASE)["dcat:dataset"]
    assert ds["dct:accrualPeriodicity"]["@id"] == f"{EU}frequency/{EXPECTED_FREQUENCY[cycle]}"


def test_every_update_cycle_has_a_frequency():
    from govdata.catalog.dcat import FREQUENCIES

    assert set(FREQUENCIES) == {c.value for c in UpdateCycle}


_PREFIXED = re.compile(r"^([a-z]+):[A-Za-z_][\w-]*$")


def _check_node(node: Any, prefixes: set[str], problems: list[str], path: str = "$") -> None:
    """Compact JSON-LD: every key is a keyword or a defined prefix's term, every value well-formed."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            _check_node(child, prefixes, problems, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        if not isinstance(node, str | int | float | bool):
            problems.append(f"{path}: {type(node).__name__}")
        return
    for key, value in node.items():
        where = f"{path}.{key}"
        if key.startswith("@"):
            if key not in {"@context", "@id", "@type", "@value", "@language", "@list"}:
                problems.append(f"{where}: unexpected keyword")
            continue
        m = _PREFIXED.match(key)
        if not m or m.group(1) not in prefixes:
            problems.append(f"{where}: undefined term")
        _check_node(value, prefixes, problems, where)
    if "@value" in node and not set(node) <= {"@value", "@language", "@type"}:
        problems.append(f"{path}: a value object with other keys")
    if "@language" in node and not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", node["@language"]):
        problems.append(f"{path}: bad language tag")
    types = node.get("@type", [])
    for t in [types] if isinstance(types, str) else types:
        m = _PREFIXED.match(t)
        if not m or m.group(1) not in prefixes:
            problems.append(f"{path}.@type: {t} not a defined term")
    ident = node.get("@id")
    if ident is not None and not re.match(r"^(https?://\S+|[a-z]+:\S+)$", ident):
        problems.append(f"{path}.@id: {ident} is not an IRI")


def test_endpoint_is_public_and_serves_well_formed_json_ld(client, platform, org):
    _seed(platform)
    resp = client.get("/api/v1/open/dcat.jsonld")  # anonymous
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/ld+json")
    doc = json.loads(resp.content.decode("utf-8"))
    context = doc["@context"]
    assert all(v.startswith("http") for v in context.values())
    assert context["dcat"] == "http://www.w3.org/ns/dcat#" and context["dct"] == "http://purl.org/dc/terms/"
    problems: list[str] = []
    _check_node({k: v for k, v in doc.items() if k != "@context"}, set(context), problems)
    assert not problems, problems
    assert doc["@id"] == "http://testserver/api/v1/open/dcat.jsonld"
    (open_ds,) = [d for d in doc["dcat:dataset"] if d["dct:identifier"] == "330100/1010/mzj-0001"]
    download = open_ds["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
    csv = client.get(download.removeprefix("http://testserver"))
    assert csv.status_code == 200 and "公民身份号码" in csv.content.decode("utf-8-sig")
