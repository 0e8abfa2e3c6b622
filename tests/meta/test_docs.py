"""The docs stay true to the code.

- docs/configuration.md names every ``Settings`` field (nested models walked) by its env var, with
  its default, and names no setting that does not exist;
- docs/cli.md has a section per command of ``govdata.cli.main:app`` naming each of its options;
- every ``govdata …`` command line in README.md and docs/ uses real commands and options;
- every ``METHOD /path`` endpoint named in the docs is a route of the app;
- the roles table of docs/security.md matches ``security/roles.py``;
- README.md's and the docs' links to docs point at files that exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from pydantic import BaseModel, SecretStr
from pydantic_core import PydanticUndefined

from govdata.cli.main import app
from govdata.config import Settings
from govdata.security.roles import ROLE_PERMISSIONS, Permission

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
ENV_PREFIX = "GOVDATA_"
# Environment variables the docs may name that are not settings of the platform itself.
NON_SETTING_ENV = {"GOVDATA_TEST_DATABASE_URL", "GOVDATA_CATALOG"}  # the latter: the feed's NATS stream


def _doc(name: str) -> str:
    path = DOCS / name
    assert path.is_file(), f"{path} is missing"
    return path.read_text(encoding="utf-8")


def _all_docs() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


# --- settings ---------------------------------------------------------------------------------------


def settings_fields(model: type[BaseModel] = Settings, path: tuple[str, ...] = ()) -> Iterator[Any]:
    """(path, field info) of every leaf setting, nested models walked."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from settings_fields(annotation, (*path, name))
        else:
            yield (*path, name), field


def env_name(path: tuple[str, ...]) -> str:
    return ENV_PREFIX + "__".join(p.upper() for p in path)


def _default_text(field: Any) -> str | None:
    default = field.default
    if default is PydanticUndefined or default is None:
        return None
    if isinstance(default, SecretStr):
        return default.get_secret_value()
    return str(default)


def test_settings_walk_finds_nested_fields() -> None:
    names = {env_name(p) for p, _ in settings_fields()}
    assert {"GOVDATA_HOME", "GOVDATA_LAKE__STORAGE_URL", "GOVDATA_SECURITY__MAX_FAILED_LOGINS"} <= names


def test_configuration_md_documents_every_setting_with_its_default() -> None:
    lines = _doc("configuration.md").splitlines()
    problems = []
    for path, field in settings_fields():
        env = env_name(path)
        rows = [line for line in lines if f"`{env}`" in line]
        if not rows:
            problems.append(f"{'.'.join(path)}: `{env}` not in docs/configuration.md")
            continue
        default = _default_text(field)
        if default is not None and not any(default in row for row in rows):
            problems.append(f"{'.'.join(path)}: default {default!r} not on the line naming `{env}`")
    assert not problems, "\n".join(problems)


def test_configuration_md_names_no_unknown_setting() -> None:
    known = {env_name(p) for p, _ in settings_fields()} | NON_SETTING_ENV
    named = set(re.findall(r"GOVDATA_[A-Z0-9_]*[A-Z0-9]", _doc("configuration.md")))
    assert not named - known, f"docs/configuration.md names settings that do not exist: {named - known}"


# --- command line -----------------------------------------------------------------------------------


def cli_commands() -> dict[str, Any]:
    """``"govdata audit verify"`` → click command, for the whole Typer app."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: str) -> None:
        found[path] = command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "govdata")
    return found


def param_names(command: Any) -> list[str]:
    """What a user types for each parameter: ``--flag`` spellings, or an argument's metavar."""
    names: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument":
            names.append((getattr(param, "human_readable_name", None) or param.name).upper())
        else:
            names.extend(param.opts + param.secondary_opts)
    return names


def cli_sections(text: str) -> dict[str, str]:
    """Heading ``## `govdata x y` `` → the text up to the next such heading."""
    sections: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = re.match(r"^#+\s+`(govdata(?: [a-z][a-z0-9-]*)*)`", line)
        if heading:
            current = heading.group(1)
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def _mentions(section: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", section) is not None


def test_cli_walk_finds_the_nested_commands() -> None:
    commands = cli_commands()
    assert {"govdata", "govdata demo", "govdata audit verify"} <= commands.keys()
    assert "--no-serve" in param_names(commands["govdata demo"])


def test_cli_md_documents_every_command_and_option() -> None:
    sections = cli_sections(_doc("cli.md"))
    problems = []
    for path, command in cli_commands().items():
        if path not in sections:
            problems.append(f"no section '## `{path}`' in docs/cli.md")
            continue
        for name in param_names(command):
            if not _mentions(sections[path], name):
                problems.append(f"`{path}`: option {name} not described in its section")
    stale = sorted(set(sections) - set(cli_commands()))
    problems += [f"docs/cli.md documents a command that does not exist: `{s}`" for s in stale]
    assert not problems, "\n".join(problems)


def command_lines(text: str) -> Iterator[str]:
    """``govdata …`` invocations: inline code spans and lines of fenced code blocks."""
    yield from re.findall(r"`([^`\n]+)`", text)
    in_block = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block:
            yield line.split("  #", 1)[0]


def _argv(line: str) -> list[str] | None:
    """The ``govdata`` arguments of a command line, or None if it does not run govdata."""
    words = line.split()
    for i, word in enumerate(words):
        if word == "govdata" or word.endswith("/govdata"):
            return words[i + 1 :]
        if word == "dev.py" and i + 1 < len(words) and words[i + 1] == "demo":
            return words[i + 1 :]  # dev.py demo passes its arguments to `govdata demo`
    return None


def check_command_line(argv: list[str], commands: dict[str, Any]) -> list[str]:
    """Problems with one invocation: unknown commands or options."""
    path = "govdata"
    problems = []
    expect_value = False
    for raw in argv:
        word = raw.strip("[](){}|,;:.")
        if not word or not re.match(r"^[-a-z]", word):
            expect_value = False
            continue
        command = commands[path]
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            params = {n: p for p in command.params for n in p.opts + p.secondary_opts}
            if option == "--help":
                continue
            if option not in params:
                problems.append(f"`{path}` has no option {option}")
                continue
            expect_value = not params[option].is_flag and "=" not in word
        elif f"{path} {word}" in commands and not expect_value:
            path = f"{path} {word}"
        elif getattr(command, "commands", None) and not expect_value and "|" not in raw:
            problems.append(f"`{path}` has no command {word}")
        else:
            expect_value = False
    return problems


def test_command_lines_in_the_docs_are_real() -> None:
    commands = cli_commands()
    problems = []
    for doc in _all_docs():
        for line in command_lines(doc.read_text(encoding="utf-8")):
            argv = _argv(line)
            if argv is not None:
                problems += [f"{doc.name}: `{line.strip()}`: {p}" for p in check_command_line(argv, commands)]
    assert not problems, "\n".join(problems)


def test_the_command_line_checker_catches_mistakes() -> None:
    commands = cli_commands()
    assert check_command_line(["demo", "--scale", "large", "--no-serve"], commands) == []
    assert check_command_line(["audit", "verify", "--json"], commands) == []
    assert check_command_line(["--debug", "stats"], commands) == []
    assert check_command_line(["demo", "--colour"], commands)
    assert check_command_line(["audit", "replay"], commands)
    assert check_command_line(["serve", "--json"], commands)


# --- endpoints --------------------------------------------------------------------------------------


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route) of every route, descending into included routers.

    FastAPI ≥ 0.160 keeps an included router as one ``_IncludedRouter`` entry in ``app.routes``
    instead of copying its routes, so a flat walk would see none of them.
    """
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + route.path, route


def app_routes() -> set[tuple[str, str]]:
    """(method, path shape) of every API route and portal page, as ``create_app`` mounts them."""
    from fastapi import FastAPI

    from govdata.web.api import router as api_router
    from govdata.web.pages import router as pages_router

    web = FastAPI()
    web.include_router(api_router, prefix="/api/v1")
    web.include_router(pages_router)
    return {
        (method, _shape(path))
        for path, route in _walk(web.routes)
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }


def test_route_walk_finds_the_nested_routes() -> None:
    routes = app_routes()
    assert ("POST", "/api/v1/auth/token") in routes
    assert ("GET", "/catalog/resources/{}") in routes
    assert len([r for r in routes if r[1].startswith("/api/v1")]) >= 10


def test_endpoints_named_in_the_docs_exist() -> None:
    routes = app_routes()
    problems = []
    for doc in _all_docs():
        text = doc.read_text(encoding="utf-8")
        for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)", text):
            if (method, _shape(path)) not in routes:
                problems.append(f"{doc.name}: {method} {path} is not a route")
    assert not problems, "\n".join(problems)


def test_every_api_route_is_documented() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in _all_docs())
    named = {(m, _shape(p)) for m, p in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)", text)}
    missing = sorted(f"{m} {p}" for m, p in app_routes() if p.startswith("/api/v1") and (m, p) not in named)
    assert not missing, f"API routes no page in docs/ names: {missing}"


# --- roles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_security_md_roles_table_matches_roles_py(role: str) -> None:
    rows = [line for line in _doc("security.md").splitlines() if line.startswith(f"| `{role}`")]
    assert len(rows) == 1, f"docs/security.md needs one roles-table row starting with | `{role}` |"
    values = {p.value for p in Permission}
    listed = {token for token in re.findall(r"`([a-z.]+)`", rows[0]) if token in values}
    expected = {p.value for p in ROLE_PERMISSIONS[role]}  # type: ignore[index]
    assert listed == expected, f"{role}: docs list {sorted(listed)}, roles.py grants {sorted(expected)}"


# --- links ------------------------------------------------------------------------------------------


def test_readme_links_to_docs_that_exist() -> None:
    links = re.findall(r"\]\((docs/[^)#\s]+)", README.read_text(encoding="utf-8"))
    assert links, "README.md links to no docs"
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, f"README.md links to missing files: {missing}"


def test_links_between_docs_resolve() -> None:
    missing = []
    for doc in DOCS.glob("*.md"):
        for link in re.findall(r"\]\(([^)#\s:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if not (doc.parent / link).exists():
                missing.append(f"{doc.name} → {link}")
    assert not missing, f"broken links: {missing}"
