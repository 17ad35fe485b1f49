"""The shared import mechanism: reading files in the encodings and formats halls really have."""
import pytest

from portal.imports.mapping import map_lines
from portal.imports.reading import FileRefused, detect_encoding, read_rows
from portal.imports.spec import Field, ImportSpec
from tests.imports_fixtures import text_file, xlsx

ROWS = [["工号", "姓名", "时间"], ["1001", "张三", "2026-11-02 08:01:00"]]
SPEC = ImportSpec(kind="toy", label="测试", model=None, parse=lambda v, o: [v], key=lambda r: "", to_row=dict,
                  columns=[], fields=[Field("pin", "工号", required=True), Field("when", "时间", required=True),
                                      Field("note", "备注")])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    lines = read_rows(text_file(ROWS, encoding))
    assert lines[0].cells == ["工号", "姓名", "时间"]
    assert lines[1].cells[1] == "张三"


def test_gbk_is_detected_when_the_bytes_are_not_utf8():
    assert detect_encoding("张三".encode("gbk")) == "gb18030"
    assert detect_encoding("\ufeff张三".encode()) == "utf-8-sig"


def test_tab_separated_dat_lines_are_split_and_trimmed():
    data = b"   1001\t2026-11-02 08:01:02\t1\t0\t1\t0\r\n     7\t2026-11-02 12:00:40\t1\t1\t1\t0\r\n"
    lines = read_rows(data)
    assert lines[0].cells[:2] == ["1001", "2026-11-02 08:01:02"]
    assert lines[1].cells[0] == "7"


def test_a_line_that_does_not_decode_is_kept_as_unreadable_with_its_number():
    data = "工号,时间\r\n1001,2026-11-02 08:01\r\n".encode() + b"\xff\xfe\xfa,bad\r\n"
    lines = read_rows(data, encoding="utf-8")
    assert lines[2].number == 3 and "第 3 行无法按 UTF-8 编码读取" in lines[2].error


def test_xlsx_is_read_by_calamine_with_numbers_as_text():
    lines = read_rows(xlsx([["工号", "时间"], [1001, "2026-11-02 08:01"]]))
    assert lines[1].cells == ["1001", "2026-11-02 08:01"]


def test_a_file_that_is_neither_text_nor_workbook_is_refused_in_chinese():
    with pytest.raises(FileRefused, match="Excel"):
        read_rows(b"PK\x03\x04not really a zip")
    with pytest.raises(FileRefused, match="空"):
        read_rows(b"")


def test_title_rows_are_skipped_and_columns_found_by_header_name():
    lines = read_rows(text_file([["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01"]] + ROWS))
    mapped, notes = map_lines(SPEC, lines, {"columns": {"pin": "工号", "when": "时间"}}, skip_rows=2)
    assert [m.values for m in mapped] == [{"pin": "1001", "when": "2026-11-02 08:01:00"}]
    assert mapped[0].number == 4 and notes["skipped"] == 3


def test_a_mapping_naming_a_missing_column_is_refused_with_the_header_shown():
    with pytest.raises(FileRefused, match="没有“打卡时间”列"):
        map_lines(SPEC, read_rows(text_file(ROWS)), {"columns": {"pin": "工号", "when": "打卡时间"}}, 0)


def test_a_short_row_names_the_missing_field_and_an_optional_one_is_left_empty():
    lines = read_rows(b"1001\t2026-11-02 08:01\r\n1002\r\n")
    mapped, _ = map_lines(SPEC, lines, {"header": False, "columns": {"pin": 0, "when": 1, "note": 5}}, 0)
    assert mapped[0].values["note"] == ""
    assert mapped[1].number == 2 and "缺少“时间”（第 2 列）" in mapped[1].error
