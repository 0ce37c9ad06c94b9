"""Writes to the people ledger. Each service owns its transaction and audit entry."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.people import idnumber, names
from fangxian.people.models import Household, Person
from fangxian.people.validators import id_number_validation_error
from fangxian.regions.models import Region

LEDGER_LEVELS = (Region.Level.GRID, Region.Level.GROUP)
# Documents whose numbers follow GB 11643 and get its checks (and give birth date and sex).
ID_FORMAT_DOCUMENTS = (Person.DocumentType.RESIDENT_ID, Person.DocumentType.HKMT_RESIDENCE)


def _check_ledger_region(region: Region) -> None:
    if region.level not in LEDGER_LEVELS:
        raise ValidationError({"region": _("Households belong to a grid or a villager group.")})


def person_identity(*, document_type: str, id_number: str) -> dict[str, Any]:
    """Normalise a document number; for resident IDs check it and derive birth date and sex."""
    if document_type in ID_FORMAT_DOCUMENTS:
        try:
            parsed = idnumber.parse(id_number)
        except idnumber.IdNumberError as error:
            raise id_number_validation_error(error) from None
        if (document_type == Person.DocumentType.HKMT_RESIDENCE) != parsed.is_permit:
            raise ValidationError(
                {
                    "id_number": _(
                        "Residence permits of Hong Kong, Macau and Taiwan residents start with 810000, "
                        "820000 or 830000; resident ID numbers never do."
                    )
                }
            )
        return {"id_number": parsed.number, "birth_date": parsed.birth_date, "sex": parsed.sex}
    return {"id_number": idnumber.normalize(id_number)}


def _check_duplicate(person: Person) -> None:
    if not person.id_number:
        return
    others = Person.objects.filter(document_type=person.document_type, id_number=person.id_number)
    if person.pk:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise ValidationError(
            {"id_number": _("A person with this document number is already in the ledger.")}
        )


def _fill_derived(person: Person) -> None:
    person.name = person.name.strip()
    person.name_pinyin, person.name_initials = names.pinyin_keys(person.name)
    person.id_tail = person.id_number[-4:]
    person.phone = idnumber.normalize(person.phone)


@transaction.atomic
def household_create(
    *,
    actor: Any,
    region: Region,
    address: str,
    head_name: str = "",
    phone: str = "",
    number: str = "",
    notes: str = "",
) -> Household:
    """Register a household in a grid or villager group."""
    _check_ledger_region(region)
    household = Household(
        region=region,
        address=address.strip(),
        head_name=head_name.strip(),
        phone=idnumber.normalize(phone),
        number=number.strip(),
        notes=notes,
    )
    household.full_clean()
    household.save()
    audit_record(actor=actor, action=Action.CREATE, obj=household)
    return household


@transaction.atomic
def person_create(
    *,
    actor: Any,
    household: Household,
    name: str,
    document_type: str,
    id_number: str,
    phone: str = "",
    relation: str = "",
    notes: str = "",
    birth_date=None,
    sex: str = "",
) -> Person:
    """Register a resident in a household. For resident ID cards birth date and sex are derived
    from the number (any typed values are ignored); other documents keep what was entered."""
    identity = person_identity(document_type=document_type, id_number=id_number)
    person = Person(
        household=household,
        region_id=household.region_id,
        name=name,
        document_type=document_type,
        phone=phone,
        relation=relation,
        notes=notes,
        **({"birth_date": birth_date, "sex": sex} | identity),
    )
    _fill_derived(person)
    _check_duplicate(person)
    person.full_clean()
    person.save()
    audit_record(actor=actor, action=Action.CREATE, obj=person)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change a resident's record; the audit entry names the changed fields, values masked."""
    if "document_type" in fields or "id_number" in fields:
        fields.update(
            person_identity(
                document_type=fields.get("document_type", person.document_type),
                id_number=fields.get("id_number", person.id_number),
            )
        )
    before = {name: getattr(person, name) for name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    _fill_derived(person)
    changed = {name for name in fields if getattr(person, name) != before[name]}
    if not changed:
        return person
    _check_duplicate(person)
    person.full_clean()
    person.save()
    masks = {"id_number": mask_id_number, "phone": mask_phone}
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        changes={
            name: [masks[name](str(before[name])), masks[name](str(getattr(person, name)))]
            if name in masks
            else [str(before[name]), str(getattr(person, name))]
            for name in sorted(changed)
        },
    )
    return person


@transaction.atomic
def person_delete(*, actor: Any, person: Person) -> None:
    audit_record(actor=actor, action=Action.DELETE, obj=person)
    person.delete()
