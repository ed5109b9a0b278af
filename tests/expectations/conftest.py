import pytest

from newsflow.validation import Validator


@pytest.fixture(scope="session")
def validator(tmp_path_factory) -> Validator:
    """One GX context for all suite tests (its import and set-up cost seconds)."""
    return Validator(tmp_path_factory.mktemp("validation"))
