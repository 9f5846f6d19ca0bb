"""Every output name of a batch of pictures or clips, chosen and checked before anything is rendered.

Two inputs never share an output (``photo.jpg`` and ``photo.png`` in one folder get
``photo-jpg_…`` and ``photo-png_…``), an output is never also an input of the same batch (a
batch run again in place does not stylise its own earlier results), and whatever would stop a
save — an existing file without ``--overwrite``, a name too long, a folder that cannot be
written — is found before the render, not after it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import describe_os_error
from ..io.imageio import SkippedInput, folder_problem, output_name_problem


@dataclass(frozen=True)
class Naming:
    """How outputs are named: ``output`` if given (one input), else ``<stem>_<tag>.<suffix>`` in
    ``folder`` (None: beside each input); with no suffix, ``<name>_<tag>`` (a folder of frames)."""

    tag: str
    suffix: str | None
    folder: Path | None = None
    output: Path | None = None

    def target(self, source: Path, stem: str) -> Path:
        name = f"{stem}_{self.tag}" + (f".{self.suffix}" if self.suffix else "")
        return self.output or (self.folder or source.parent) / name


@dataclass
class OutputPlan:
    jobs: list[tuple[Path, Path]] = field(default_factory=list)  # (input, output), in input order
    skipped: list[SkippedInput] = field(default_factory=list)  # left out on purpose: not failures
    refused: list[SkippedInput] = field(default_factory=list)  # whose output cannot be saved: failures


NameProblem = Callable[[Path], "str | None"]
"""What is wrong with an output's name and type, or None (a picture's: ``output_name_problem``)."""


def plan_outputs(files: list[Path], naming: Naming, *, overwrite: bool,
                 name_problem: NameProblem = output_name_problem) -> OutputPlan:
    plan = OutputPlan()
    sources = _without_repeats(files, plan)
    while True:  # leaving out an earlier output can change the names of the others: repeat until stable
        targets = _targets(sources, naming)
        output_of = {_identity(target): source for source, target in targets.items()}
        earlier_outputs = {s: output_of[_identity(s)] for s in sources if output_of.get(_identity(s), s) != s}
        if not earlier_outputs:
            break
        for source, owner in earlier_outputs.items():
            plan.skipped.append(SkippedInput(source, f"the output for {owner.name} in this batch; not stylised again"))
        sources = [s for s in sources if s not in earlier_outputs]
    claimed: dict[str, Path] = {}
    folder_problems: dict[str, str | None] = {}
    for source in sources:
        target = targets[source]
        problem = _problem(source, target, overwrite, folder_problems, name_problem)
        if problem is None and _identity(target) in claimed:
            problem = f"its output {target.name} is already the output for {claimed[_identity(target)].name}; rename one"
        if problem is not None:
            plan.refused.append(SkippedInput(source, f"{source.name}: {problem}"))
            continue
        claimed[_identity(target)] = source
        plan.jobs.append((source, target))
    return plan


def _without_repeats(files: list[Path], plan: OutputPlan) -> list[Path]:
    """Each file once, under the name that is not a link where there is one."""
    chosen: dict[str, int] = {}  # identity -> index in files
    for index, path in enumerate(files):
        key = _identity(path)
        if key not in chosen or (os.path.islink(files[chosen[key]]) and not os.path.islink(path)):
            chosen[key] = index
    kept = set(chosen.values())
    for index, path in enumerate(files):
        if index not in kept:
            first = files[chosen[_identity(path)]]
            plan.skipped.append(SkippedInput(path, f"named twice (the same file as {first})"))
    return [path for index, path in enumerate(files) if index in kept]


def _targets(sources: list[Path], naming: Naming) -> dict[Path, Path]:
    """Each input's output; inputs whose names differ only in their type keep the type in it."""
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    stem_of = (lambda path: path.stem) if naming.suffix else (lambda path: path.name)
    for source in sources:
        # casefold: on a case-insensitive disk Photo.png and photo.png are one output
        groups[(_identity(naming.folder or source.parent), stem_of(source).casefold())].append(source)
    targets = {}
    for members in groups.values():
        for source in members:
            shared = len(members) > 1 and source.suffix and naming.suffix
            stem = f"{source.stem}-{source.suffix.lstrip('.').lower()}" if shared else stem_of(source)
            targets[source] = naming.target(source, stem)
    return targets


def _problem(source: Path, target: Path, overwrite: bool, folder_problems: dict[str, str | None],
             name_problem: NameProblem) -> str | None:
    if _identity(target) == _identity(source):
        return "its output would replace the input itself"
    folder = _identity(target.parent)
    if folder not in folder_problems:  # one probe per folder, not per picture
        folder_problems[folder] = folder_problem(target.parent)
    if folder_problems[folder] is not None:
        return folder_problems[folder]
    if os.path.lexists(target) and not os.path.isdir(target) and not overwrite:
        return f"its output {target} already exists (--overwrite replaces it)"
    return name_problem(target)


def _identity(path: Path) -> str:
    """One key for every way of naming the same file or folder: links, '.', '..'."""
    return os.path.normcase(os.path.realpath(path))


def same_file(a: Path, b: Path) -> bool:
    return _identity(a) == _identity(b)


def out_dir_problem(args) -> str | None:
    """What is wrong with ``--out-dir``, which is created here (for pictures and clips alike)."""
    if args.out_dir is None:
        return None
    if os.path.lexists(args.out_dir) and not os.path.isdir(args.out_dir):
        return f"--out-dir {args.out_dir} is a file, not a folder"
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"--out-dir {args.out_dir} cannot be created ({describe_os_error(exc)})"
    return folder_problem(args.out_dir)
