"""The ``http_api`` connector: a department's HTTP JSON API, paged, authenticated, retried.

Pagination: ``page`` (page number + size), ``offset`` (offset + limit), ``cursor`` (a token from the
response sent back as a parameter), ``next`` (a next link in the body or the ``Link`` header), or
``none``. ``records_path`` is a dot path to the array of records (``data.items``); records must be
JSON objects and become text columns (see ``records``). The token (bearer token, API-key value or
basic-auth password) is the secret: ``split_secret`` takes it out of the stored config.

429 and 5xx answers and network failures are retried ``retries`` times with exponential backoff
(honouring ``Retry-After``), then raise ``TransientError("ingest.http_unavailable")`` naming the URL
and page; nothing is yielded for a source that fails halfway, as records are buffered until the
last page arrived unless ``fields`` fixes the columns (then pages stream and the runner's atomic
commit keeps the lake unchanged). Raises ``InvalidInput``: ``ingest.http_auth`` (401/403),
``ingest.http_status`` (other 4xx), ``ingest.http_bad_json``, ``ingest.http_no_records`` (path missing
or not an array), ``ingest.http_not_object`` (page and index), ``ingest.http_foreign_link`` (a next
link to another host), ``ingest.http_too_many_pages``, ``ingest.http_no_since`` (a cursor read
without ``since_param``).
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator, Mapping
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import httpx
import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors.base import (
    Capabilities,
    Connector,
    ConnectorConfig,
    ReadRequest,
    string_schema,
)
from govdata.ingest.connectors.records import text_table, union_keys

SECRET_FIELD = "token"
_MISSING = object()


class HttpApiConfig(ConnectorConfig):
    url: str = Field(description="Endpoint URL (http or https).")
    params: dict[str, str] = Field(default_factory=dict, description="Fixed query parameters.")
    headers: dict[str, str] = Field(default_factory=dict, description="Fixed request headers (no secrets).")
    auth: Literal["none", "bearer", "header", "query", "basic"] = Field(
        default="none", description="How the token is sent: bearer, a named header, a query parameter, basic."
    )
    auth_name: str = Field(default="X-API-Key", description="Header or query parameter carrying the token.")
    username: str | None = Field(default=None, description="User name for basic auth.")
    token: str | None = Field(default=None, description="The secret: token, key value or password.")
    records_path: str = Field(default="", description="Dot path to the records array; empty: the body.")
    pagination: Literal["none", "page", "offset", "cursor", "next"] = "none"
    page_size: int = Field(default=100, ge=1, le=100_000)
    page_param: str = "page"
    size_param: str = "size"
    first_page: int = 1
    offset_param: str = "offset"
    limit_param: str = "limit"
    cursor_param: str = "cursor"
    cursor_path: str = Field(default="next_cursor", description="Dot path of the next cursor token.")
    next_path: str = Field(default="next", description="Dot path of the next link; else the Link header.")
    since_param: str | None = Field(default=None, description="Parameter taking the incremental cursor.")
    fields: list[str] | None = Field(default=None, description="Fixed columns; pages then stream.")
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_seconds: float = Field(default=0.5, ge=0)
    max_pages: int = Field(default=100_000, ge=1)


def dig(body: Any, path: str) -> Any:
    """The value at dot ``path`` in ``body`` (``""`` is the body itself); ``_MISSING`` if absent."""
    node = body
    for part in [p for p in path.split(".") if p]:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _public_url(url: str) -> str:
    """``url`` without its query (which may carry a key) for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    when = email.utils.parsedate_to_datetime(value)
    return max(0.0, when.timestamp() - time.time()) if when else None


class _Pager:
    """Walks the pages of one read; yields ``(page_number, records)``."""

    def __init__(self, cfg: HttpApiConfig, request: ReadRequest) -> None:
        self.cfg = cfg
        self.request = request
        self.origin = urlsplit(cfg.url)[:2]

    def _client(self) -> httpx.Client:
        cfg = self.cfg
        headers = dict(cfg.headers)
        params = dict(cfg.params)
        auth: httpx.Auth | None = None
        if cfg.token is not None:
            if cfg.auth == "bearer":
                headers["Authorization"] = f"Bearer {cfg.token}"
            elif cfg.auth == "header":
                headers[cfg.auth_name] = cfg.token
            elif cfg.auth == "query":
                params[cfg.auth_name] = cfg.token
            elif cfg.auth == "basic":
                auth = httpx.BasicAuth(cfg.username or "", cfg.token)
        if self.request.cursor_column and self.request.cursor_value is not None:
            if not cfg.since_param:
                raise InvalidInput("ingest.http_no_since", url=_public_url(cfg.url))
            params[cfg.since_param] = str(self.request.cursor_value)
        self.base_params = params
        return httpx.Client(headers=headers, auth=auth, timeout=cfg.timeout_seconds, follow_redirects=True)

    def _get(self, client: httpx.Client, url: str, params: dict[str, Any], page: int) -> Any:
        cfg = self.cfg
        detail = ""
        for attempt in range(cfg.retries + 1):
            wait = cfg.backoff_seconds * (2**attempt)
            try:
                resp = client.get(url, params=params or None)
            except httpx.HTTPError as exc:
                detail = f"{type(exc).__name__}: {exc}"[:200]
            else:
                status = resp.status_code
                if status in (401, 403):
                    raise InvalidInput("ingest.http_auth", url=_public_url(url), status=status)
                if status == 429 or status >= 500:
                    detail = f"HTTP {status}"
                    wait = max(wait, min(_retry_after(resp) or 0.0, 60.0))
                elif status >= 400:
                    raise InvalidInput("ingest.http_status", url=_public_url(url), status=status, page=page)
                else:
                    try:
                        return resp.json()
                    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                        raise InvalidInput("ingest.http_bad_json", url=_public_url(url), page=page) from exc
            if attempt < cfg.retries:
                time.sleep(min(wait, 60.0))
        raise TransientError("ingest.http_unavailable", url=_public_url(url), page=page, detail=detail)

    def _records(self, body: Any, url: str, page: int) -> list[dict[str, Any]]:
        found = dig(body, self.cfg.records_path)
        if not isinstance(found, list):
            raise InvalidInput(
                "ingest.http_no_records", url=_public_url(url), page=page, path=self.cfg.records_path or "-"
            )
        for index, record in enumerate(found):
            if not isinstance(record, dict):
                raise InvalidInput("ingest.http_not_object", url=_public_url(url), page=page, index=index)
        return found

    def _check_link(self, link: str) -> str:
        if urlsplit(link)[:2] != self.origin:
            raise InvalidInput(
                "ingest.http_foreign_link", url=_public_url(self.cfg.url), link=_public_url(link)
            )
        return link

    def pages(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        cfg = self.cfg
        with self._client() as client:
            url: str | None = cfg.url
            params: dict[str, Any] = dict(self.base_params)
            size = cfg.page_size
            if cfg.pagination == "page":
                params.update({cfg.page_param: cfg.first_page, cfg.size_param: size})
            elif cfg.pagination == "offset":
                params.update({cfg.offset_param: 0, cfg.limit_param: size})
            page = 0
            while url is not None:
                page += 1
                if page > cfg.max_pages:
                    raise InvalidInput(
                        "ingest.http_too_many_pages", url=_public_url(cfg.url), pages=cfg.max_pages
                    )
                resp_body = self._get(client, url, params, page)
                records = self._records(resp_body, url, page)
                yield page, records
                url, params = self._next(resp_body, url, params, len(records), client)

    def _next(
        self, body: Any, url: str, params: dict[str, Any], count: int, client: httpx.Client
    ) -> tuple[str | None, dict[str, Any]]:
        cfg = self.cfg
        if cfg.pagination == "page":
            done = count < cfg.page_size
            return (None if done else url), {**params, cfg.page_param: int(params[cfg.page_param]) + 1}
        if cfg.pagination == "offset":
            done = count < cfg.page_size
            return (None if done else url), {
                **params,
                cfg.offset_param: int(params[cfg.offset_param]) + count,
            }
        if cfg.pagination == "cursor":
            token = dig(body, cfg.cursor_path)
            if token in (_MISSING, None, "") or count == 0 or params.get(cfg.cursor_param) == token:
                return None, params
            return url, {**params, cfg.cursor_param: token}
        if cfg.pagination == "next":
            link = dig(body, cfg.next_path)
            if link in (_MISSING, None, "") or not isinstance(link, str):
                return None, params
            # a next link carries its own query; the fixed parameters (a query-string key) are added
            target = httpx.URL(self._check_link(urljoin(url, link)))
            extra = {k: v for k, v in self.base_params.items() if k not in target.params}
            target = target.copy_merge_params(extra) if extra else target
            return (None if str(target) == url else str(target)), {}
        return None, params


class HttpApiConnector(Connector):
    name = "http_api"
    label = "ingest.connector.http_api"
    Config = HttpApiConfig
    capabilities = Capabilities(incremental=True, upsert=True)

    def __init__(self) -> None:
        self._cached: tuple[str, list[pa.Table], list[str]] | None = None
        self._declared: list[str] | None = None  # the columns ``schema`` promised this instance

    def discover(self, config: Any) -> list[str]:
        cfg = self.parse_config(config)
        path = urlsplit(cfg.url).path.rstrip("/")
        return [path.rsplit("/", 1)[-1] or urlsplit(cfg.url).hostname or "api"]

    def split_secret(self, config: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        public = dict(config)
        return public, public.pop(SECRET_FIELD, None)

    def join_secret(self, config: Mapping[str, Any], secret: str | None) -> dict[str, Any]:
        joined = dict(config)
        if secret is not None:
            joined[SECRET_FIELD] = secret
        return joined

    def _buffer(self, cfg: HttpApiConfig, request: ReadRequest) -> tuple[list[pa.Table], list[str]]:
        """Every page as a text table, and the union of their keys (fetched once per instance)."""
        key = cfg.model_dump_json() + repr(request)
        if self._cached is None or self._cached[0] != key:
            tables: list[pa.Table] = []
            keys: list[str] = []
            for _, records in _Pager(cfg, request).pages():
                table = text_table(records, union_keys(records))
                keys = union_keys([dict.fromkeys(table.column_names)], keys)
                tables.append(table)
            self._cached = (key, tables, keys)
        return self._cached[1], self._cached[2]

    def schema(self, config: Any) -> pa.Schema:
        cfg = self.parse_config(config)
        if cfg.fields:
            return string_schema(cfg.fields)
        _, keys = self._buffer(cfg, ReadRequest())
        self._declared = keys
        return string_schema(keys)

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        cfg = self.parse_config(config)
        request = request or ReadRequest()
        if cfg.fields:
            tables: Iterator[pa.Table] = (text_table(r, cfg.fields) for _, r in _Pager(cfg, request).pages())
            keys = list(cfg.fields)
        else:
            # the request's cursor narrows the fetch, but the columns are those of a full read
            narrowed = ReadRequest(cursor_column=request.cursor_column, cursor_value=request.cursor_value)
            buffered, keys = self._buffer(cfg, narrowed)
            keys = self._declared if self._declared is not None else keys
            tables = iter(buffered)
        wanted = list(request.columns) if request.columns else keys
        schema = string_schema(wanted)
        left = request.limit
        for table in tables:
            arrays = [
                table.column(n).combine_chunks()
                if n in table.column_names
                else pa.nulls(table.num_rows, pa.string())
                for n in wanted
            ]
            batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
            if left is not None:
                batch = batch.slice(0, left)
                left -= batch.num_rows
            if batch.num_rows:
                yield batch
            if left is not None and left <= 0:
                return
