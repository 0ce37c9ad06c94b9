"""`fangxian import FILE --into people --region CODE [--year 2020] [--commit] [--json]`;
`--into orders --unit 县疾控中心` checks a quarantine list (隔离名单) sent by that unit."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from fangxian.accounts.models import User
from fangxian.imports import services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.regions.models import Region


class Command(BaseCommand):
    help = "Check a roster (xlsx, xls, ods, csv) against the ledger; save it only with --commit."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into", choices=ImportJob.Target.values, default=ImportJob.Target.PEOPLE
        )
        parser.add_argument("--region", required=True, help="code of the region the rows belong to")
        parser.add_argument(
            "--unit",
            default="",
            help="for --into orders: the unit that sent the list (县疾控中心)",
        )
        parser.add_argument("--year", type=int, help="year of dates written without one (1月23日)")
        parser.add_argument(
            "--user",
            default="",
            help="account the import is made as (default: the first superuser)",
        )
        parser.add_argument("--commit", action="store_true", help="save the checked rows")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object"
        )

    def handle(
        self,
        *args,
        file: Path,
        into: str,
        region: str,
        year,
        unit: str,
        user: str,
        commit: bool,
        as_json: bool,
        **options,
    ):
        if not file.exists():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        place = Region.objects.filter(Q(code=region) | Q(path=region)).first()
        if place is None:
            raise CommandError(
                _("No unit with the code %(code)s; bootstrap it first.") % {"code": region}
            )
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
        )
        if actor is None:
            raise CommandError(_("No account to import as; name one with --user."))
        try:
            job = services.import_create(
                actor=actor,
                region=place,
                path=file,
                original_name=file.name,
                year=year,
                target=into,
                source_unit=unit,
            )
            job = services.import_check(job=job, actor=actor)
            if job.status == ImportJob.Status.FAILED:
                raise CommandError(job.problem)
            if commit:
                job = services.import_commit(job=job, actor=actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(
                _("%(user)s may not import this into %(region)s.")
                % {"user": actor.username, "region": place}
            ) from error
        report = {
            "create": job.counts.get(ImportRow.Action.CREATE, 0),
            "update": job.counts.get(ImportRow.Action.UPDATE, 0),
            "unchanged": job.counts.get(ImportRow.Action.UNCHANGED, 0),
            "trips": job.counts.get("trips", 0),
            "errors": [
                e
                for e in services.import_errors(job=job)
                if e["row"] not in self._duplicate_rows(job)
            ],
            "duplicates": [
                {"row": r.row_number, "message": r.errors[0]["message"] if r.errors else ""}
                for r in job.rows.filter(action=ImportRow.Action.DUPLICATE).order_by("row_number")
            ],
            "committed": job.status == ImportJob.Status.COMMITTED,
            "batches": job.counts.get("batches", []),
            "import_id": job.pk,
        }
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self._print(job, report)

    @staticmethod
    def _duplicate_rows(job) -> set[int]:
        return set(
            job.rows.filter(action=ImportRow.Action.DUPLICATE).values_list("row_number", flat=True)
        )

    def _print(self, job, report) -> None:
        self.stdout.write(
            _(
                "%(file)s: header on row %(header)s; %(create)s to create, %(update)s to update, "
                "%(unchanged)s unchanged, %(errors)s rows with errors, %(duplicates)s duplicates."
            )
            % {
                "file": job.original_name,
                "header": job.header_row,
                "create": report["create"],
                "update": report["update"],
                "unchanged": report["unchanged"],
                "errors": len({e["row"] for e in report["errors"]}),
                "duplicates": len(report["duplicates"]),
            }
        )
        for error in report["errors"]:
            self.stdout.write(_("Row %(row)s, column %(column)s: %(message)s") % error)
        for duplicate in report["duplicates"]:
            self.stdout.write(_("Row %(row)s: %(message)s") % duplicate)
        if report["committed"]:
            self.stdout.write(_("Saved: %(created)s created, %(updated)s updated.") % job.counts)
        else:
            self.stdout.write(_("Nothing saved; run again with --commit to save."))
