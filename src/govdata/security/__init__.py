"""Security: organisation, accounts, roles, login, tokens, masking and the audit trail."""

from govdata.security.actor import Actor
from govdata.security.audit import AuditLog, VerifyResult
from govdata.security.roles import ROLE_PERMISSIONS, Permission, Role, has_permission

__all__ = ["ROLE_PERMISSIONS", "Actor", "AuditLog", "Permission", "Role", "VerifyResult", "has_permission"]
