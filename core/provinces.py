"""The provinces a deployment may run the campaign for: names from the shipped GB/T 2260 list.

Read by the settings (no Django import): ``PORTAL_PROVINCE`` must name a province-level
division of ``fixtures/china_divisions.csv``; its name gives the department's default name and
its one-character abbreviation (简称) the designation numbers' default prefix.
"""

import csv
from pathlib import Path

DIVISIONS_CSV = Path(__file__).resolve().parent.parent / "fixtures" / "china_divisions.csv"

# 简称 of the province-level divisions, by the first two digits of the code.
ABBREVIATIONS = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "黔",
    "53": "滇",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}


def province_code(raw: str) -> str | None:
    """``raw`` as a six-digit province code ("44" or "440000" → "440000"); None if malformed."""
    raw = raw.strip()
    if len(raw) == 2 and raw.isdigit():
        raw += "0000"
    if len(raw) != 6 or not raw.isdigit() or not raw.endswith("0000"):
        return None
    return raw


def province_names(csv_path: Path = DIVISIONS_CSV) -> dict[str, str]:
    """Province-level division names by their six-digit code."""
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        return {row["code"]: row["name"] for row in rows if not row["parent_code"]}


def department_name(division_name: str) -> str:
    """The justice department's usual name: 黑龙江省司法厅, 广西壮族自治区司法厅; the four
    municipalities' departments are bureaus (北京市司法局)."""
    suffix = "司法局" if division_name.endswith("市") else "司法厅"
    return f"{division_name}{suffix}"
