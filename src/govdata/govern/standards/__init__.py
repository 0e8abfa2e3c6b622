"""Validators and normalizers for Chinese government identifiers (see shared STANDARDS.md)."""

from govdata.govern.standards.idnumber import (
    IdCheck,
    check_id_number,
    id_check_char,
    upgrade_id15,
)
from govdata.govern.standards.uscc import UsccCheck, check_uscc, uscc_check_char

__all__ = [
    "IdCheck",
    "UsccCheck",
    "check_id_number",
    "check_uscc",
    "id_check_char",
    "upgrade_id15",
    "uscc_check_char",
]
