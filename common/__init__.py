"""Low-level pieces every part of bilan may import (source spans, the user-error type): nothing here
imports the rest of bilan, so no import cycle can go through it."""
