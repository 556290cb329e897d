"""Action type from the 案由, the claims and the sued act; field from the agency or, for a government,
from the legal basis; the model abstains to `other` when unsure. Records written for the test."""

from __future__ import annotations

import pytest

from classify.action_field import action_type_of, field_of, informative_case_cause, set_action_and_field
from classify.types import Classification
from core.taxonomy import ActionType, Field, Outcome, SectionName
from ingest.record import Citation, JudgmentRecord, Section


def record(
    cause: str | None = None,
    phrase: str = "",
    claims: str = "",
    defendants: tuple[str, ...] = ("某某县自然资源局",),
    laws: tuple[str, ...] = (),
) -> JudgmentRecord:
    head = f"原告张三诉被告{defendants[0]}{phrase}一案，本院受理后依法审理。\n"
    text = head + claims + "\n本院认为，……\n"
    sections = (
        [Section(name=SectionName.claims, start=len(head), end=len(head) + len(claims))] if claims else []
    )
    cites = [Citation(law=law, article=1, text=law, start=0, end=1) for law in laws]
    return JudgmentRecord(
        text=text,
        cause_of_action=cause,
        defendants=list(defendants),
        plaintiffs=["张三"],
        sections=sections,
        citations=cites,
    )


@pytest.mark.parametrize(
    ("r", "want"),
    [
        # a category 案由 says nothing: the claims decide
        (
            record("房屋拆迁管理（拆迁）", claims="原告诉称：请求确认被告强制拆除原告房屋的行为违法。"),
            ActionType.coercion,
        ),
        # the agency's name in "…诉…一案" is not the 案由 (不动产登记中心 is no registration)
        (
            record(
                None,
                phrase="行政纠纷",
                defendants=("某某县不动产登记中心",),
                claims="原告诉称：请求判令被告履行对原告举报的违法建设进行查处的法定职责。",
            ),
            ActionType.nonperformance,
        ),
        (record("不履行对违法占用耕地行为进行查处的法定职责"), ActionType.nonperformance),
        (record("房屋征收补偿协议"), ActionType.agreement),
        (
            record("行政纠纷", claims="诉讼请求：1、请求依法判决被告赔偿原告损失五万元。"),
            ActionType.compensation,
        ),
        # a category 案由 is read last, when the claims and the sued act say nothing
        (record("房屋登记管理（房屋登记）"), ActionType.registration),
        # 复议维持: the original act named beside 复议 is the act
        (
            record(None, phrase="房屋征收及行政复议", defendants=("某某区人民政府", "某某市人民政府")),
            ActionType.expropriation,
        ),
        (
            record(
                "行政复议",
                defendants=("某某县公安局", "某某县人民政府"),
                claims="诉讼请求：撤销被告某某县公安局作出的行政处罚决定及被告某某县人民政府作出的复议决定。",
            ),
            ActionType.penalty,
        ),
        (record("行政复议", defendants=("某某市人民政府",)), ActionType.reconsideration),
        # 行政不作为 in the claims, before the narrative of a demolition
        (
            record(
                "行政纠纷",
                claims="原告诉称：请求确认被告行政不作为违法。原告的房屋被他人强拆后，原告向被告投诉。",
            ),
            ActionType.nonperformance,
        ),
        # the requests after "请求：" are the claims, not the narrative before them
        (
            record(
                "行政纠纷",
                claims="原告诉称：原告在某村经营养殖场多年，持有相关许可证。为此提起诉讼，请求：一、确认被告查封原告仓库的行为违法。",
            ),
            ActionType.coercion,
        ),
        # a finding asked to be undone is a confirmation
        (
            record("行政纠纷", claims="原告诉称：请求撤销被告将原告的仓库列为危险建筑的认定。"),
            ActionType.confirmation,
        ),
    ],
)
def test_action_type_from_cause_claims_and_sued_act(r: JudgmentRecord, want: ActionType) -> None:
    assert action_type_of(r) == want


def test_an_application_to_enforce_reads_past_the_applicants_name() -> None:
    r = record(None, phrase="要求强制执行某某县自然资源局对李四违法占地")
    assert action_type_of(r) == ActionType.penalty


def test_party_names_are_cut_from_the_case_phrase() -> None:
    r = record(None, phrase="行政处罚", defendants=("某某市公安局交通警察支队",))
    assert informative_case_cause(r) == "行政处罚"


@pytest.mark.parametrize(
    ("agency", "want"),
    [
        ("某某市社会保险事业管理局", Field.human_resources),
        ("某某县人社局", Field.human_resources),
        ("某某省某某国家级自然保护区管理局", Field.environment),
        ("某某区应急管理局", Field.other),
        ("某某市交通运输综合行政执法支队", Field.transport),
        ("某某县农业综合行政执法大队", Field.agriculture),
        ("某某市市场监管综合行政执法队", Field.market_regulation),
        ("某某区综合行政执法局", Field.urban_management),
    ],
)
def test_field_from_the_agency(agency: str, want: Field) -> None:
    assert field_of(record("行政处罚", defendants=(agency,))) == want


@pytest.mark.parametrize(
    ("r", "want"),
    [
        (
            record("行政强制", defendants=("某某镇人民政府",), laws=("中华人民共和国城乡规划法",)),
            Field.natural_resources,
        ),
        (
            record("行政协议", defendants=("某某区人民政府",), laws=("国有土地上房屋征收与补偿条例",)),
            Field.housing_construction,
        ),
        (record("行政复议", defendants=("某某市人民政府",)), Field.local_government),
    ],
)
def test_government_field_from_the_legal_basis(r: JudgmentRecord, want: Field) -> None:
    assert field_of(r) == want


class _Unsure:
    """A model that guesses with low probability."""

    def action_type(self, words: list[str]) -> tuple[str, float]:
        return "penalty", 0.2

    def field(self, words: list[str]) -> tuple[str, float]:
        return "transport", 0.25


def test_unsure_model_abstains_to_other() -> None:
    r = record("行政纠纷", defendants=("某某研究院",))
    c = Classification(outcome=Outcome.agency_won)
    set_action_and_field(r, _Unsure(), c, 0.3, 0.4)  # type: ignore[arg-type]
    assert (c.action_type, c.field) == (ActionType.other, Field.other)
    assert c.action_type_probability == 0.2


def _named_elsewhere(history: str = "", reasoning: str = "", title: str = "行政裁定书") -> JudgmentRecord:
    """A record whose 案由 and claims say nothing: only the history, the reasoning or the title name the act."""
    head = "某某县人民法院\n" + title + "\n"
    text = head + history + "\n" + reasoning + "\n"
    sections = []
    if history:
        sections.append(Section(name=SectionName.history, start=len(head), end=len(head) + len(history)))
    if reasoning:
        start = len(head) + len(history) + 1
        sections.append(Section(name=SectionName.reasoning, start=start, end=start + len(reasoning)))
    return JudgmentRecord(
        text=text, title=title, defendants=["某某县市场监督管理局"], plaintiffs=["李四"], sections=sections
    )


@pytest.mark.parametrize(
    ("r", "want"),
    [
        # the suit brought against the act (不服…提起行政诉讼)
        (
            _named_elsewhere("原告李四不服被告某某县市场监督管理局股权变更登记，于某日向本院提起行政诉讼。"),
            ActionType.registration,
        ),
        # an application to enforce names what is enforced; 申请执行人 is only the party's role
        (
            _named_elsewhere("申请执行人某某县市场监督管理局向本院申请强制执行其作出的罚款决定。"),
            ActionType.penalty,
        ),
        # the appeal notice 不服本判决 is not the suit
        (_named_elsewhere("如不服本判决，可以向某某市中级人民法院提起行政诉讼。"), None),
        # the title of a compensation ruling
        (_named_elsewhere("原告李四自愿撤回起诉。", title="行政赔偿裁定书"), ActionType.compensation),
        # the first sentence of the reasoning, read as a 案由
        (
            _named_elsewhere(
                reasoning="本院认为，被告作出的责令停产停业的行政处罚决定事实清楚。被告曾颁发许可证。"
            ),
            ActionType.penalty,
        ),
        # last: the opening of the reasoning read with the claim rows (查封 named in its second sentence)
        (
            _named_elsewhere(reasoning="本院认为，本案事实清楚。被告于某日查封了原告的仓库。"),
            ActionType.coercion,
        ),
        # nothing names the act: the model decides
        (_named_elsewhere(reasoning="本院认为，本案事实清楚，证据充分。"), None),
    ],
)
def test_act_named_in_the_history_title_or_reasoning(r: JudgmentRecord, want: ActionType | None) -> None:
    assert action_type_of(r) == want


def test_upheld_on_reconsideration_is_not_a_reconsideration_suit() -> None:
    """复议维持 with the body marked: when the claims name only the 复议决定, the model reads the original act."""
    r = record(
        "行政复议",
        defendants=("某某县公安局", "某某县人民政府"),
        claims="诉讼请求：撤销被告某某县人民政府作出的复议决定。",
    ).model_copy(update={"defendant_roles": {"某某县人民政府": "reconsideration_body"}})
    assert action_type_of(r) is None
    unmarked = r.model_copy(update={"defendant_roles": {}})
    assert action_type_of(unmarked) == ActionType.reconsideration
