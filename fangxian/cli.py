"""The `fangxian` command: `fangxian <group> <verb> …` runs the management command `<group>_<verb>`.

fangxian serve [--host 127.0.0.1] [--port 8000]   start the product (waitress, the task worker, the figures refresher)
fangxian demo                                     build the demo township
fangxian region bootstrap 530113105               create a township from the NBS codes
fangxian region list 530113105000                 children of a unit, code<TAB>name
fangxian import FILE --into people --region CODE [--year 2020] [--commit] [--json]
fangxian import FILE --into orders --region CODE --unit 县疾控中心 [--commit] [--json]   a quarantine list
fangxian import FILE --into enterprises --region CODE [--commit] [--json]   the enterprise registry
fangxian report daily --region CODE [--date YYYY-MM-DD] --out FILE.docx   a township's 日报
fangxian manage <django command> …                any Django management command
"""

import os
import sys

# Single-word commands whose Django name differs (a module cannot be called `import`).
ALIASES = {"import": "import_roster"}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangxian.settings")
    import django

    django.setup()


def serve(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="fangxian serve")
    parser.add_argument("--host", default=os.environ.get("FANGXIAN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("FANGXIAN_PORT", "8000")))
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--no-worker", action="store_true", help="do not start the background worker (run it apart)"
    )
    args = parser.parse_args(argv)
    _setup()
    import signal
    import subprocess

    from waitress import serve as waitress_serve

    from fangxian.wsgi import application

    worker = None
    helpers = []
    if not args.no_worker:
        # The background worker (imports and other long work) beside the web server, so that
        # one command runs the whole product; it stops with the server.
        worker = subprocess.Popen(
            [sys.executable, "-m", "fangxian.cli", "manage", "db_worker", "--queue-name", "*"]
        )
        # The dashboard's figures: the roll-up refreshed every minute (reports.rollup).
        helpers.append(
            subprocess.Popen(
                [sys.executable, "-m", "fangxian.cli", "manage", "refresh_figures", "--loop"]
            )
        )
    print(f"Fangxian: http://{args.host}:{args.port}/", flush=True)
    # Stop the worker too when the server is told to stop (SIGTERM from systemd, kill …).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        waitress_serve(application, host=args.host, port=args.port, threads=args.threads)
    finally:
        for process in [*helpers, worker]:
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    if argv[0] == "serve":
        serve(argv[1:])
        return
    _setup()
    from django.core.management import execute_from_command_line, get_commands

    argv[0] = ALIASES.get(argv[0], argv[0])
    if argv[0] == "manage":
        execute_from_command_line(["fangxian", *argv[1:]])
        return
    if len(argv) >= 2 and f"{argv[0]}_{argv[1]}" in get_commands():
        execute_from_command_line(["fangxian", f"{argv[0]}_{argv[1]}", *argv[2:]])
        return
    execute_from_command_line(["fangxian", *argv])


if __name__ == "__main__":
    main()
