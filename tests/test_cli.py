"""The operator's CLI: import (all or nothing), cases, manifest, db, configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from sparbot.cli import app
from sparbot.cli_help import missing_texts
from sparbot.db import make_engine
from sparbot.devtools.slack_reference import reference_dir
from sparbot.enums import Language, OutboxStatus
from sparbot.models import OutboxMessage, Placement

runner = CliRunner()

GOOD = (
    "\ufeffref;programme;purpose;start;weeks;mentor;company_consultant;"
    "jobcenter_consultant;cadence\n"
    "ZA;Trædesten til job;ordinær;2026-09-01;26;U0MENTOR;U0CONSULT;jonas@kommune.dk;ugentlig\n"
    "LBW;Sygemeldte;retention;1/10/2026;;mette@udbyder.dk;;;hveranden\n"
    "Zara;LFI;afklaring;2026-11-02;13;<@U0MENTOR|mette>;;;\n"
)


def invoke(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"DATABASE_URL": database_url,
                                                 "SPARBOT_LANGUAGE": "da"})
    return result.exit_code, result.output


def test_import_then_list(database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 0, output
    assert "3 sager importeret. Filen blev læst som CSV i UTF-8." in output
    code, output = invoke(database_url, "cases", "--json", "--now", "2026-11-24T10:00")
    rows = json.loads(output)
    assert [row["ref"] for row in rows] == ["LBW", "ZA", "Zara"]
    za = rows[1]
    assert (za["week"], za["weeks"], za["end"]) == (13, 26, "2027-03-01")
    assert za["purpose"] == "ordinary-employment" and za["jobcenter_consultant"] == \
        "jonas@kommune.dk"
    assert rows[0]["mentor"] == "mette@udbyder.dk" and rows[0]["cadence"] == "biweekly"
    assert rows[2]["weeks"] == 13


def test_a_bad_row_names_its_line_and_nothing_is_imported(database_url: str,
                                                          tmp_path: Path) -> None:
    bad = GOOD + "ZA;LFI;ordinær;2026-11-01;26;U0MENTOR;;;\n" \
                 "QQ;LFI;månen;2026-11-01;26;U0MENTOR;;;\n" \
                 "RR;LFI;ordinær;31/2;26;U0MENTOR;;;\n" \
                 "SS;LFI 010190-1234;ordinær;2026-11-01;26;U0MENTOR;;;\n"
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(bad, encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 1
    assert "roster.csv, linje 5: referencen ZA står også på linje 2" in output
    assert "linje 6: «månen» er ikke et formål" in output
    assert "linje 7: Jeg kan ikke læse datoen «31/2»" in output
    assert "linje 8:" in output and "CPR" in output and "1234" not in output
    assert "Intet er importeret." in output
    code, output = invoke(database_url, "cases", "--json")
    assert json.loads(output) == []


def test_importing_a_changed_roster_again_updates_the_cases_it_names(
        database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    changed = GOOD.replace("ZA;Trædesten til job;ordinær;2026-09-01;26;U0MENTOR;U0CONSULT;",
                           "ZA;Trædesten til job;ordinær;2026-09-01;39;U0OTHER;U0CONSULT;")
    changed += "QR;LFI;uddannelse;2026-11-01;26;U0MENTOR;;;\n"
    roster_file.write_text(changed, encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file), "--dry-run")
    assert code == 0, output
    assert "ZA: mentor U0MENTOR → U0OTHER" in output and "ZA: uger 26 → 39" in output
    assert "Prøvekørsel – intet er gemt: 1 sag ville blive importeret, 1 ville blive " \
        "opdateret" in output
    rows = {row["ref"]: row for row in json.loads(invoke(database_url, "cases", "--json")[1])}
    assert "QR" not in rows and rows["ZA"]["weeks"] == 26  # the dry run kept nothing
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 0, output
    assert "1 sag importeret, 1 opdateret" in output
    rows = {row["ref"]: row for row in json.loads(invoke(database_url, "cases", "--json")[1])}
    assert set(rows) == {"LBW", "ZA", "Zara", "QR"}  # nothing deleted, one added
    assert (rows["ZA"]["weeks"], rows["ZA"]["mentor"]) == (39, "U0OTHER")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 0 and "0 sager importeret." in output  # the same again: nothing changes


def test_a_file_without_the_columns_says_which(database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("initials,start\nZA,2026-11-01\n", encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 1 and "mangler kolonnerne ref, programme, purpose, mentor" in output


def test_db_upgrade_and_check(database_url: str) -> None:
    assert invoke(database_url, "db", "upgrade")[0] == 0
    code, output = invoke(database_url, "db", "check")
    assert code == 0 and "Ingen afvigelse" in output, output


def test_manifest_for_both_modes_is_a_valid_slack_manifest() -> None:
    socket = json.loads(runner.invoke(app, ["manifest", "--socket"], env={}).output)
    http = json.loads(runner.invoke(app, ["manifest", "--url", "https://sparbot.example.dk"],
                                    env={}).output)
    assert socket["settings"]["socket_mode_enabled"] is True
    command = http["features"]["slash_commands"][0]
    assert command["command"] == "/spar" and command["should_escape"] is True
    assert command["url"] == "https://sparbot.example.dk/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == command["url"]
    # Least privilege: the two history scopes only let a replica see, after a crash, what a
    # process that died got out (a digest DM, the agenda in the team's channel); the two
    # users scopes give people's names and link a person given by e-mail.
    assert http["oauth_config"]["scopes"]["bot"] == [
        "chat:write", "commands", "files:write", "im:write", "im:history", "groups:read",
        "groups:history", "users:read", "users:read.email"]
    assert http["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened", "user_change"]
    assert http["features"]["app_home"]["home_tab_enabled"] is True
    folder = reference_dir()
    if folder is None:
        pytest.skip("../shared/slack-reference is absent: schema check skipped")
    from jsonschema import Draft7Validator

    schema = json.loads((folder / "slack-app-manifest.schema.json").read_text())
    validator = Draft7Validator(schema)
    for document in (socket, http):
        assert [error.message for error in validator.iter_errors(document)] == []


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-m", "sparbot", *args], capture_output=True,
                          text=True, env={**clean, **env}, timeout=60, cwd="/")


def test_a_malformed_setting_stops_start_up_with_one_line_and_no_secret() -> None:
    result = run_cli("serve", env={"SLACK_BOT_TOKEN": "oops-secret-value",
                                   "SLACK_SIGNING_SECRET": "s"})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["sparbot: the setting SLACK_BOT_TOKEN is malformed: must start with xoxb-"]
    assert "oops-secret-value" not in result.stderr + result.stdout


def test_a_missing_setting_is_named() -> None:
    result = run_cli("serve", env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr


def test_agenda_show_as_json_for_operators(database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    code, output = invoke(database_url, "agenda", "show", "--now", "2026-11-24T08:00",
                          "--json")
    assert code == 0, output
    agenda = json.loads(output)
    assert agenda["meeting"]["date"] == "2026-11-24"
    refs = {item["ref"]: item for item in agenda["items"]}
    assert set(refs) == {"LBW", "ZA", "Zara"}
    assert "mentor-meeting-overdue" in [reason["code"] for reason in refs["ZA"]["reasons"]]
    assert refs["Zara"]["reasons"][0] == {"code": "mentor-meeting-overdue",
                                          "facts": {"due": "2026-11-09", "last": None}}
    code, output = invoke(database_url, "agenda", "show", "--date", "2026-12-22",
                          "--json")
    assert json.loads(output)["meeting"]["regular_date"] == "2026-12-22"


def test_erase_export_case_and_audit_on_the_cli(database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    code, output = invoke(database_url, "export", "case", "ZA")
    assert code == 0 and json.loads(output)["case"]["programme"] == "Trædesten til job"
    code, output = invoke(database_url, "erase", "--case", "ZA", "--yes")
    assert code == 1 and "er et aktivt forløb" in output
    code, output = invoke(database_url, "erase", "--case", "ZA", "--yes", "--force")
    assert code == 0 and "ZA er slettet." in output
    refs = [row["ref"] for row in json.loads(invoke(database_url, "cases", "--json")[1])]
    assert "ZA" not in refs
    code, output = invoke(database_url, "audit", "--case", "ZA", "--json")
    assert [(row["actor"], row["what"]) for row in json.loads(output)] == [
        ("cli", "roster.import"), ("cli", "case.export"), ("cli", "case.erase")]


def test_the_roster_brings_each_cases_placement_and_its_follow_up_cadence(
        database_url: str, tmp_path: Path) -> None:
    with_placements = (
        "ref;programme;purpose;start;mentor;placement;workplace;placement_start;"
        "workplace_follow_up\n"
        "ZA;LFI;ordinær;2026-09-01;U0MENTOR;virksomhed;Netto;2026-10-05;ugentlig\n"
        "LBW;LFI;ordinær;2026-09-01;U0MENTOR;butik;Genbrugsbutikken;;\n"
        "EM;LFI;ordinær;2026-09-01;U0MENTOR;;;;\n")
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(with_placements, encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 0, output
    engine = make_engine(database_url)
    with Session(engine) as session:
        found = {(row.workplace, row.kind.value, row.start_date.isoformat(),
                  row.follow_up_cadence.value) for row in session.exec(select(Placement))}
    engine.dispose()
    assert found == {("Netto", "company-internship", "2026-10-05", "weekly"),
                     ("Genbrugsbutikken", "own-shop", "2026-09-01", "monthly")}
    wrong = with_placements.replace("ugentlig", "dagligt").replace("ZA;", "ZX;")
    wrong = wrong.replace("LBW;", "LBX;").replace("EM;", "EX;")
    roster_file.write_text(wrong.replace(";butik;", ";;"), encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert code == 1
    assert "linje 2: «dagligt» er ikke en opfølgningsfrekvens" in output
    assert "linje 3: kolonnen «placement» er tom – den skal udfyldes" in output


def test_a_danish_excel_roster_imports_as_xlsx_and_as_windows_1252_csv(
        database_url: str, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ref", "programme", "purpose", "start", "weeks", "mentor"])
    sheet.append(["Æbl", "Trædesten til job", "ordinær", datetime(2026, 9, 1), 26.0,  # noqa: DTZ001 (a cell: naive)
                  "U0MENTOR"])
    sheet.append([None, None, None, None, None, None])  # an empty row at the end
    workbook.save(tmp_path / "roster.xlsx")
    code, output = invoke(database_url, "import", "roster", str(tmp_path / "roster.xlsx"))
    assert code == 0, output
    assert "1 sag importeret. Filen blev læst som Excel-regneark (.xlsx), første ark." in output
    semicolons = ("ref;programme;purpose;start;mentor\n"
                  "Øst;Sygemeldte;fastholdelse;1.9.2026;U0MENTOR\n").encode("cp1252")
    (tmp_path / "roster.csv").write_bytes(semicolons)
    code, output = invoke(database_url, "import", "roster", str(tmp_path / "roster.csv"))
    assert code == 0, output
    assert "læst som CSV i Windows-1252" in output
    code, output = invoke(database_url, "cases", "--json", "--now", "2026-11-24T10:00")
    found = {row["ref"]: (row["programme"], row["start"]) for row in json.loads(output)}
    assert found == {"Æbl": ("Trædesten til job", "2026-09-01"),
                     "Øst": ("Sygemeldte", "2026-09-01")}


def test_every_date_option_reads_dates_as_people_write_them(database_url: str) -> None:
    assert invoke(database_url, "db", "upgrade")[0] == 0
    for args in (["audit", "--from", "1/12"], ["audit", "--from", "1.12.2026"],
                 ["audit", "--from", "2026-12-01", "--to", "31/12"],
                 ["agenda", "show", "--date", "8/12", "--now", "2026-11-24T10:00"],
                 ["export", "decisions", "--from", "1/1", "--to", "30.6.2026"]):
        code, output = invoke(database_url, *args)
        assert code == 0, (args, output)
        assert "Traceback" not in output
    code, output = invoke(database_url, "audit", "--to", "2026-13-01")
    assert code == 2 and "--to:" in output and "2026-13-01" in output
    assert "Traceback" not in output


def test_a_refused_or_unreachable_slack_at_start_is_one_line_not_a_traceback(
        database_url: str) -> None:
    from sparbot.devtools.fake_slack import FakeSlack

    with FakeSlack() as slack:
        slack.fail_next("auth.test", error="invalid_auth")
        result = runner.invoke(app, ["serve", "--port", "0"], env={
            "DATABASE_URL": database_url, "SPARBOT_LANGUAGE": "da",
            "SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": slack.api_url})
    assert result.exit_code == 1
    assert "Slack afviser SLACK_BOT_TOKEN" in result.output and "invalid_auth" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["run"], env={
        "DATABASE_URL": database_url, "SPARBOT_LANGUAGE": "en",
        "SLACK_BOT_TOKEN": "xoxb-right", "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert result.exit_code == 1
    assert "Slack cannot be reached at http://127.0.0.1:9/api/" in result.output
    assert "Traceback" not in result.output


def test_the_image_installs_every_dependency_at_a_pinned_version() -> None:
    import re
    import tomllib

    root = Path(__file__).resolve().parents[1]
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
              for line in (root / "docker" / "constraints.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    for requirement in declared:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)
        assert name is not None
        assert name.group(0).lower().replace("_", "-") in pinned, requirement
    assert "-c docker/constraints.txt" in (root / "docker" / "Dockerfile").read_text()


def test_the_operators_cli_reads_as_the_deployment_writes(database_url: str,
                                                          tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    code, output = invoke(database_url, "cases", "--now", "2026-11-24T10:00")
    assert "slut 1. mar 2027" in output and "2027-03-01" not in output  # as Slack says it
    assert output.strip().endswith("3 sager")
    code, output = invoke(database_url, "audit", "--json")
    at = json.loads(output)[0]["at"]
    assert at.endswith(("+01:00", "+02:00")), at  # Copenhagen time, with its offset
    for args in (["report", "ZA", "-o", str(tmp_path / "missing" / "r.pdf")],
                 ["statement", "ZA", "-o", str(tmp_path / "missing" / "s.docx")],
                 ["export", "decisions", "-o", str(tmp_path / "missing" / "d.csv")]):
        code, output = invoke(database_url, *args)
        assert code == 2 and "Jeg kan ikke skrive filen" in output, (args, output)
        assert "Traceback" not in output
    code, output = invoke(database_url, "audit", "--json")
    assert not any(row["action"] == "export" for row in json.loads(output))  # nothing made
    (tmp_path / "bad.csv").write_text("ref,programme,purpose,start,mentor\n"
                                      "QQ,LFI,månen,2026-11-01,U0MENTOR\n", encoding="utf-8")
    code, output = invoke(database_url, "import", "roster", str(tmp_path / "bad.csv"))
    assert "fleksjob" in output and "flex-job" in output  # Danish words, and English


def test_the_cli_export_is_for_a_danish_spreadsheet_by_default(database_url: str,
                                                                tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    target = tmp_path / "beslutninger.csv"
    code, output = invoke(database_url, "export", "decisions", "-o", str(target))
    assert code == 0 and "0 linjer skrevet" in output
    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Dato;Møde;Sag;")  # ';': what a Danish spreadsheet reads
    code, output = invoke(database_url, "export", "decisions", "--format", "xlsx")
    assert code == 2 and "XLSX er en fil: angiv -o beslutninger.xlsx" in output


def test_the_cli_help_is_in_the_deployments_language() -> None:
    assert missing_texts(app, Language.DA) == []  # every command and option, and no stale one
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPARBOT_")}
    said = {}
    for language in ("da", "en"):
        result = subprocess.run([sys.executable, "-m", "sparbot", "export", "decisions",
                                 "--help"], env=env | {"SPARBOT_LANGUAGE": language,
                                                       "COLUMNS": "200"},
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        said[language] = result.stdout
    assert "Beslutningsloggen: én linje pr. beslutningshandling" in said["da"]
    assert "Tilvalg" in said["da"] and "[standard: ;]" in said["da"]
    assert "One case's decisions" not in said["da"]
    assert "The decision log: one row per decision action" in said["en"]


def test_the_nudge_run_and_the_outbox_speak_danish(database_url: str, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    code, output = invoke(database_url, "nudges", "run", "--dry-run", "--now",
                          "2026-11-24T09:00")
    assert code == 0, output
    assert "U0MENTOR:" in output and "mentorsamtale · ZA ·" in output, output
    assert "mentor-meeting" not in output
    assert invoke(database_url, "outbox", "list")[1].strip() == "Udbakken er tom: alt er sendt."
    with Session(make_engine(database_url)) as session:
        session.add(OutboxMessage(kind="decision", method="chat.postMessage",
                                  channel_id="C0TEAM", status=OutboxStatus.FAILED, attempts=1,
                                  last_error="channel_not_found",
                                  next_attempt_at=datetime(2026, 11, 24, tzinfo=UTC)))
        session.commit()
    code, output = invoke(database_url, "outbox", "list")
    assert "opgivet  decision  C0TEAM  1 forsøg  channel_not_found" in output, output
