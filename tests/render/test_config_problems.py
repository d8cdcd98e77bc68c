"""A bad value in a template's config says what the key takes, in the user's language."""

from __future__ import annotations

import pytest

from docgen.errors import TemplateProblem
from docgen.i18n import using_language
from docgen.render.config import load_config


@pytest.mark.parametrize(
    ("config", "english", "chinese"),
    [
        ("数字格式: 三位", "数字格式: unknown value '三位'; use 两位小数 or 常规",
         "数字格式：未知的值 '三位'；请用 两位小数 或 常规"),
        ("超额完成阈值: 50", "超额完成阈值: 50 is too small: it must be more than 100",
         "超额完成阈值：50 太小：必须大于 100"),
        ("超额完成阈值: 20000", "超额完成阈值: 20000 is too large: it must be at most 10000",
         "超额完成阈值：20000 太大：最多为 10000"),
        ("超额完成阈值: 很多", "超额完成阈值: expected a number, got '很多'",
         "超额完成阈值：应为数字，实际是 '很多'"),
        ("来源行执行率: 也许", "来源行执行率: expected true or false, got '也许'",
         "来源行执行率：应为 true 或 false，实际是 '也许'"),
        ("分数用语: " + "分" * 21, "分数用语: '" + "分" * 21 + "' is too long: at most 20 characters",
         "分数用语：'" + "分" * 21 + "' 太长：最多 20 个字符"),
        ("文档类型: 报表", "文档类型: unknown kind '报表'; use 自评表 or 自评报告",
         "文档类型：未知的文档类型 '报表'；请用 自评表 或 自评报告"),
        ("等级用语: {甲: 甲等}", "等级用语: unknown grade 甲; use the keys 优, 良, 中, 差",
         "等级用语：未知的等级 甲；请用键 优、良、中、差"),
        ("舍入規則: 截断", "舍入規則: unknown key '舍入規則'; did you mean '舍入规则'?",
         "舍入規則：未知的键 '舍入規則'；是否想写 '舍入规则'？"),
    ],
)  # fmt: skip
def test_a_bad_value_says_what_the_key_takes(config: str, english: str, chinese: str) -> None:
    for language, expected in (("en", f"bad template config: {english}"),
                               ("zh", f"模板配置有误：{chinese}")):  # fmt: skip
        with using_language(language), pytest.raises(TemplateProblem) as caught:
            load_config("# the author's config\n" + config + "\n", "table.yaml", "table")
        assert (caught.value.message, caught.value.file, caught.value.line) == (
            expected,
            "table.yaml",
            2,
        )


def test_an_empty_config_keeps_the_defaults_and_two_documents_are_refused() -> None:
    assert load_config("# nothing yet\n", "table.yaml", "report").kind_key == "report"
    with using_language("zh"), pytest.raises(TemplateProblem) as caught:
        load_config("舍入规则: 截断\n---\n评分规则: czy2020-10\n", "table.yaml", "table")
    assert (caught.value.message, caught.value.line) == (
        "模板配置只能是一个 YAML 文档；这个文件有 2 个",
        3,
    )
