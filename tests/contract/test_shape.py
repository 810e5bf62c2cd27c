"""Issue 15's measured points, kept true by test: the import contracts hold and name every service;
runtime code imports no other service (one documented exception) and no deploy/; no runtime module is
over 400 lines; SQL lives in adapters (never in a service layer, domain or entrypoint); outbox rows are
written only by the platform (UnitOfWork.add_event, or its one fast path); KZ-09 is written once; no
demo or test data in a production package; the forecast's coefficients are profile data; write use
cases take (deps, principal, cmd); curriculum's service layer builds no SQL query."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "migrations", "__pycache__"}
# The gateway's process serves the web portal (pyproject.toml says why); nothing else crosses.
ALLOWED_CROSSING = {("services.gateway.app", "services.portal")}
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s", re.S)


def services() -> list[str]:
    return sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def runtime_modules() -> Iterator[tuple[str, Path]]:
    for base in ("services", "libs"):
        for path in sorted((ROOT / base).rglob("*.py")):
            rel = path.relative_to(ROOT / base if base == "libs" else ROOT)
            if any(part in SKIP or part.startswith("test") for part in rel.parts):
                continue
            yield ".".join(rel.with_suffix("").parts).removesuffix(".__init__"), path


def imported(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    out: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                out.add(".".join(base + ([node.module] if node.module else [])))
            else:
                out.add(node.module or "")
    return out


def sql_literals(tree: ast.AST) -> list[int]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if SQL.match(node.value):
                found.append(node.lineno)
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and SQL.match(first.value):
                found.append(node.lineno)
    return found


def test_the_import_contracts_hold_and_name_every_service() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    by_name = {c["name"]: c for c in contracts}
    independent = set(by_name["Services share code only through libs/"]["modules"])
    assert independent == {f"services.{s}" for s in services()}
    layered = set(by_name["Layers: entrypoints > service_layer > adapters > domain"]["containers"])
    # Workflow's Temporal processes are a layer of their own between adapters and domain.
    workflow = by_name["Layers (workflow): entrypoints > service_layer > adapters > processes > domain"]
    assert workflow["containers"] == ["services.workflow"]
    four_layers = {
        f"services.{s}"
        for s in services()
        if all((ROOT / "services" / s / layer).is_dir() for layer in ("domain", "service_layer", "adapters"))
    }
    assert layered | {"services.workflow"} == four_layers and "services.workflow" not in layered
    # Every service's packages are checked for cycles: only test packages are skipped.
    assert by_name["No import cycles between sibling modules"]["skip_descendants"] == ["services.*.tests"]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_runtime_code_is_in_the_shape_the_architecture_describes() -> None:
    crossings, deploy, long, sql, outbox = [], [], [], [], []
    for name, path in runtime_modules():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        deps = imported(tree, name, path.name == "__init__.py")
        if name.startswith("services."):
            owner = ".".join(name.split(".")[:2])
            for dep in deps:
                other = ".".join(dep.split(".")[:2])
                if dep.startswith("services.") and other != owner and (name, other) not in ALLOWED_CROSSING:
                    crossings.append(f"{name} -> {dep}")
        deploy += [f"{name} -> {d}" for d in deps if d == "deploy" or d.startswith("deploy.")]
        if text.count("\n") > 400:
            long.append(f"{name}: {text.count(chr(10))} lines")
        layer = name.split(".")[2] if name.startswith("services.") and name.count(".") >= 2 else ""
        if layer in ("domain", "service_layer", "entrypoints") and (lines := sql_literals(tree)):
            sql.append(f"{name}: lines {lines}")
        if "INSERT INTO outbox" in text and not name.startswith("ejournal_platform."):
            outbox.append(name)
    assert crossings == [], "services share code only through libs/"
    assert deploy == [], "runtime code never imports deploy/"
    assert long == [], "no runtime module over 400 lines"
    assert sql == [], "SQL lives in adapters/"
    assert outbox == [], "outbox rows are the platform's (UnitOfWork.add_event or queue_encoded)"


def test_stores_only_persist_use_cases_decide() -> None:
    """Issue 15 part 4: a repository or store reads and writes rows in the caller's transaction; it
    neither opens nor commits one, nor publishes events (workflow's stores did: record_step,
    count_reopen). Those are use cases, in service_layer/."""
    running = []
    for name, path in runtime_modules():
        if not name.startswith("services.") or name.split(".")[2:3] != ["adapters"]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Attribute) and called.attr in ("add_event", "queue_encoded", "commit"):
                running.append(f"{name}:{called.lineno} {called.attr}")
    assert running == [], "use cases (transactions, events) live in service_layer/"


def test_no_demo_or_test_data_in_a_production_package() -> None:
    demo = [p for p in (ROOT / "services").glob("*/demo") if p.is_dir()]
    assert demo == [], "the demo is described once, under deploy/demo/; test data lives in tests/"


@pytest.mark.rule("KZ-09")
def test_kz09_is_written_once_as_a_method_of_the_profile() -> None:
    definitions = []
    for name, path in runtime_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                "daily_grad" in node.name or "daily_grades" in node.name
            ):
                definitions.append(f"{name}.{node.name}")
    assert definitions == ["ejournal_regulation.model.needs_daily_grades"]


def test_the_forecasts_coefficients_are_profile_data_not_code() -> None:
    source = (ROOT / "services/reporting/domain/forecast.py").read_text(encoding="utf-8")
    fitted = re.search(r"intercept=-?(?!0\.0\b)\d", source)  # NO_MODEL's zeros are not a fit
    assert fitted is None, "coefficients belong in the profile's forecast.risk_model"
    for profile in (ROOT / "libs/ejournal_regulation/profiles").glob("*.yaml"):
        assert "risk_model:" in profile.read_text(encoding="utf-8"), profile.name


# One service-layer convention (issue 15, part 4; docs/architecture.md, "The four layers of a service").
# What another lane reshapes this session, with its reason; the test below fails once the entry is no
# longer needed, so the list only shrinks.
ORM_LEFT: set[str] = set()


def service_modules(*layers: str) -> Iterator[tuple[str, Path]]:
    for name, path in runtime_modules():
        if name.startswith("services.") and name.count(".") >= 2 and name.split(".")[2] in layers:
            yield name, path


def orm_mapped(value: object) -> bool:
    from sqlalchemy.orm import DeclarativeBase

    return isinstance(value, type) and issubclass(value, DeclarativeBase) and hasattr(value, "__table__")


def imported_orm_names(tree: ast.AST) -> set[str]:
    """The local names a module binds to ORM-mapped classes of a service's adapters."""
    import importlib

    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and ".adapters" in node.module:
            module = importlib.import_module(node.module)
            names |= {a.asname or a.name for a in node.names if orm_mapped(getattr(module, a.name, None))}
    return names


def annotation_names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    found = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    # String annotations ("University | None") and subscripts of them.
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            found |= set(re.findall(r"[A-Za-z_]\w*", n.value))
    return found


def is_left(name: str, left: set[str]) -> bool:
    return any(name == m or name.startswith(m + ".") for m in left)


def test_no_orm_object_leaves_the_service_layer() -> None:
    """Use cases return domain values or plain dataclasses (curriculum's domain/records.py), never the
    ORM rows they read: no entrypoint imports an ORM-mapped class, and no public service-layer function
    returns one or a dataclass holding one."""
    found, used_left = [], set()
    for name, path in service_modules("service_layer", "entrypoints"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        orm = imported_orm_names(tree)
        problems = []
        if name.split(".")[2] == "entrypoints" and orm:
            problems.append(f"{name} imports ORM classes {sorted(orm)}")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                if hit := annotation_names(node.returns) & orm:
                    problems.append(f"{name}.{node.name} returns {sorted(hit)}")
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.AnnAssign) and (hit := annotation_names(item.annotation) & orm):
                        problems.append(f"{name}.{node.name} holds {sorted(hit)}")
        if problems and is_left(name, ORM_LEFT):
            used_left |= {m for m in ORM_LEFT if is_left(name, {m})}
        else:
            found += problems
    assert found == [], "ORM objects stay in the unit of work: return records (domain values)"
    assert used_left == ORM_LEFT, f"no longer needed, drop from ORM_LEFT: {sorted(ORM_LEFT - used_left)}"


def session_factory_uses(tree: ast.AST) -> list[int]:
    """Lines where a module takes a session factory or opens a session from one itself."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and "sessionmaker" in ast.unparse(node.annotation or ast.Constant("")):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and not node.args and not node.keywords:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("sessions", "_sessions", "session_factory", "_session_factory"):
                lines.append(node.lineno)
    return lines


def test_use_cases_and_handlers_work_in_a_unit_of_work() -> None:
    """A use case takes its service's deps and works in `deps.unit_of_work()` (identity's shape); an
    event handler is given the consumer's unit of work (ejournal_platform.consumer.Handler). Only the
    deps that build the factory (`deps.py`, gradebook's `context.py`) hold a session factory."""
    found = []
    for name, path in service_modules("service_layer"):
        if name.rsplit(".", 1)[-1] in ("deps", "context"):
            continue
        if lines := session_factory_uses(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{name}: lines {lines}")
    assert found == [], "take the service's deps and open `deps.unit_of_work()`, not sessions"


def test_an_entrypoints_translation_module_is_named_translate() -> None:
    """Requests and results become messages in each service's `entrypoints/translate.py`."""
    odd = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "services").glob("*/entrypoints/*.py")
        if re.search(r"convert|mapper|mapping|translat", p.stem) and p.stem != "translate"
    ]
    assert odd == [], "name the translation module translate.py"


# A write use case (a public coroutine of a service layer that takes its service's deps and commits,
# itself or through a private helper of its module) takes nothing positional beyond
# (deps, principal, cmd), in that order: the caller is an argument, never a context variable, and
# everything else travels in the keyword-only command dataclass (identity's create_person). A system
# procedure may leave out the principal or the command (curriculum's republish_structure(deps)); an
# option that is not data (run_import's progress callback) is keyword-only.
WRITE_SHAPE = ("deps", "principal", "cmd")
# Write use cases still in their own shape: none is left in any service (issue 15, part 4), and none
# may join.
WRITES_LEFT: set[str] = set()


def commits(
    function: ast.AST, module_functions: dict[str, ast.AST], seen: frozenset[str] = frozenset()
) -> bool:
    """Whether the function calls `.commit()`, itself or through a function of its own module."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "commit":
                return True
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            helper = module_functions.get(name) if name not in seen else None
            if helper is not None and commits(helper, module_functions, seen | {name}):
                return True
    return False


def write_use_cases() -> Iterator[tuple[str, ast.AsyncFunctionDef]]:
    for name, path in service_modules("service_layer"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions: dict[str, ast.AST] = {
            n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for fname, node in functions.items():
            if not isinstance(node, ast.AsyncFunctionDef) or fname.startswith("_"):
                continue
            positional = node.args.posonlyargs + node.args.args
            if positional and positional[0].arg == "deps" and commits(node, functions):
                yield f"{name}.{fname}", node


def test_write_use_cases_take_deps_principal_and_a_command() -> None:
    shapes = {}
    for qualified, node in write_use_cases():
        positional = [a.arg for a in node.args.posonlyargs + node.args.args]
        if node.args.vararg or positional != [p for p in WRITE_SHAPE if p in positional]:
            shapes[qualified] = f"({', '.join(positional)})"
    converted = {q: s for q, s in shapes.items() if q.split(".")[1] in ("curriculum", "identity", "notifier")}
    assert converted == {}, "their write use cases take (deps, principal, cmd)"
    new = {q: s for q, s in shapes.items() if q not in WRITES_LEFT}
    assert new == {}, "a write use case takes (deps, principal, cmd), the rest keyword-only in cmd"


def test_the_convention_test_sees_curriculums_write_use_cases() -> None:
    """The test above is only as good as its finder: it must see every curriculum command."""
    found = {q.rsplit(".", 1)[-1] for q, _ in write_use_cases() if q.startswith("services.curriculum.")}
    assert {"define_university", "define_group", "enroll_student", "run_import", "change_deadline"} <= found


def test_the_convention_test_sees_identitys_and_notifiers_write_use_cases() -> None:
    """Identity's and notifier's commands were reshaped (issue 15 part 4): the finder must see them,
    or the shape test above would pass by seeing nothing."""
    found = {q for q, _ in write_use_cases()}
    identity = "services.identity.service_layer"
    assert {
        f"{identity}.auth.login", f"{identity}.auth.refresh", f"{identity}.bootstrap.ensure_accounts",
        f"{identity}.bootstrap.create_first_administrator", f"{identity}.credentials.issue_credentials",
        f"{identity}.login_requests.decide", f"{identity}.roles.revoke_role",
        f"{identity}.substitutions.appoint", "services.notifier.service_layer.my_notices.mark_read",
    } <= found  # fmt: skip


# Curriculum's service layer decides; its adapters build the SQL (repositories such as
# adapters/structure_repo.py, reached through the unit of work's session, like identity's people_repo).
# A service-layer module may type a session (sqlalchemy.ext.asyncio) but builds no query.


def builds_queries(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] == "sqlalchemy" and node.module != "sqlalchemy.ext.asyncio":
                return True
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlalchemy" for a in node.names):
            return True
    return False


def test_curriculums_service_layer_builds_no_sql_query() -> None:
    building = {
        name
        for name, path in service_modules("service_layer")
        if name.startswith("services.curriculum.")
        and builds_queries(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert building == set(), "build the query in a repository of adapters/"


# Issue 15 part 4: a service layer asks its repositories (adapters/) for rows; it builds no query.
NO_QUERIES_IN_SERVICE_LAYER = services()
# Names of sqlalchemy a service layer may still import: types of what its deps hand it, not builders.
SQLALCHEMY_TYPES = {"AsyncSession", "async_sessionmaker", "AsyncEngine", "Table"}
# Running a statement is the adapters' job too: a service layer that calls these built one.
RUNS_A_STATEMENT = {"execute", "scalar", "scalars", "stream", "stream_scalars"}


def query_building(tree: ast.AST) -> list[str]:
    """What in a module builds or runs a SQLAlchemy query: imports of sqlalchemy's builders (select,
    insert, update, delete, func, and_, case …), a table's columns (`table.c.x`), statements run."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] == "sqlalchemy"
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            builders = [a.name for a in node.names if a.name not in SQLALCHEMY_TYPES]
            found += [f"{node.lineno}: {node.module}.{name}" for name in builders]
        elif isinstance(node, ast.Attribute) and node.attr == "c" and isinstance(node.ctx, ast.Load):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RUNS_A_STATEMENT
        ):
            found.append(f"{node.lineno}: .{node.func.attr}()")
    return found


def query_building_modules(service: str) -> dict[str, list[str]]:
    return {
        name: hits
        for name, path in service_modules("service_layer")
        if name.split(".")[1] == service
        and (hits := query_building(ast.parse(path.read_text(encoding="utf-8"))))
    }


@pytest.mark.parametrize("service", NO_QUERIES_IN_SERVICE_LAYER)
def test_the_service_layer_builds_no_queries(service: str) -> None:
    """Identity's, notifier's, reporting's, workflow's and subscribers' use cases reach rows through
    adapters (repositories and query modules taking the unit of work's session); declarative projections
    name their tables and rows, and the adapter that applies them builds the statements. (Identity's
    bootstrap, contacts and key ring, notifier's absences and subscribers' admin, intake, dispatch, export
    and metrics built queries until issue 15's shapeid and shaperest lanes: the test failed on them.)"""
    found = query_building_modules(service)
    assert found == {}, f"build queries in services/{service}/adapters/, not in its service layer"


# Gradebook's service layer reaches its rows through repositories in adapters/ (sections_repo,
# statements_repo, disputes_repo, fill_repo, reads_repo, projections_repo …, each taking the unit of
# work's session): it is in NO_QUERIES_IN_SERVICE_LAYER, with no module excepted since issue 15's
# lanes shape3 (fill) and grid3 (reads) moved the last queries out.


def test_the_gradebook_check_sees_a_query_built_in_a_use_case() -> None:
    """The check above is only as good as its finder: a use case building and running a statement, or
    importing a builder, is seen."""
    use_case = """
from sqlalchemy import select
async def closed(session, journal_id):
    return (await session.execute(select(t.sections.c.closed_at))).scalar()
"""
    assert len(query_building(ast.parse(use_case))) >= 4
    assert query_building(ast.parse("from sqlalchemy.ext.asyncio import AsyncSession")) == []


# Issue 15 part 3: a repository hands its use cases typed records (frozen keyword-only dataclasses or
# named tuples, filled by column name), never SQLAlchemy rows or Any, so a use case reads
# `grant.section_id`, not `row[4]`, and mypy checks the name (a dataclass cannot be indexed at all).
# The services below are there; the others' repositories still return rows (docs/architecture.md,
# "What is left").
TYPED_RECORDS = ("curriculum", "gradebook", "notifier", "subscribers")
UNTYPED_ROW = re.compile(
    r"^(Any|Row(\[.*\])?|(Sequence|list|Iterable|Iterator)\[(Any|Row.*)\]|dict\[.*, (Any|Row.*)\]"
    r"|(Any|Row.*) \| None|Optional\[(Any|Row.*)\])$"
)


def untyped_rows(tree: ast.AST) -> list[str]:
    """The module's public functions that return a row, Any, or a collection of them."""
    return [
        f"{node.lineno}: {node.name} -> {ast.unparse(node.returns)}"
        for node in ast.iter_child_nodes(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and node.returns is not None
        and UNTYPED_ROW.match(ast.unparse(node.returns).strip("'\""))
    ]


@pytest.mark.parametrize("service", TYPED_RECORDS)
def test_repositories_return_typed_records_not_rows(service: str) -> None:
    found = {
        name: hits
        for name, path in service_modules("adapters")
        if name.split(".")[1] == service
        and (hits := untyped_rows(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "return a record of named fields (ejournal_platform.records), not a row by position"


def test_the_record_check_sees_a_row_handed_out() -> None:
    """The check above is only as good as its finder: rows, Any and collections of them are seen;
    records, ids and scalars are not."""
    repo = """
async def grant(session) -> Any | None: ...
async def people(session) -> list[Row[Any]]: ...
async def loads(session) -> dict[uuid.UUID, Any]: ...
async def history(session) -> Sequence[Row[Any]]: ...
async def raw(session) -> Any: ...
async def fine(session) -> list[Grant]: ...
async def ids(session) -> dict[uuid.UUID, uuid.UUID]: ...
async def count(session) -> int: ...
async def _private(session) -> Any: ...
"""
    assert [hit.split(": ")[1].split(" ")[0] for hit in untyped_rows(ast.parse(repo))] == [
        "grant", "people", "loads", "history", "raw",
    ]  # fmt: skip


def adapter_names(tree: ast.AST, service: str) -> set[str]:
    """Local names a module binds to its service's adapters (the modules, or anything from them)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            f"services.{service}.adapters"
        ):
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {
                a.asname or a.name for a in node.names if a.name.startswith(f"services.{service}.adapters")
            }
    return names


def event_handlers(tree: ast.AST) -> Iterator[ast.AsyncFunctionDef]:
    """Functions of the shape `ejournal_platform.consumer.Handler`: (uow, event: ReceivedEvent)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef) and any(
            "ReceivedEvent" in ast.unparse(a.annotation or ast.Constant("")) for a in node.args.args
        ):
            yield node


def adapter_typed_parameters(tree: ast.AST, adapters: set[str]) -> set[str]:
    """Parameters annotated with an adapter's type (a handler factory's `closing: ClosingProcesses`),
    which a handler closing over them would reach directly."""
    return {
        a.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for a in node.args.args + node.args.kwonlyargs
        if a.annotation is not None
        and {n.id for n in ast.walk(a.annotation) if isinstance(n, ast.Name)} & adapters
    }


def test_workflows_event_handlers_call_use_cases_not_stores() -> None:
    """A workflow consumer's handler translates the event into a command and calls a service-layer
    use case with the consumer's unit of work; the use case decides, the stores only persist. So a
    handler names no store, no other adapter (imported, or a factory's parameter of an adapter's type),
    and no session."""
    found, handlers = [], 0
    for name, path in service_modules("entrypoints"):
        if name.split(".")[1] != "workflow":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        adapters = adapter_names(tree, "workflow")
        reached = adapters | adapter_typed_parameters(tree, adapters)
        for handler in event_handlers(tree):
            handlers += 1
            for node in ast.walk(handler):
                if isinstance(node, ast.Name) and node.id in reached:
                    found.append(f"{name}.{handler.name}:{node.lineno} {node.id}")
                elif isinstance(node, ast.Attribute) and node.attr == "session":
                    found.append(f"{name}.{handler.name}:{node.lineno} {ast.unparse(node)}")
    assert handlers >= 2, "workflow's gradebook and curriculum handlers are found"
    assert found == [], "a handler calls a use case in service_layer/, which reaches the stores"
