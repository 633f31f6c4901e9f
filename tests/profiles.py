"""How many random or repeated cases the tests run: few by default, so that the core suite runs in
seconds, many in CI (`BILAN_TEST_PROFILE=ci`, set by .ci/run), which has the time.

The Hypothesis properties, the compiler's fuzz test, the differential test of the generated program
and the race of processes on a fresh store take their counts from here; the checks run on every
shipped campaign (the incremental parse against a whole-file parse, the formatter's layouts of a
whole file) take the small coverage campaign by default (the 2009 campaign is formatted, compiled
and edited by other core tests), every campaign in CI; the guard against quadratic text wrapping
takes a shorter word by default. Both profiles run the same checks; only how many cases they try
differs.
"""

from __future__ import annotations

import os
from typing import TypeVar

from hypothesis import HealthCheck, settings

PROFILES = ("dev", "ci")
PROFILE = os.environ.get("BILAN_TEST_PROFILE", "dev")
if PROFILE not in PROFILES:
    raise SystemExit(f"BILAN_TEST_PROFILE={PROFILE!r}: expected one of {', '.join(PROFILES)}")


T = TypeVar("T")


def by_profile(dev: T, ci: T) -> T:
    """A count of cases (or the inputs to try, or a size): `dev` by default, `ci` in CI."""
    return ci if PROFILE == "ci" else dev


EXAMPLES = by_profile(25, 400)  # examples per Hypothesis property

# No deadline: a machine loaded by other work must not fail a test that only checks results.
settings.register_profile(PROFILE, max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(PROFILE)
