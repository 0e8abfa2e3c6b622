"""Masking (脱敏): one platform-wide convention per kind of field, as vectorised Arrow maskers.

Owns the masker classes, the ``MASKERS`` registry (a plug-in registry over the ``register_maskers``
hook) and ``mask_table``. The conventions are those of
STANDARDS.md §8 and there is exactly one per kind, because different partial masks of the same value
recombine into the clear value. Every masker works with ``pyarrow.compute`` kernels (regex extract,
slice, repeat, join) — no Python loop over rows — and keeps nulls null. A value too short to keep its
ends is masked entirely. Raises ``InvalidInput`` for an unknown masker or column, ``Conflict``
(``masking.masker_name_taken``) when two masker classes claim one name.
"""

from __future__ import annotations

from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from govdata.errors import InvalidInput
from govdata.plugins import Registry

STAR = "*"
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")

ArrayLike = pa.Array | pa.ChunkedArray


def _as_string(array: ArrayLike) -> ArrayLike:
    """Plain ``string`` input for the kernels (large strings, numbers and views are cast)."""
    if pa.types.is_string(array.type):
        return array
    return pc.cast(array, pa.string())


def _stars(count: ArrayLike) -> ArrayLike:
    """A run of ``*`` per row, ``count`` long (negative counts give an empty string)."""
    clipped = pc.max_element_wise(count, pa.scalar(0, pa.int64()))
    return pc.binary_repeat(STAR, pc.cast(clipped, pa.int64()))


def _keep_ends(values: ArrayLike, first: int, last: int) -> ArrayLike:
    """Keep ``first`` leading and ``last`` trailing characters; stars in between, one per character.

    Values of ``first + last`` characters or fewer become all stars.
    """
    length = pc.cast(pc.utf8_length(values), pa.int64())
    head = pc.utf8_slice_codeunits(values, 0, first)
    tail = pc.utf8_slice_codeunits(values, -last) if last else pc.utf8_slice_codeunits(values, 0, 0)
    middle = _stars(pc.subtract(length, first + last))
    kept = pc.binary_join_element_wise(head, middle, tail, "")
    return pc.if_else(pc.greater(length, first + last), kept, _stars(length))


class Masker:
    """Base of all maskers: a stable ``name``, an i18n ``label`` key and a vectorised ``mask``."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        """The masked copy of a string array; nulls stay null. ``level`` is reserved for graded masks."""
        raise NotImplementedError


class KeepEndsMasker(Masker):
    """Keep a fixed number of leading and trailing characters (ID numbers, bank cards)."""

    first: ClassVar[int] = 0
    last: ClassVar[int] = 0
    strip_pattern: ClassVar[str | None] = None  # removed before masking (spaces in card numbers)

    def prepare(self, values: ArrayLike) -> ArrayLike:
        if self.strip_pattern is None:
            return values
        return pc.replace_substring_regex(values, self.strip_pattern, "")

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        return _keep_ends(self.prepare(_as_string(array)), self.first, self.last)


class IdNumberMasker(KeepEndsMasker):
    """Identity number → first 6 + last 4 (``110105********002X``; 15-digit numbers likewise)."""

    name = "id_number"
    label = "masker.id_number"
    first, last = 6, 4
    strip_pattern = r"\s"


class BankCardMasker(KeepEndsMasker):
    """Bank card → first 6 + last 4 (``621700*********0004``), spaces and hyphens dropped first."""

    name = "bank_card"
    label = "masker.bank_card"
    first, last = 6, 4
    strip_pattern = r"[\s-]"


class MobileMasker(KeepEndsMasker):
    """Mobile → first 3 + last 4 (``138****5678``); a ``+86``/``86`` prefix is dropped first."""

    name = "mobile"
    label = "masker.mobile"
    first, last = 3, 4

    def prepare(self, values: ArrayLike) -> ArrayLike:
        compact = pc.replace_substring_regex(values, r"[\s-]", "")
        return pc.replace_substring_regex(compact, r"^\+?86(1[3-9][0-9]{9})$", r"\1")


class NameMasker(Masker):
    """Person name → keep the surname, one star per remaining character (``张**``, ``欧阳*``).

    The ten common compound surnames keep both characters; a one-character value is kept as is
    (it is at most a surname).
    """

    name = "name"
    label = "masker.name"

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        values = pc.utf8_trim_whitespace(_as_string(array))
        compound = pc.match_substring_regex(values, "^(?:" + "|".join(COMPOUND_SURNAMES) + ")")
        keep = pc.if_else(compound, pa.scalar(2, pa.int64()), pa.scalar(1, pa.int64()))
        length = pc.cast(pc.utf8_length(values), pa.int64())
        surname = pc.if_else(
            compound, pc.utf8_slice_codeunits(values, 0, 2), pc.utf8_slice_codeunits(values, 0, 1)
        )
        return pc.binary_join_element_wise(surname, _stars(pc.subtract(length, keep)), "")


# Province (省/自治区), then an optional prefecture (市/自治州/地区/盟), then the county-level unit
# (区/县/市/旗). Names exclude the level suffixes and street words, so a match cannot run on into
# the street part of the address.
_NAME_CHARS = "[^省市区县旗盟路街道镇乡村号0-9]"
_ADDRESS = (
    "^(?P<kept>"
    f"(?:{_NAME_CHARS}{{2,7}}?(?:省|自治区))?"
    f"(?:{_NAME_CHARS}{{1,9}}?(?:市|自治州|地区|盟))?"
    f"{_NAME_CHARS}{{1,9}}?(?:区|县|市|旗))"
)


class AddressMasker(Masker):
    """Address → keep up to and including the county/district, then ``****`` (``北京市海淀区****``).

    An address with no recognisable county-level part becomes ``****``.
    """

    name = "address"
    label = "masker.address"

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        values = pc.utf8_trim_whitespace(_as_string(array))
        kept = pc.struct_field(pc.extract_regex(values, _ADDRESS), [0])
        masked = pc.binary_join_element_wise(pc.fill_null(kept, ""), STAR * 4, "")
        return pc.if_else(pc.is_null(values), pa.scalar(None, pa.string()), masked)


class EmailMasker(Masker):
    """E-mail → first character + ``***`` + ``@domain`` (``z***@example.com``); other text → ``***``."""

    name = "email"
    label = "masker.email"

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        values = pc.utf8_trim_whitespace(_as_string(array))
        parts = pc.extract_regex(values, r"^(?P<first>[^@])[^@]*@(?P<domain>[^@]+)$")
        first = pc.struct_field(parts, [0])
        domain = pc.struct_field(parts, [1])
        masked = pc.binary_join_element_wise(first, "***@", domain, "")
        fallback = pc.if_else(pc.is_null(values), pa.scalar(None, pa.string()), STAR * 3)
        return pc.if_else(pc.is_null(masked), fallback, masked)


class FullMasker(Masker):
    """Everything → ``****`` (for fields with no partial convention)."""

    name = "full"
    label = "masker.full"

    def mask(self, array: ArrayLike, level: str | None = None) -> ArrayLike:
        values = _as_string(array)
        return pc.if_else(pc.is_null(values), pa.scalar(None, pa.string()), STAR * 4)


BUILTIN_MASKERS: tuple[type[Masker], ...] = (
    NameMasker,
    IdNumberMasker,
    MobileMasker,
    BankCardMasker,
    AddressMasker,
    EmailMasker,
    FullMasker,
)


def _as_masker(item: Masker | type[Masker]) -> Masker:
    """A hook may return masker classes (taking no arguments) or ready instances."""
    return item() if isinstance(item, type) else item


# Filled from the plugin manager's ``register_maskers`` hook on first lookup
# (built-ins through ``govdata.security.builtin_maskers``, exactly like outside packages).
MASKERS: Registry[Masker] = Registry(
    "register_maskers",
    unknown="masking.unknown_masker",
    taken="masking.masker_name_taken",
    adapt=_as_masker,
)


def register_masker(masker: Masker | type[Masker]) -> Masker:
    """Add a masker (or a masker class) under its ``name`` directly. Plug-ins use the hook."""
    return MASKERS.register(_as_masker(masker))


def get_masker(name: str) -> Masker:
    """The masker called ``name``; raises ``InvalidInput`` (``masking.unknown_masker``) listing known ones."""
    return MASKERS.lookup(name)


def mask_table(table: pa.Table, rules: dict[str, str], level: str | None = None) -> pa.Table:
    """A copy of ``table`` with each ``column → masker name`` in ``rules`` masked; other columns as is.

    Raises ``InvalidInput`` for an unknown masker (``masking.unknown_masker``) or a column the table
    does not have (``masking.unknown_column``).
    """
    maskers = {column: get_masker(name) for column, name in rules.items()}
    for column in maskers:
        if column not in table.column_names:
            raise InvalidInput("masking.unknown_column", column=column, known=", ".join(table.column_names))
    for column, masker in maskers.items():
        index = table.column_names.index(column)
        masked = masker.mask(table.column(index), level)
        table = table.set_column(index, pa.field(column, masked.type), masked)
    return table
