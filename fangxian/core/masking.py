"""Masking of personal identifiers for lists and exports. Pure functions, no Django."""


def mask_id_number(value: str) -> str:
    """Keep the area code and the last four characters: 530113********1234."""
    if not value:
        return ""
    if len(value) == 18:
        return value[:6] + "*" * 8 + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits of a mobile number: 138****5678."""
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_name(value: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧阳** (for public screens and de-identified output)."""
    if not value:
        return ""
    keep = 2 if len(value) >= 4 else 1
    return value[:keep] + "*" * (len(value) - keep)
