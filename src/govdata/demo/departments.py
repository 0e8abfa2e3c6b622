"""The departments of 示例市 that take part in the demo, with valid unified social credit codes.

Government bodies (机关) carry USCCs of the form ``11`` + region + 9-char organization code (its own
GB 11714 check char last) + the GB 32100 check char. Raises nothing.
"""

from __future__ import annotations

import random

from govdata.demo.manifest import Department
from govdata.demo.vocab import CITY_CODE
from govdata.govern.standards import uscc_check_char
from govdata.govern.standards.uscc import org_check_char

DEPARTMENT_NAMES: dict[str, str] = {
    "sjj": "示例市数据资源管理局",
    "gaj": "示例市公安局",
    "mzj": "示例市民政局",
    "rsj": "示例市人力资源和社会保障局",
    "scjgj": "示例市市场监督管理局",
    "wjw": "示例市卫生健康委员会",
    "jtj": "示例市交通运输局",
    "sthjj": "示例市生态环境局",
}


def government_uscc(org_body: str, region: str = CITY_CODE, kind: str = "11") -> str:
    """A valid USCC for an 8-char organization-code body (digits / capital letters)."""
    first17 = kind + region + org_body + org_check_char(org_body)
    return first17 + uscc_check_char(first17)


BUREAU = "sjj"  # the data bureau: reviews and publishes the catalog, keeps the standards library


def departments() -> list[Department]:
    """The departments, in a fixed order; their codes do not depend on the demo seed."""
    result = []
    for code, name in DEPARTMENT_NAMES.items():
        rng = random.Random(f"govdata-demo/uscc/{code}")
        body = "00" + "".join(rng.choice("0123456789") for _ in range(6))
        result.append(Department(code=code, name=name, uscc=government_uscc(body), region=CITY_CODE))
    return result
