"""DCAT-AP 3 export of the open catalog as JSON-LD (STANDARDS.md §11).

Owns the mapping of a published resource to a ``dcat:Dataset``: title and summary in Chinese, the
code as identifier, the providing department as a ``foaf:Agent`` identified by its USCC, the
category as a ``skos:Concept`` of the platform's own concept scheme, one ``dcat:Distribution``
(the open portal's CSV for 无条件开放 resources), the EU access-right and frequency URIs, and a
CSVW table schema of the items as ``dct:conformsTo``; the tags (then the item names) as
``dcat:keyword``, the classification path as ``dct:subject`` and related resources as ``dct:relation``.

Only published resources whose open attribute is 无条件开放 (``PUBLIC``) or 有条件开放
(``RESTRICTED``) are exported; 不予开放 resources never are. Raises nothing of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Category, OpenType, Resource, ResourceStatus, UpdateCycle
from govdata.catalog.vocab import label
from govdata.i18n import text

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "csvw": "http://www.w3.org/ns/csvw#",
}

ACCESS_RIGHTS: dict[str, str] = {
    OpenType.OPEN.value: f"{EU}access-right/PUBLIC",
    OpenType.CONDITIONAL.value: f"{EU}access-right/RESTRICTED",
}

FREQUENCIES: dict[str, str] = {
    UpdateCycle.REALTIME.value: f"{EU}frequency/UPDATE_CONT",
    UpdateCycle.DAILY.value: f"{EU}frequency/DAILY",
    UpdateCycle.WEEKLY.value: f"{EU}frequency/WEEKLY",
    UpdateCycle.MONTHLY.value: f"{EU}frequency/MONTHLY",
    UpdateCycle.QUARTERLY.value: f"{EU}frequency/QUARTERLY",
    UpdateCycle.SEMIANNUAL.value: f"{EU}frequency/ANNUAL_2",
    UpdateCycle.YEARLY.value: f"{EU}frequency/ANNUAL",
    UpdateCycle.OTHER.value: f"{EU}frequency/OTHER",
}

LANGUAGE_ZH = f"{EU}language/ZHO"
CSV_FORMAT = f"{EU}file-type/CSV"
CSV_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/text/csv"

# Catalog data types (信息项 数据类型) as XML Schema datatypes of the CSVW table schema.
DATATYPES: dict[str, str] = {
    "字符": "xsd:string",
    "数值": "xsd:decimal",
    "整数": "xsd:integer",
    "日期": "xsd:date",
    "日期时间": "xsd:dateTime",
    "布尔": "xsd:boolean",
}


def _zh_en(key: str) -> list[dict[str, str]]:
    return [
        {"@value": text(key, "zh"), "@language": "zh"},
        {"@value": text(key, "en"), "@language": "en"},
    ]


def _zh(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "zh"}


def _when(value: dt.datetime | None) -> dict[str, str] | None:
    if value is None:
        return None
    if value.tzinfo is None:  # naive datetimes from the metadata store are UTC
        value = value.replace(tzinfo=dt.UTC)
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


class _Iris:
    """The IRIs the export mints under the platform's base URL."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.catalog = f"{self.base}/api/v1/open/dcat.jsonld"
        self.scheme = f"{self.base}/catalog/themes"

    def theme(self, category: str) -> str:
        return f"{self.scheme}/{category}"

    def agent(self, department: str) -> str:
        return f"{self.base}/org/{quote(department, safe='')}"

    def dataset(self, code: str) -> str:
        return f"{self.base}/catalog/resources/{quote(code, safe='/')}"

    def download(self, code: str) -> str:
        return f"{self.base}/api/v1/open/resources/{quote(code, safe='/')}/download.csv"

    def portal(self) -> str:
        return f"{self.base}/open"


def _concept(iris: _Iris, category: str) -> dict[str, Any]:
    return {
        "@id": iris.theme(category),
        "@type": "skos:Concept",
        "skos:prefLabel": [
            {"@value": label("category", category, "zh"), "@language": "zh"},
            {"@value": label("category", category, "en"), "@language": "en"},
        ],
        "skos:inScheme": {"@id": iris.scheme},
    }


def _scheme(iris: _Iris) -> dict[str, Any]:
    return {
        "@id": iris.scheme,
        "@type": "skos:ConceptScheme",
        "dct:title": _zh_en("catalog.dcat.theme_scheme"),
        "skos:hasTopConcept": [_concept(iris, c.value) for c in Category],
    }


def _schema(iris: _Iris, res: Resource) -> dict[str, Any]:
    """The items (信息项) as a CSVW table schema: DCAT has no core property for columns."""
    columns = []
    for item in res.items:
        datatype: dict[str, Any] = {"@id": DATATYPES.get(item.data_type, "xsd:string")}
        column: dict[str, Any] = {
            "@type": "csvw:Column",
            "csvw:name": item.column,
            "csvw:title": _zh(item.name),
            "csvw:datatype": datatype,
            "csvw:required": {"@value": bool(item.required), "@type": "xsd:boolean"},
        }
        if item.length:
            column["csvw:datatype"] = {
                "@type": "csvw:Datatype",
                "csvw:base": datatype["@id"].removeprefix("xsd:"),
                "csvw:maxLength": {"@value": int(item.length), "@type": "xsd:integer"},
            }
        columns.append(column)
    return {
        "@id": f"{iris.dataset(res.code)}#schema",
        "@type": ["dct:Standard", "csvw:Schema"],
        "dct:title": _zh(f"{res.name} 信息项"),
        "csvw:column": {"@list": columns},
    }


def _distribution(iris: _Iris, res: Resource) -> dict[str, Any]:
    dist: dict[str, Any] = {
        "@id": f"{iris.dataset(res.code)}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _zh(res.name),
        "dct:rights": _zh(label("open_type", res.open_type, "zh")),
    }
    if res.open_type == OpenType.OPEN.value and res.lake_table:
        url = iris.download(res.code)
        dist.update(
            {
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {"@id": CSV_FORMAT},
                "dcat:mediaType": {"@id": CSV_MEDIA_TYPE},
            }
        )
    else:
        # 有条件开放: reached by application through the open portal; the catalogued format as a label.
        dist.update(
            {
                "dcat:accessURL": {"@id": iris.portal()},
                "dct:format": {"@type": "dct:MediaTypeOrExtent", "rdfs:label": _zh(res.format)},
            }
        )
    return dist


def _dataset(iris: _Iris, res: Resource) -> dict[str, Any]:
    dept = res.department
    access = {
        "@id": ACCESS_RIGHTS[res.open_type],
        "@type": "dct:RightsStatement",
        "rdfs:label": [
            {"@value": label("open_type", res.open_type, "zh"), "@language": "zh"},
            {"@value": label("open_type", res.open_type, "en"), "@language": "en"},
        ],
    }
    dataset: dict[str, Any] = {
        "@id": iris.dataset(res.code),
        "@type": "dcat:Dataset",
        "dct:identifier": res.code,
        "dct:title": _zh(res.name),
        "dct:description": _zh(res.summary),
        "dct:publisher": {
            "@id": iris.agent(dept.code),
            "@type": "foaf:Agent",
            "foaf:name": _zh(dept.name),
            "dct:identifier": dept.uscc,
        },
        "dcat:theme": _concept(iris, res.category),
        "dct:accessRights": access,
        "dct:accrualPeriodicity": {"@id": FREQUENCIES.get(res.update_cycle, FREQUENCIES["other"])},
        "dct:language": {"@id": LANGUAGE_ZH},
        # tags first (the provider's own keywords), then the item names
        "dcat:keyword": [_zh(tag) for tag in res.tags or []] + [_zh(item.name) for item in res.items],
        "dct:conformsTo": _schema(iris, res),
        "dcat:distribution": [_distribution(iris, res)],
    }
    if res.classification:
        dataset["dct:subject"] = {
            "@id": f"{iris.scheme}/classification/{res.classification}",
            "@type": "skos:Concept",
            "skos:notation": res.classification,
            "skos:inScheme": {"@id": iris.scheme},
        }
    related = [r.code for r in res.related]
    if related:
        dataset["dct:relation"] = [{"@id": iris.dataset(code)} for code in related]
    for prop, value in (("dct:issued", res.published_at), ("dct:modified", res.updated_at)):
        stamp = _when(value)
        if stamp is not None:
            dataset[prop] = stamp
    return dataset


def exportable(session: Session) -> list[Resource]:
    """Published resources the public may know of: 无条件开放 and 有条件开放, by code."""
    return list(
        session.execute(
            select(Resource)
            .where(
                Resource.status == ResourceStatus.PUBLISHED.value,
                Resource.open_type.in_(list(ACCESS_RIGHTS)),
            )
            .options(
                selectinload(Resource.items),
                selectinload(Resource.department),
                selectinload(Resource.related),
            )
            .order_by(Resource.code)
        ).scalars()
    )


def dcat_catalog(session: Session, base_url: str) -> dict[str, Any]:
    """The open catalog as a DCAT-AP 3 ``dcat:Catalog`` in JSON-LD (compact form, one document).

    ``base_url`` is the platform's public address (``https://data.example.gov.cn``); every IRI the
    export mints lives under it.
    """
    iris = _Iris(base_url)
    resources = exportable(session)
    modified = max((r.updated_at for r in resources if r.updated_at), default=None)
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": iris.catalog,
        "@type": "dcat:Catalog",
        "dct:title": _zh_en("catalog.dcat.title"),
        "dct:description": _zh_en("catalog.dcat.description"),
        "dct:publisher": {
            "@id": f"{iris.base}/org/platform",
            "@type": "foaf:Agent",
            "foaf:name": _zh_en("catalog.dcat.publisher"),
        },
        "dct:language": {"@id": LANGUAGE_ZH},
        "foaf:homepage": {"@id": iris.portal()},
        "dcat:themeTaxonomy": _scheme(iris),
        "dcat:dataset": [_dataset(iris, r) for r in resources],
    }
    stamp = _when(modified)
    if stamp is not None:
        doc["dct:modified"] = stamp
    return doc
