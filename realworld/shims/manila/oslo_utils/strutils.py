"""oslo_utils.strutils' two conversions manila's data migrations use (as oslo.utils defines them)."""

TRUE_STRINGS = ("1", "t", "true", "on", "y", "yes")


def bool_from_string(subject, strict=False, default=False) -> bool:
    if isinstance(subject, bool):
        return subject
    lowered = str(subject).strip().lower()
    if lowered in TRUE_STRINGS:
        return True
    if lowered in ("0", "f", "false", "off", "n", "no"):
        return False
    if strict:
        raise ValueError(f"Unrecognized value {subject!r}")
    return default


def int_from_bool_as_string(subject) -> int:
    return int(bool_from_string(subject))
