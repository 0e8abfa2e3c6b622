"""Roles and permissions. Separation of duties (三员) is encoded here and nowhere else.

The system administrator manages accounts and configuration but reads no data and no audit trail;
the security administrator sets policy; the auditor reads the audit trail and nothing else.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDITOR = "auditor"
    DEPT_ADMIN = "dept_admin"
    DATA_OFFICER = "data_officer"
    DATA_USER = "data_user"


class Permission(StrEnum):
    PUBLIC = "public"  # anyone, anonymous included
    AUTHENTICATED = "authenticated"  # any signed-in account (own profile, logout)
    OVERVIEW_READ = "overview.read"  # counts only, no data
    CATALOG_READ = "catalog.read"
    CATALOG_WRITE = "catalog.write"
    CATALOG_REVIEW = "catalog.review"  # review and publish entries — in the data bureau only
    STANDARDS_MANAGE = "standards.manage"  # edit data elements and code tables — bureau only
    INGEST_RUN = "ingest.run"
    QUALITY_READ = "quality.read"
    QUALITY_FEEDBACK = "quality.feedback"  # work on quality issues: own department; verify in the bureau
    SHARE_APPLY = "share.apply"
    SHARE_APPROVE = "share.approve"
    DATA_READ = "data.read"  # through a grant only
    USER_MANAGE = "user.manage"
    SECURITY_MANAGE = "security.manage"
    AUDIT_READ = "audit.read"


_GOV = {Permission.AUTHENTICATED, Permission.OVERVIEW_READ, Permission.CATALOG_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {Permission.AUTHENTICATED, Permission.OVERVIEW_READ, Permission.USER_MANAGE}
    ),
    Role.SECURITY_ADMIN: frozenset(_GOV | {Permission.SECURITY_MANAGE, Permission.QUALITY_READ}),
    Role.AUDITOR: frozenset({Permission.AUTHENTICATED, Permission.AUDIT_READ}),
    Role.DEPT_ADMIN: frozenset(
        _GOV
        | {
            Permission.CATALOG_WRITE,
            Permission.CATALOG_REVIEW,
            Permission.STANDARDS_MANAGE,
            Permission.INGEST_RUN,
            Permission.QUALITY_READ,
            Permission.QUALITY_FEEDBACK,
            Permission.SHARE_APPROVE,
        }
    ),
    Role.DATA_OFFICER: frozenset(
        _GOV
        | {
            Permission.CATALOG_WRITE,
            Permission.INGEST_RUN,
            Permission.QUALITY_READ,
            Permission.QUALITY_FEEDBACK,
            Permission.SHARE_APPROVE,
            Permission.SHARE_APPLY,
        }
    ),
    Role.DATA_USER: frozenset(_GOV | {Permission.SHARE_APPLY, Permission.DATA_READ}),
}


def has_permission(role: str | None, permission: Permission) -> bool:
    if permission is Permission.PUBLIC:
        return True
    if role is None:
        return False
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())
