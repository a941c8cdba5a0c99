"""The package list, which pyproject.toml cannot state: bot's own packages plus the two data
packages that pyproject.toml maps to the top-level knowledge/ and dialogs/ folders. Everything
else about the build is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["bot", "bot.*"]), "bot._knowledge", "bot._dialogs"])
