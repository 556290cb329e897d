"""Sections of real judgments: 首部 … 本院认为 … 判决主文 … 尾部, as spans into the raw text."""

from __future__ import annotations

import pytest

from core.taxonomy import SectionName as S
from ingest import parse_text
from ingest.errors import Rejected


def test_first_instance_judgment_sections(corpus_judgments: dict[str, dict]) -> None:
    record = parse_text(corpus_judgments["sea-001"]["document_text"])
    names = [s.name for s in record.sections]
    assert names[0] == S.header and names[-1] == S.footer
    for name in (S.parties, S.history, S.claims, S.defence, S.findings, S.reasoning, S.operative):
        assert name in names
    assert record.section(S.reasoning).startswith("本院认为")
    assert record.section(S.operative).startswith("驳回原告徐文权的诉讼请求")
    assert "吴宏丽" in record.section(S.footer) and "二〇一八年五月七日" in record.section(S.footer)


def test_appeal_keeps_lower_court_reasoning_out_of_本院认为(corpus_judgments: dict[str, dict]) -> None:
    """GIVEN an appeal quoting 原审法院认为 and a retrial review quoting 二审法院认为
    THEN 本院认为 holds only this court's reasoning."""
    for doc_id in ("sea-007", "sea-018"):
        record = parse_text(corpus_judgments[doc_id]["document_text"])
        reasoning = record.section(S.reasoning)
        assert reasoning.startswith("本院认为")
        assert "原审法院认为" not in reasoning and "二审法院认为" not in reasoning


def test_operative_part_follows_the_last_判决如下(corpus_judgments: dict[str, dict]) -> None:
    """An appeal quotes the first-instance 判决：…; the operative part is the appeal court's own."""
    record = parse_text(corpus_judgments["sea-007"]["document_text"])
    assert record.section(S.operative).startswith("驳回上诉，维持原判")
    assert record.operative_orders == ["驳回上诉，维持原判。"]


def test_run_together_ruling_still_has_reasoning(corpus_judgments: dict[str, dict]) -> None:
    """A withdrawal ruling writes 经审查，本院认为… in one paragraph with the legal basis."""
    record = parse_text(corpus_judgments["sea-021"]["document_text"])
    assert "本院认为" in record.section(S.reasoning)
    assert record.section(S.operative).startswith("准许原告王秀银撤回起诉")


def test_sections_are_ordered_non_overlapping_spans(corpus_judgments: dict[str, dict]) -> None:
    for doc in corpus_judgments.values():
        record = parse_text(doc["document_text"])
        last_end = 0
        for s in record.sections:
            assert last_end <= s.start < s.end <= len(record.text)
            last_end = s.end


def test_every_corpus_judgment_has_reasoning_and_operative(corpus_judgments: dict[str, dict]) -> None:
    missing = [
        i
        for i, d in corpus_judgments.items()
        if not parse_text(d["document_text"]).section(S.operative)
        or not parse_text(d["document_text"]).section(S.reasoning)
    ]
    assert missing == []


def test_offsets_are_into_the_raw_text_with_libreoffice_spacing() -> None:
    raw = (
        "河南省 洛阳市 中级人民法院\n行 政 判 决 书\n（ 2019 ）豫 03 行终 15 号\n上诉人（原审原告）张三。\n"
        "被上诉人（原审被告）洛阳市人民政府。\n上诉人张三因诉洛阳市人民政府行政复议一案，不服一审判决，提起上诉。\n"
        "本院认为，被诉行为合法。依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项之规定，判决如下：\n"
        "驳回上诉，维持原判。\n本判决为终审判决。\n审　判　长　　李　四\n二〇一九年十月三十日\n书　记　员　　王　五"
    )
    record = parse_text(raw)
    assert record.case_no == "（2019）豫03行终15号"
    assert record.court == "河南省洛阳市中级人民法院"
    assert record.section(S.operative).startswith("驳回上诉")
    (cite,) = record.citations
    assert raw[cite.start : cite.end] == cite.text
    assert (cite.article, cite.paragraph, cite.item) == (89, 1, 1)
    assert record.defendants == ["洛阳市人民政府"] and record.plaintiffs == ["张三"]
    assert record.judgment_date == "2019-10-30" and record.clerk == "王五"


@pytest.mark.parametrize(
    "text",
    [
        "关于进一步加强行政执法监督工作的通知\n各乡镇人民政府、县直各单位：\n为规范行政执法行为，现就有关事项通知如下：\n"
        "一、提高认识。\n二、落实责任。\n××县司法局\n2023年5月6日",
        "房屋租赁合同\n甲方：张三\n乙方：李四\n第一条 租赁期限一年。\n如发生争议，可向人民法院起诉。",
        "",
    ],
)
def test_non_judgments_are_rejected(text: str) -> None:
    with pytest.raises(Rejected) as info:
        parse_text(text)
    assert info.value.reason.value in ("not_judgment", "blank")


# A published appeal (abridged) whose lower court is a specialised court (北京知识产权法院), quoted in full.
IP_APPEAL = """北京市高级人民法院
行 政 判 决 书
（2021）京行终963号
上诉人（原审原告）：北京盈拓文化传媒有限公司，住所地北京市海淀区。
法定代表人：李伟东，经理。
委托诉讼代理人：张颖，北京云亭律师事务所律师。
被上诉人（原审被告）：国家知识产权局，住所地北京市海淀区。
法定代表人：申长雨，局长。
委托诉讼代理人：赵晶晶，国家知识产权局审查员。
原审第三人：云智联网络科技（北京）有限公司，住所地北京市朝阳区。
法定代表人：欧阳云，董事长。
上诉人北京盈拓文化传媒有限公司（简称盈拓公司）因商标权无效宣告请求行政纠纷一案，不服北京知识产权法院（2019）京73行初4301号行政判决，向本院提起上诉。本院于2021年3月11日受理后，依法组成合议庭进行了审理。本案现已审理终结。
北京知识产权法院查明：
一、诉争商标
1．注册人：盈拓公司。
三、被诉裁定：商评字[2019]第22893号《关于第20680746号“超级星饭团”商标无效宣告请求裁定书》。
被诉裁定作出时间：2019年1月29日。
盈拓公司不服被诉裁定，于法定期限向北京知识产权法院提起行政诉讼。
北京知识产权法院认为：云智联公司提交的证据能够证明云智联公司在诉争商标申请注册日前已经在娱乐信息等服务上使用了“超级星饭团”商标。
综上，北京知识产权法院依照《中华人民共和国行政诉讼法》第六十九条之规定，判决：驳回盈拓公司的诉讼请求。
盈拓公司不服原审判决，向本院提起上诉，请求撤销原审判决及被诉裁定，判令国家知识产权局重新作出裁定，其主要上诉理由为：一、云智联公司提交的证据不足以证明。
国家知识产权局、云智联公司服从原审判决。
经审理查明：原审法院查明的事实属实，本院予以确认。
另查，根据中央机构改革部署，原国家工商行政管理总局商标局、商标评审委员会的相关职责由国家知识产权局统一行使。
本院认为：
2013年商标法第三十二条规定，申请商标注册不得损害他人现有的在先权利。
综上所述，原审判决认定事实清楚，适用法律正确，程序合法，应予维持。依据《中华人民共和国行政诉讼法》第八十九条第一款第一项之规定，判决如下：
驳回上诉，维持原判。
一、二审案件受理费各一百元，均由北京盈拓文化传媒有限公司负担（均已交纳）。
本判决为终审判决。
审 判 长　孔庆兵
审 判 员　孙柱永
审 判 员　刘　岭
二〇二一年六月九日
法官助理　何　娟
书 记 员　郭媛媛"""


def test_appeal_quoting_a_specialised_lower_court() -> None:
    record = parse_text(IP_APPEAL)
    names = [s.name for s in record.sections]
    assert names == [S.header, S.parties, S.history, S.claims, S.findings, S.reasoning, S.operative, S.footer]
    assert "北京知识产权法院认为" in record.section(S.history)  # the lower court's reasoning is history
    assert record.section(S.reasoning).startswith("本院认为")
    assert record.first_instance is not None
    assert (record.first_instance.court, record.first_instance.case_no) == (
        "北京知识产权法院",
        "（2019）京73行初4301号",
    )
    assert record.first_instance.result == "驳回盈拓公司的诉讼请求"
    assert record.cause_of_action == "商标权无效宣告请求行政纠纷"
    assert record.plaintiffs == ["北京盈拓文化传媒有限公司"] and record.defendants == ["国家知识产权局"]
    assert record.judgment_date == "2021-06-09" and record.clerk == "郭媛媛"
