"""Problems found in content, and the exception that carries them to the CLI.

A problem always names a file and, where one exists, a line, a column and the
field path, so a contributor can go straight to the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    message: str
    field: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        label = "warning" if self.severity == "warning" else "error"
        path = f" {self.field}:" if self.field else ""
        return f"{where}: {label}:{path} {self.message}"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        # Pickled with its problems (not its message), so it crosses from a rendering process intact.
        return (ContentError, (self.problems,))


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.file, problem.line or 0, problem.column or 0)


@dataclass
class Report:
    """Collects problems while content is loaded, so all of them are reported at once."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.resolved_root = self.root.resolve()  # once: rel() runs for every file of every build

    def rel(self, path: Path) -> str:
        if path.is_absolute() and path.is_relative_to(self.root) and ".." not in path.parts:
            return str(path.relative_to(self.root))  # the usual case, without touching the disk
        try:
            return str(path.resolve().relative_to(self.resolved_root))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int | None, message: str, column: int | None = None, field: str = "") -> None:
        self.problems.append(Problem(self.rel(path), line, column, message, field))

    def warn(self, path: Path, line: int | None, message: str, column: int | None = None, field: str = "") -> None:
        self.problems.append(Problem(self.rel(path), line, column, message, field, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self, strict: bool = False) -> None:
        failing = self.problems if strict else self.errors
        if failing:
            raise ContentError(failing)
