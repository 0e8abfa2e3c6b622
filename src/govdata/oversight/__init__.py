"""Oversight (管): platform totals, freshness and department scorecards."""

from govdata.oversight.stats import DepartmentTotals, Totals, platform_totals

__all__ = ["DepartmentTotals", "Totals", "platform_totals"]
