"""Reading the shipped regulation profiles (package data `ejournal_regulation/profiles/<code>.yaml`)
and validating any profile document into a RegulationProfile."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

import yaml

from ejournal_regulation.model import RegulationProfile
from ejournal_regulation.parts import parse_profile_parts
from ejournal_regulation.reader import ProfileError, Reader

# The YAML files ship inside the package, so an installed wheel or a container image finds them
# without the source tree.
PROFILES_DIR: Traversable = resources.files("ejournal_regulation") / "profiles"


def parse_profile(data: object, source: str = "<data>") -> RegulationProfile:
    """Validate untyped data (a parsed YAML document) into a profile, or raise ProfileError."""
    reader = Reader()
    parts = parse_profile_parts(reader, data)
    if reader.problems or parts is None:
        raise ProfileError(source, reader.problems or [("<root>", "unreadable")])
    return RegulationProfile(**parts)


def load_profile(path: Traversable) -> RegulationProfile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(str(path), [("<file>", f"cannot be read: {error.strerror or error}")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ProfileError(str(path), [("<file>", f"is not valid YAML: {error}")]) from None
    profile = parse_profile(data, str(path))
    stem = path.name.removesuffix(".yaml")
    if profile.code != stem:
        raise ProfileError(str(path), [("code", f"{profile.code!r} does not match the file name {stem!r}")])
    return profile


def load_profiles(directory: Traversable = PROFILES_DIR) -> dict[str, RegulationProfile]:
    files = sorted((p for p in directory.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    profiles = [load_profile(p) for p in files]
    return {p.code: p for p in profiles}


@cache
def get_profile(code: str) -> RegulationProfile:
    """A shipped profile by code (cached); KeyError names the known codes."""
    known = load_profiles()
    if code not in known:
        raise KeyError(f"unknown regulation profile {code!r}; known: {', '.join(sorted(known))}")
    return known[code]


def profile_document(code: str) -> str:
    """The YAML text of a shipped profile, as written (for clients that show the whole document)."""
    get_profile(code)
    return (PROFILES_DIR / f"{code}.yaml").read_text(encoding="utf-8")
