"""Errors of the classifier (small and specific; the API maps them to one JSON error shape)."""

from __future__ import annotations


class ClassifyError(Exception):
    """Base class."""


class ModelFormatError(ClassifyError):
    """The artefact is of an unknown format version or malformed: retrain."""


class UntrustedModelPath(ClassifyError):
    """A model was asked for from outside the package's shipped file and the models directory."""


class NoModel(ClassifyError):
    """No trained model is available."""
