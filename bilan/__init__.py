"""bilan: the yearly infection-control report (bilan LIN) as a language, an engine and an app."""

__version__ = "0.1.0"
