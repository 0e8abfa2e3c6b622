"""Who is acting: the identity every service receives and every audit record names."""

from __future__ import annotations

from dataclasses import dataclass

from govdata.errors import PermissionDenied
from govdata.security.roles import Permission, has_permission


@dataclass(frozen=True)
class Actor:
    """The caller of a service: a signed-in user, the anonymous public, or the platform itself."""

    username: str
    role: str | None
    user_id: int | None = None
    department_id: int | None = None
    department_code: str | None = None
    display_name: str = ""
    is_bureau: bool = False  # the actor belongs to the data bureau (数据资源管理局)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(username="anonymous", role=None, display_name="公众")

    @classmethod
    def system(cls, purpose: str = "platform") -> Actor:
        """The platform acting on its own behalf (scheduler, demo build); audited under this name."""
        return cls(username=f"system:{purpose}", role="system", display_name="platform")

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    def can(self, permission: Permission) -> bool:
        if self.role == "system":
            return permission not in (Permission.AUDIT_READ,)
        return has_permission(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied("auth.forbidden", permission=permission.value)

    def require_department(self, department_id: int) -> None:
        """Provider-side actions are limited to the actor's own department."""
        if self.role == "system":
            return
        if self.department_id != department_id:
            raise PermissionDenied("auth.other_department")

    def require_bureau(self) -> None:
        """Bureau-side actions (reviewing catalog entries, keeping the standards library) are the data
        bureau's alone; the platform itself may act for it."""
        if self.role == "system":
            return
        if not self.is_bureau:
            raise PermissionDenied("auth.bureau_only")
