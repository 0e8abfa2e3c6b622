"""Open data (开放): the public portal's listing and downloads."""

from govdata.opendata.service import download_csv, open_resource, open_resources

__all__ = ["download_csv", "open_resource", "open_resources"]
