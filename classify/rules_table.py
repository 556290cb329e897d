"""Data: the rules a lawyer would recognise for why the agency lost.

Each rule: an id, the loss cause it signals, regular expressions over one sentence of the court's
reasoning, a strength (0..1: how surely the phrase alone proves the cause), and negation guards
(a pattern in the same clause just before the match that reverses it: 不存在程序违法, 并无明显不当).

Strength ≥ the ``rule_min_strength`` setting (default 0.5) stands on its own; weaker rules only
support a model tag with their sentence. Generic guards (the court restating a party's argument,
the court's opinion about a lower court's judgment) apply to every rule and live in ``classify.rules``.

Cited provisions are not read here: ``classify.anchors`` reads the parser's structured citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CauseRule:
    id: str
    cause: str
    patterns: tuple[str, ...]
    strength: float
    guards: tuple[str, ...] = field(default=())  # negations just before the match, same clause


# Negations common to the phrase rules (tested against the clause text before the match).
NEGATION = r"(不涉及|不存在|并不存在|不属于|并不属于|不构成|并不构成|并无|并未|没有|无|不能认定|难以认定|并非|不是|不足以认定|否认|不认为|未发现)[^，。；]{0,8}$"

RULES: list[CauseRule] = [
    # --- passive_defence 消极应诉 ---------------------------------------------------------
    CauseRule(
        "pd.deemed_no_evidence",
        "passive_defence",
        (r"视为[^。；，]{0,20}没有(相应|相关)?的?证据", r"视为[^。；，]{0,10}无(相应|相关)?证据"),
        0.9,
    ),
    CauseRule(
        "pd.late_evidence",
        "passive_defence",
        (
            r"(未|没有|均未)在[^。；]{0,12}(举证期限|法定期限|规定期限|期限)内[^。；]{0,16}(提交|提供|举示)[^。；]{0,30}(证据|依据|答辩状|材料)",
            r"(未|没有)(向本院)?(提交|提供)(答辩状|任何证据|证据和依据|作出[^。；]{0,20}的证据)",
        ),
        0.85,
    ),
    CauseRule(
        "pd.burden_failed",
        "passive_defence",
        (r"承担[^。；]{0,6}举证不能的?[^。；]{0,6}(法律)?后果",),
        0.8,
    ),
    CauseRule(
        "pd.no_proof_of_legality",
        "passive_defence",
        (r"(未|没有|不能|无法)(提交|提供|举示|举证)[^。；]{0,20}(证明|证实)[^。；]{0,30}(合法|依据)",),
        0.6,
    ),
    CauseRule(
        "pd.absent",
        "passive_defence",
        (
            r"拒不到庭",
            r"未经(法庭)?许可中途退庭",
            r"经[^。；]{0,10}传票传唤[^。；]{0,10}(无正当理由)?(拒不)?到庭",
        ),
        0.75,
    ),
    CauseRule(
        "pd.no_collective_evidence",
        "passive_defence",
        (r"没有提交[^。；]{0,30}(证据|依据)", r"未(向法院|向本院)?提交[^。；]{0,30}(证据|依据)"),
        0.45,
    ),
    # --- inaction 执法不作为 -------------------------------------------------------------
    CauseRule(
        "in.nonperformance",
        "inaction",
        (
            r"不(依法|及时)?履行[^。；，]{0,10}(法定)?职责",
            r"(拖延|迟延|延迟)履行",
            r"怠于履行",
            r"不作为",
            r"拒绝履行|拒不履行",
            r"未(依法|及时)?履行[^。；，]{0,16}(法定)?(职责|答复义务|查处义务|监管义务)",
        ),
        0.85,
        (NEGATION, r"(已经?|已依法)[^，。；]{0,6}$"),
    ),
    CauseRule(
        "in.overdue",
        "inaction",
        (
            r"逾期未(作出|答复|履行|处理|办理|给予)",
            r"(未|没有)在法定期限内[^。；]{0,20}(履职|履行|答复|作出|处理|办理)",
            r"(超过|超出)[^。；]{0,20}(答复|办理|处理)期限",
            r"(未|没有|不)(予|作出|依法作出|作)?(书面)?答复",
            r"不予答复",
            # a time phrase between the subject and the negation (至今仍未作出 / 长达两年均未处理)
            r"(至今|迄今|长期|一直|始终|时间内|期间)(仍|均|都)?(未|没有)(依法)?(作出|履行|答复|处理|办理|采取)",
            r"(未|没有)(作出|给予)任何(处理|答复|决定|回复)",
        ),
        0.8,
        (NEGATION,),
    ),
    CauseRule(
        "in.should_act",
        "inaction",
        (r"(应当|应)[^。；]{0,40}(依法)?(履行|作出)[^。；]{0,20}(职责|处理|答复|决定|行政行为)",),
        0.4,
    ),
    # --- procedure 违反法定程序 ----------------------------------------------------------
    CauseRule(
        "pr.unlawful_procedure",
        "procedure",
        (
            r"违反(法定|法律规定的|规定的|行政强制法规定的)?程序",
            r"程序(上)?(明显|轻微|严重|重大)?违法",
            r"程序[^。；，]{0,6}(违反|不符合)[^。；，]{0,10}(法律|规定)",
            r"程序(存在)?[^。；，]{0,4}(瑕疵|不当|缺陷)",
            r"违反了?[^。；]{0,30}法定程序",
            r"程序(不合法|不正当)",
            r"(未|没有)(依法)?(履行|遵守|遵循)[^。；，]{0,20}(法定)?程序",
        ),
        0.9,
        (NEGATION,),
    ),
    CauseRule(
        "pr.no_hearing",
        "procedure",
        (
            r"(未|没有|未能|并未)(依法|按法定程序)?(告知|听取|给予)[^。；]{0,30}(陈述|申辩|听证|回避|举证的权利|权利)",
            r"剥夺[^。；]{0,20}(陈述|申辩|听证)",
            r"(未|没有)(依法)?履行[^。；，]{0,10}告知义务",
            # the agency cannot show it followed the procedure
            r"(未|没有|不能)(提供|提交)[^。；]{0,10}证据证明[^。；]{0,16}(履行|遵守|符合)了?[^。；]{0,6}(法定)?程序",
        ),
        0.85,
    ),
    CauseRule(
        "pr.no_service",
        "procedure",
        (
            r"(未|没有)(依法)?(向[^。；]{0,20})?送达",
            r"(未|没有)(依法)?(履行|进行)[^。；]{0,10}(催告|公告|告知|送达)(程序|义务)?",
            r"(未|没有)[^。；]{0,12}(书面催告|催告)",
            r"(未|没有)[^。；]{0,10}(张贴|公告)[^。；]{0,10}公告",
            # the agency cannot show it served (其提交的证据不能证明已向原告送达)
            r"(不能|无法|未能|不足以)(证明|证实)[^。；]{0,20}(已|已经)?[^。；]{0,12}送达",
        ),
        0.8,
    ),
    CauseRule(
        "pr.no_decision_before_force",
        "procedure",
        (
            r"(未|没有)(依法)?作出[^。；]{0,20}(强制执行决定|强制拆除决定|限期拆除决定|行政强制执行决定)",
            r"(既未|未|没有)[^。；]{0,10}取得[^。；]{0,30}(生效|准予强制执行)",
        ),
        0.7,
    ),
    CauseRule(
        "pr.time_limit",
        "procedure",
        (
            r"(超过|超出)[^。；]{0,30}(法定|规定)?(?<!起诉)(?<!举证)(?<!上诉)(?<!答复)(期限|时限|办案期限)",
            r"超期(作出|办理|处理|结案|办结)|逾期(作出|结案|办结)(?!答复)",
        ),
        0.6,
        (NEGATION,),
    ),
    CauseRule(
        "pr.internal",
        "procedure",
        (r"(未|没有)(经过?)?[^。；]{0,10}(集体讨论|法制审核|负责人批准|审批手续)",),
        0.7,
    ),
    # --- law_application 适用法律错误 ----------------------------------------------------
    CauseRule(
        "la.wrong_law",
        "law_application",
        (
            r"适用法律[、，和]?(法规)?[^。；，]{0,4}(错误|不当)",
            r"法律适用[^。；，]{0,4}(错误|不当)",
            r"适用(依据|法规|条款|规定)[^。；，]{0,4}(错误|不当)",
            r"错误适用",
            r"适用[^。；，]{0,30}(属|系|是|明显)?(适用)?错误",
        ),
        0.9,
        (NEGATION,),
    ),
    CauseRule(
        "la.no_basis",
        "law_application",
        (r"(缺乏|没有|无|欠缺)(法律|法定)?(法律依据|法规依据|法律法规依据|法律根据)",),
        0.7,
        (r"(不存在|并非|不属于|不能认定)[^，。；]{0,8}$",),
    ),
    CauseRule(
        "la.misread",
        "law_application",
        (r"(理解|认定|解释)[^。；，]{0,4}(有误|错误)",),
        0.45,
    ),
    # --- insufficient_evidence 主要证据不足 ----------------------------------------------
    CauseRule(
        "ie.main_evidence",
        "insufficient_evidence",
        (
            r"主要证据不足",
            r"证据(明显|严重|显然)?不足",
            r"证据不充分",
            r"缺乏(充分的?)?(事实)?(证据|根据)(支持|证明)?",
        ),
        0.85,
        (NEGATION,),
    ),
    CauseRule(
        "ie.facts_unclear",
        "insufficient_evidence",
        (
            r"(认定)?事实(明显|严重)?不清",
            r"事实认定不清",
            r"(认定)?事实(错误|有误)",
            r"认定[^。；，]{0,10}事实[^。；，]{0,6}(错误|有误|不当)",
            r"疏于[^。；]{0,10}(查明|调查|核实)",
            r"(未|没有)(全面|充分|依法)?(调查|核实|查明|收集证据)",
        ),
        0.8,
        (NEGATION,),
    ),
    CauseRule(
        "ie.own_evidence_fails",
        "insufficient_evidence",
        (
            r"(被告|其|被上诉人|行政机关)[^。；，]{0,10}(提供|提交|举示)的[^。；，]{0,10}证据[^。；，]{0,6}(不能|不足以|无法)(证明|证实)",
            # the agency failed to prove what it found (被告未能证明…)
            r"(被告|被上诉人|被申请人|行政机关)[^。；，]{0,8}(未能|不能|无法|没有)(举证)?(证明|证实)",
        ),
        0.7,
    ),
    CauseRule(
        "ie.not_proven",
        "insufficient_evidence",
        (r"(不能|无法|不足以|并不能)(证明|证实|认定)", r"(没有|无|未提供)证据(证明|证实)"),
        0.4,
    ),
    # --- ultra_vires 超越职权 ------------------------------------------------------------
    CauseRule(
        "uv.beyond_power",
        "ultra_vires",
        (
            r"超越了?(其)?(法定)?职权",
            r"越权",
            r"超出[^。；，]{0,6}职权(范围)?",
            r"无权(作出|实施|处理|认定|行使)",
            r"(主体|执法主体)不(适格|合法)",
            r"(没有|缺乏|不具备)[^。；，]{0,10}法定职权",
        ),
        0.85,
        (NEGATION,),
    ),
    # --- abuse_of_power 滥用职权 ---------------------------------------------------------
    CauseRule("ab.abuse", "abuse_of_power", (r"滥用职权",), 0.9, (NEGATION,)),
    # --- manifestly_improper 明显不当 ----------------------------------------------------
    CauseRule(
        "mi.improper",
        "manifestly_improper",
        (r"明显不当", r"显失公正", r"显失公平", r"畸重|畸轻", r"过罚不(当|相当|相适应)", r"明显过重"),
        0.85,
        (NEGATION,),
    ),
    # --- other: a loss none of the named causes covers (e.g. breach of an administrative agreement)
    CauseRule(
        "ot.breach",
        "other",
        (
            r"构成违约",
            r"违反[^。；]{0,10}(协议|合同)[^。；]{0,4}约定",
            r"(未|没有)按[^。；]{0,10}约定[^。；]{0,20}(支付|履行)",
        ),
        0.75,
        (NEGATION, r"(原告|原审原告|第三人|乙方)[^，。；]{0,4}$"),  # the citizen's breach is not the agency's
    ),
]
