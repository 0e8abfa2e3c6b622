"""Validators and normalizers for Chinese government identifiers and code tables (see STANDARDS.md).

Pure functions: an invalid value gives a result object or False/None, never an exception.
"""

from govdata.govern.standards.bankcard import (
    check_bank_card,
    luhn_check_digit,
    luhn_valid,
    normalize_card,
)
from govdata.govern.standards.idnumber import (
    IdCheck,
    check_id_number,
    id_birth_date,
    id_check_char,
    id_gender,
    upgrade_id15,
)
from govdata.govern.standards.normalize import halfwidth, normalize_identifier
from govdata.govern.standards.orgcode import (
    OrgCodeCheck,
    check_org_code,
    format_org_code,
    org_check_char,
)
from govdata.govern.standards.phone import MOBILE_PATTERN, check_mobile, national_mobile, normalize_phone
from govdata.govern.standards.regions import Region, is_known, level, parent_code, region, regions
from govdata.govern.standards.uscc import UsccCheck, check_uscc, uscc_check_char

__all__ = [
    "MOBILE_PATTERN",
    "IdCheck",
    "OrgCodeCheck",
    "Region",
    "UsccCheck",
    "check_bank_card",
    "check_id_number",
    "check_mobile",
    "check_org_code",
    "check_uscc",
    "format_org_code",
    "halfwidth",
    "id_birth_date",
    "id_check_char",
    "id_gender",
    "is_known",
    "level",
    "luhn_check_digit",
    "luhn_valid",
    "national_mobile",
    "normalize_card",
    "normalize_identifier",
    "normalize_phone",
    "org_check_char",
    "parent_code",
    "region",
    "regions",
    "upgrade_id15",
    "uscc_check_char",
]
