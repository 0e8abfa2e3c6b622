"""Sharing and exchange (共享交换): applications, approvals, grants and data services."""

from govdata.share.models import Application, ApplicationStatus, Grant
from govdata.share.service import active_grant, apply, decide, read_records

__all__ = ["Application", "ApplicationStatus", "Grant", "active_grant", "apply", "decide", "read_records"]
