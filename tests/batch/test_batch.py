"""gjz batch (issue 15 part 1): a staff list in, the verdict `gjz assess` gives for each row out.

Each row is written twice, independently: as the cells HR would type (Chinese labels, question
texts or field ids as headers; "1.5万", "18个月", "租的") and as the JSON profile a person would
give `gjz assess`. The expectation is `gjz assess --json` on that profile, never the batch's own
reading. Broken rows must get their own error naming the column and the value, and the rows
after them must still be checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging

import pytest
from openpyxl import Workbook, load_workbook

from bot.cli import main
from bot.render import FIELD_LABELS
from tests.profiles import BDA_MASTER, CHAOYANG_MASTER, README_APPLICANT

LABELS = {**FIELD_LABELS, "district": "所在区", "business": "办理业务"}
MONTHS_QUESTION = "您在现单位工作（按社保缴费记录）有多久了？"  # interview.yaml months_employed

# The profiles BDA_CELLS and CHAOYANG_CELLS below mean, as `gjz assess` takes them.
BDA, CHAOYANG = BDA_MASTER, README_APPLICANT
BDA_CELLS = {
    "district": "亦庄",
    "business": "新办",
    "application_date": "2025-06-02",
    "nationality": "中国",
    "hukou": "外地",
    "gender": "男",
    "age": "30岁",
    "employer_form": "公司",
    "months_employed": "6个月",
    "same_employer_for_tax": "是",
    "category": "学位",
    "degree": "硕士",
    "work_years": "4年",
    "monthly_income": "2万",
    "housing": "租的",
    "contract_months_left": "1年",
    "children": "没有",
    "marital": "未婚",
}
CHAOYANG_CELLS = {
    "district": "朝阳区",
    "business": "新办（第一次申请）",
    "application_date": "2026/3/2",
    "employer_form": "企业",
    "category": "学位",
    "degree": "研究生",
    "work_years": "四年",
    "monthly_income": "20,000",
    "months_employed": "14",
    "housing": "租房",
    "hukou": "外地户口",
    "nationality": "是",
}

# (cells as typed, the profile they mean)
GOOD = [
    (BDA_CELLS, BDA),
    (CHAOYANG_CELLS, CHAOYANG),
    ({**BDA_CELLS, "monthly_income": "14324元"}, {**BDA, "monthly_income": 14324}),
    ({**BDA_CELLS, "monthly_income": "1.5万"}, {**BDA, "monthly_income": 15000}),
    ({**BDA_CELLS, "monthly_income": "一万二"}, {**BDA, "monthly_income": 12000}),
    (
        {**BDA_CELLS, "months_employed": "18个月", "work_years": "两年半"},
        {**BDA, "months_employed": 18, "work_years": 2.5},
    ),
    ({**BDA_CELLS, "degree": "本科", "work_years": "1年"}, {**BDA, "degree": "bachelor", "work_years": 1}),
    ({**BDA_CELLS, "hukou": "北京户口"}, {**BDA, "hukou": "beijing"}),
    ({**BDA_CELLS, "housing": "自己的房子", "age": "58"}, {**BDA, "housing": "owned", "age": 58}),
    (
        {**CHAOYANG_CELLS, "employer_form": "事业单位", "criminal_record": "无", "lease_months_left": "4个月"},
        {**CHAOYANG, "employer_form": "institution", "criminal_record": False, "lease_months_left": 4},
    ),
    (
        {**CHAOYANG_CELLS, "category": "职称", "title": "中级"},
        {**CHAOYANG, "category": "title", "title": "intermediate"},
    ),
    (
        {"district": "东城", "business": "续签", "application_date": "2026-09-01", "permit_expiry": "2027年1月15日"},
        {
            "district": "dongcheng",
            "business": "renewal",
            "application_date": "2026-09-01",
            "permit_expiry": "2027-01-15",
        },
    ),
    (
        {
            "district": "通州",
            "business": "续期",
            "application_date": "2026-06-01",
            "permit_expiry": "2026.12.31",
            "social_insurance_continuous": "一直连续",
        },
        {
            "district": "tongzhou",
            "business": "renewal",
            "application_date": "2026-06-01",
            "permit_expiry": "2026-12-31",
            "social_insurance_continuous": True,
        },
    ),
    (
        {"district": "亦庄", "business": "续签", "application_date": "2025-03-03", "permit_expiry": "20250430"},
        {"district": "bda", "business": "renewal", "application_date": "2025-03-03", "permit_expiry": "2025-04-30"},
    ),
    ({"district": "海淀", "business": "新办"}, {"district": "haidian", "business": "new"}),
    ({"district": "朝阳", "business": "新办"}, {"district": "chaoyang", "business": "new"}),
    (
        {"district": "经开区", "business": "换工作", "application_date": "2026-01-05"},
        {"district": "bda", "business": "employer_change", "application_date": "2026-01-05"},
    ),
    (
        {"district": "东城", "business": "增加随往子女", "children": "2个孩子", "marital": "已婚"},
        {"district": "dongcheng", "business": "dependent_change", "children": 2, "marital": "married"},
    ),
    ({**BDA_CELLS, "contract_months_left": "无固定期限"}, {**BDA, "contract_months_left": 1200}),
    ({**BDA_CELLS, "same_employer_for_tax": "不是，派遣的"}, {**BDA, "same_employer_for_tax": False}),
    (
        {**BDA_CELLS, "nationality": "不清楚", "gender": ""},
        {k: v for k, v in BDA.items() if k not in ("nationality", "gender")},
    ),
    (
        {"district": "bda", "business": "new", "application_date": "2026-03-02"},
        {"district": "bda", "business": "new", "application_date": "2026-03-02"},
    ),
    ({**CHAOYANG_CELLS, "monthly_income": "15k"}, {**CHAOYANG, "monthly_income": 15000}),
    (
        {**CHAOYANG_CELLS, "annual_incomes": "60万 58万 62万", "category": "科技创新", "employer_sector": "高新"},
        {
            **CHAOYANG,
            "category": "tech_income",
            "employer_sector": "tech_innovation",
            "annual_incomes": {"2023": 600000, "2024": 580000, "2025": 620000},
        },
    ),
]

# (cells, the column whose value cannot be read, that value)
BROKEN = [
    ({**BDA_CELLS, "monthly_income": "abc"}, "monthly_income", "abc"),
    ({**BDA_CELLS, "district": "火星"}, "district", "火星"),
    ({**BDA_CELLS, "age": "二百"}, "age", "二百"),
    ({**BDA_CELLS, "business": ""}, "business", None),
    ({"district": "东城", "business": "续签", "permit_expiry": "明年某天"}, "permit_expiry", "明年某天"),
    ({**BDA_CELLS, "monthly_income": "大概1.5万"}, "monthly_income", "大概1.5万"),
]


def expected(profile: dict, tmp_path, capsys) -> dict:
    """What `gjz assess --json` says about the profile."""
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def header(field: str, style: str) -> str:
    return field if style == "en" else LABELS[field]


def rows_to_table(rows: list[dict], style: str, name: bool = True) -> tuple[list[str], list[list]]:
    fields = list(dict.fromkeys(f for r in rows for f in r))
    headers = (["name" if style == "en" else "姓名"] if name else []) + [header(f, style) for f in fields]
    body = [([f"员工{i:02d}"] if name else []) + [r.get(f, "") for f in fields] for i, r in enumerate(rows)]
    return headers, body


def write(path, headers, body):
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in body:
            sheet.append([None if c == "" else c for c in row])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([headers, *body])


def run_batch(path, capsys, *args) -> dict:
    assert main(["batch", str(path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def check_against_assess(result_rows, cases, tmp_path, capsys):
    for got, (_, profile) in zip(result_rows, cases, strict=True):
        want = expected(profile, tmp_path, capsys)
        assert got["error"] is None, (got, profile)
        assert got["verdict"] == want["verdict"], (got, profile)
        assert got["failed"] == [c["id"] for c in want["checks"] if c["status"] == "fail"]
        assert got["missing"] == want["missing"]
        assert got["deadlines"] == {d["id"]: d["date"] for d in want["deadlines"]}


@pytest.mark.parametrize("suffix, style", [(".csv", "zh"), (".xlsx", "en"), (".xlsx", "zh"), (".csv", "en")])
def test_thirty_rows_match_gjz_assess_row_by_row(tmp_path, capsys, suffix, style):
    # good and broken rows interleaved: a broken row must not stop or shift the ones after it
    cases = [("good", g) for g in GOOD]
    for i, broken in enumerate(BROKEN):
        cases.insert(1 + 5 * i, ("broken", broken))
    assert len(cases) == 30
    headers, body = rows_to_table([c[1][0] for c in cases], style)
    path = tmp_path / f"staff{suffix}"
    write(path, headers, body)

    out = run_batch(path, capsys)
    assert [r["row"] for r in out["rows"]] == list(range(2, 32))  # spreadsheet rows under the header
    good_rows = [(r, c[1]) for r, c in zip(out["rows"], cases, strict=True) if c[0] == "good"]
    check_against_assess([r for r, _ in good_rows], [c for _, c in good_rows], tmp_path, capsys)
    verdicts = {r["verdict"] for r, _ in good_rows}
    assert {"eligible", "ineligible", "needs_more_info", "refer"} <= verdicts
    for row, (kind, case) in zip(out["rows"], cases, strict=True):
        if kind != "broken":
            continue
        _, field, value = case
        assert row["verdict"] is None and row["error"], row
        assert header(field, style) in row["error"], row["error"]
        if value:
            assert value in row["error"], row["error"]
    summary = out["summary"]
    assert summary["total"] == 30 and summary["error"] == len(BROKEN)
    assert sum(summary[k] for k in ("eligible", "ineligible", "needs_more_info", "refer", "error")) == 30
    assert summary["text"].startswith("30 人：")
    assert summary["unknown_columns"] == []


def test_the_result_file_has_the_same_rows_and_the_result_columns(tmp_path, capsys):
    cases = GOOD[:6]
    headers, body = rows_to_table([c for c, _ in cases], "zh")
    headers.append("工号")
    body = [row + [f"E{i}"] for i, row in enumerate(body)]
    write(tmp_path / "staff.xlsx", headers, body)
    assert main(["batch", str(tmp_path / "staff.xlsx")]) == 0
    text = capsys.readouterr().out
    assert "6 人：" in text and "工号" in text  # the unknown column is named, and kept
    sheet = load_workbook(tmp_path / "staff-结果.xlsx").active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][: len(headers)] == headers
    assert rows[0][len(headers) :] == [
        "结论",
        "未通过的条件",
        "还需补充",
        "需咨询的原因",
        "续签窗口开启",
        "最晚提交日",
        "证件到期日",
        "区办事窗口",
        "无法读取",
    ]
    for got, sent, (_, profile) in zip(rows[1:], body, cases, strict=True):
        assert [("" if c is None else str(c)) for c in got[: len(headers)]] == [str(c) for c in sent]
        want = expected(profile, tmp_path, capsys)
        from bot.rules.labels import VERDICT

        assert got[len(headers)] == VERDICT[want["verdict"]]
        assert got[len(headers) + 7]  # the district office line

    # checking the result file again replaces its result columns instead of adding a second set
    assert main(["batch", str(tmp_path / "staff-结果.xlsx"), "-o", str(tmp_path / "again.csv")]) == 0
    capsys.readouterr()
    with (tmp_path / "again.csv").open(encoding="utf-8-sig") as f:
        again = list(csv.reader(f))
    assert again[0].count("结论") == 1 and len(again[0]) == len(rows[0])


def test_deadlines_and_the_renewal_count_use_the_check_date(tmp_path, capsys):
    today = "2026-11-02"
    rows = [
        {"district": "东城", "business": "续签", "permit_expiry": "2027-01-10"},
        {"district": "东城", "business": "续签", "permit_expiry": "2027-06-30"},
        {"district": "亦庄", "business": "续签", "permit_expiry": "2026-12-20"},
        {"district": "亦庄", "business": "新办"},
    ]
    profiles = [
        {"district": "dongcheng", "business": "renewal", "permit_expiry": "2027-01-10"},
        {"district": "dongcheng", "business": "renewal", "permit_expiry": "2027-06-30"},
        {"district": "bda", "business": "renewal", "permit_expiry": "2026-12-20"},
        {"district": "bda", "business": "new"},
    ]
    headers, body = rows_to_table(rows, "zh")
    write(tmp_path / "renew.csv", headers, body)
    out = run_batch(tmp_path / "renew.csv", capsys, "--today", today)
    soon = 0
    for got, profile in zip(out["rows"], profiles, strict=True):
        want = expected({**profile, "application_date": today}, tmp_path, capsys)
        assert got["verdict"] == want["verdict"]
        dates = {d["id"]: d["date"] for d in want["deadlines"]}
        assert got["deadlines"] == dates
        due = dates.get("submit_by") or dates.get("expires")
        soon += bool(due and due <= (dt.date.fromisoformat(today) + dt.timedelta(days=60)).isoformat())
    assert soon >= 1 and out["summary"]["renew_soon"] == soon
    assert f"{soon} 人 60 天内需续签" in out["summary"]["text"]


def test_spreadsheet_cells_typed_as_numbers_dates_and_booleans(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "district",
            "business",
            "application_date",
            "permit_expiry",
            "social_insurance_continuous",
            "monthly_income",
            "months_employed",
        ]
    )
    sheet.append(["东城", "续签", dt.datetime(2026, 9, 1), dt.date(2027, 1, 15), True, 1234567.0, 18])
    book.save(tmp_path / "typed.xlsx")
    out = run_batch(tmp_path / "typed.xlsx", capsys)
    want = expected(
        {
            "district": "dongcheng",
            "business": "renewal",
            "application_date": "2026-09-01",
            "permit_expiry": "2027-01-15",
            "social_insurance_continuous": True,
            "monthly_income": 1234567,
            "months_employed": 18,
        },
        tmp_path,
        capsys,
    )
    assert out["rows"][0]["error"] is None
    assert out["rows"][0]["verdict"] == want["verdict"] and out["rows"][0]["missing"] == want["missing"]
    assert out["rows"][0]["deadlines"] == {d["id"]: d["date"] for d in want["deadlines"]}


def test_a_bare_number_is_months_under_a_months_label_but_asked_under_the_question(tmp_path, capsys):
    rows = [[LABELS["district"], LABELS["business"], LABELS["months_employed"]], ["亦庄", "新办", "18"]]
    write(tmp_path / "label.csv", rows[0], rows[1:])
    by_label = run_batch(tmp_path / "label.csv", capsys)["rows"][0]
    want = expected({"district": "bda", "business": "new", "months_employed": 18}, tmp_path, capsys)
    assert by_label["error"] is None and by_label["missing"] == want["missing"]
    write(tmp_path / "question.csv", [rows[0][0], rows[0][1], MONTHS_QUESTION], rows[1:])
    by_question = run_batch(tmp_path / "question.csv", capsys)["rows"][0]
    assert by_question["verdict"] is None and MONTHS_QUESTION in by_question["error"]


def test_gbk_csv_from_excel_on_windows(tmp_path, capsys):
    headers, body = rows_to_table([CHAOYANG_CELLS], "zh")
    out = io.StringIO()
    csv.writer(out).writerows([headers, *body])
    (tmp_path / "gbk.csv").write_bytes(out.getvalue().encode("gb18030"))
    got = run_batch(tmp_path / "gbk.csv", capsys)["rows"][0]
    assert got["error"] is None and got["verdict"] == expected(CHAOYANG, tmp_path, capsys)["verdict"]


def test_not_a_table_exits_2_with_one_line(tmp_path, capsys):
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert main(["batch", str(tmp_path / "bad.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "XLSX" in err
    (tmp_path / "list.txt").write_text("x")
    assert main(["batch", str(tmp_path / "list.txt")]) == 2


def test_names_and_values_are_never_logged(tmp_path, capsys, caplog):
    cells = {**BDA_CELLS, "monthly_income": "abc"}
    headers, body = rows_to_table([BDA_CELLS, cells], "zh")
    body[0][0] = body[1][0] = "王小明"
    write(tmp_path / "staff.csv", headers, body)
    with caplog.at_level(logging.DEBUG):
        assert main(["batch", str(tmp_path / "staff.csv")]) == 0
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "王小明" not in logged and "abc" not in logged and "20000" not in logged
    out = capsys.readouterr().out
    assert "王小明" not in out  # the summary names rows by number, not people


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_round_trips(tmp_path, capsys, suffix):
    path = tmp_path / f"template{suffix}"
    assert main(["batch", "--template", "-o", str(path)]) == 0
    assert main(["batch", "--template", "-o", str(path)]) == 2  # never overwrites a file
    capsys.readouterr()
    out = run_batch(path, capsys)
    assert out["summary"]["unknown_columns"] == []  # every template header is read as its field
    assert len(out["rows"]) == 1 and out["rows"][0]["error"] is None
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig") as f:
            headers, example = list(csv.reader(f))
    else:
        headers, example = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
    labels = {v: k for k, v in LABELS.items()}
    assert headers[0] == "姓名" and all(h in labels for h in headers[1:])
    assert "monthly_income" in {labels[h] for h in headers[1:]} and "permit_expiry" in {labels[h] for h in headers[1:]}
    # the example row is the README's applicant, typed the way HR would
    profile = {labels[h]: v for h, v in zip(headers[1:], example[1:], strict=True) if v not in (None, "")}
    assert profile["district"] == "朝阳" and profile["business"] == "新办"
    # (undated, as the template has no date column) plus the four columns the example fills beyond it
    beyond = {
        "lease_months_left": 12,
        "criminal_record": False,
        "same_employer_for_tax": True,
        "contract_months_left": 24,
    }
    want = expected({**CHAOYANG_MASTER, **beyond}, tmp_path, capsys)
    assert out["rows"][0]["verdict"] == want["verdict"] and out["rows"][0]["missing"] == want["missing"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_header_line_decides_the_csv_separator(tmp_path, capsys, delimiter):
    # a ';' inside a cell (three incomes) must not split it when the file is comma-separated
    headers, body = rows_to_table([{**CHAOYANG_CELLS, "annual_incomes": "60万;58万;62万"}], "zh")
    with (tmp_path / "sep.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows([headers, *body])
    got = run_batch(tmp_path / "sep.csv", capsys)["rows"][0]
    want = expected({**CHAOYANG, "annual_incomes": {"2023": 600000, "2024": 580000, "2025": 620000}}, tmp_path, capsys)
    assert got["error"] is None and got["verdict"] == want["verdict"] and got["missing"] == want["missing"]


def test_date_cells_are_read_as_the_chat_reads_them_and_a_vague_one_is_named(tmp_path, capsys):
    rows = [
        {"district": "东城", "business": "续签", "application_date": "明年1月5号", "permit_expiry": "2027年3月1日到期"},
        {"district": "东城", "business": "续签", "application_date": "2026-12-01", "permit_expiry": "2027年3月初"},
    ]
    headers, body = rows_to_table(rows, "zh")
    write(tmp_path / "dates.csv", headers, body)
    out = run_batch(tmp_path / "dates.csv", capsys, "--today", "2026-12-02")
    first, second = out["rows"]
    assert first["error"] is None, first
    want = expected(
        {
            "district": "dongcheng",
            "business": "renewal",
            "application_date": "2027-01-05",
            "permit_expiry": "2027-03-01",
        },
        tmp_path,
        capsys,
    )
    assert first["verdict"] == want["verdict"]
    assert first["deadlines"] == {d["id"]: d["date"] for d in want["deadlines"]}
    assert "2027年3月初" in second["error"] and "具体日期" in second["error"], second
