"""Regions, departments and accounts: the organisation every other pillar refers to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.errors import Conflict, InvalidInput, NotFound
from govdata.govern.standards import check_uscc
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.auth import hash_password
from govdata.security.models import Department, Region, User
from govdata.security.roles import Permission, Role


def ensure_region(session: Session, code: str, name: str, level: str, parent_code: str | None) -> Region:
    region = session.get(Region, code)
    if region is None:
        region = Region(code=code, name=name, level=level, parent_code=parent_code)
        session.add(region)
        session.flush()
    return region


def create_department(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    *,
    code: str,
    name: str,
    uscc: str,
    region_code: str,
    is_bureau: bool = False,
) -> Department:
    actor.require(Permission.USER_MANAGE)
    result = check_uscc(uscc)
    if not result.valid:
        raise InvalidInput("security.bad_uscc", value=uscc, reason=result.reason)
    if session.execute(select(Department).where(Department.code == code)).scalar_one_or_none():
        raise Conflict("security.duplicate_department", code=code)
    dept = Department(code=code, name=name, uscc=result.value, region_code=region_code, is_bureau=is_bureau)
    session.add(dept)
    session.flush()
    audit.record(session, actor, "org.department_created", target=f"department:{code}")
    return dept


def department_by_code(session: Session, code: str) -> Department:
    dept = session.execute(select(Department).where(Department.code == code)).scalar_one_or_none()
    if dept is None:
        raise NotFound("security.unknown_department", code=code)
    return dept


def create_user(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    department_code: str | None = None,
) -> User:
    """Create an account with exactly one role; department roles need a department."""
    actor.require(Permission.USER_MANAGE)
    try:
        role_ = Role(role)
    except ValueError:
        raise InvalidInput("security.bad_role", role=role, known=", ".join(r.value for r in Role)) from None
    if session.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise Conflict("security.duplicate_user", username=username)
    dept = department_by_code(session, department_code) if department_code else None
    if role_ in (Role.DEPT_ADMIN, Role.DATA_OFFICER, Role.DATA_USER) and dept is None:
        raise InvalidInput("security.department_required", role=role)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role_.value,
        department_id=dept.id if dept else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "org.user_created", target=f"user:{username}", detail={"role": role_.value})
    return user


def list_departments(session: Session) -> list[Department]:
    return list(session.execute(select(Department).order_by(Department.id)).scalars())
