"""Maintainer scripts, run as ``python tools/NAME.py`` (a package so that tests can import them)."""
