"""The 03 page's sentences (差距与哪些条件有关): the model plan, the models, how much of the rural gap goes
with staffing (Gelbach, Oaxaca–Blinder, Shapley), school effects, classes and teachers —
association, never cause."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.rules import MIN_CLUSTERS
from eduqa.text.narrative.common import (
    CAUTION,
    _and,
    _row,
    few_schools_note,
    markdown_heading,
    num,
    pct,
    span,
    term_label,
)
from eduqa.text.narrative.indicators import gap_phrase
from eduqa.text.numbers import display_number

ATTRIBUTION_SECTIONS = pairs("narrative.attribution.attribution_sections")


def attribution_section(key: str, language: str = "zh") -> str:
    return markdown_heading(ATTRIBUTION_SECTIONS, key, language, 2)


def staffing_share(explained: pd.Series, base: pd.Series, language: str = "zh",
                   rural_schools: int | None = None) -> str:
    """How much of the rural gap goes with staffing: the Gelbach ``explained`` row against the
    ``base`` coefficient, with the percentile interval of the bootstrap ratio
    (``share_low``, ``share_high``). No share is printed when the gap itself is not clearly
    one way, when the rural schools are too few, or when the bootstrap gave no interval; a
    share whose interval includes 0 is said to be undetermined. '' when the base gap is 0."""
    zh = language != "en"
    if not base["estimate"]:
        return ""
    if rural_schools is not None and rural_schools < MIN_CLUSTERS:
        return say("narrative.attribution.staffing_share.with_only_rural_schools", zh,
                   rural_schools=rural_schools)
    if base["ci_low"] <= 0 <= base["ci_high"]:
        return say("narrative.attribution.staffing_share.rural_gap_itself_not", zh)
    low, high = explained.get("share_low", np.nan), explained.get("share_high", np.nan)
    if not (np.isfinite(low) and np.isfinite(high)):
        return say("narrative.attribution.staffing_share.how_much_rural_gap", zh)
    share = pct(abs(explained["share"]), 0)
    direction = ("乡村学校落后于城区学校" if base["estimate"] < 0 else "乡村学校领先于城区学校") if zh \
        else ("rural schools trail urban ones" if base["estimate"] < 0
              else "rural schools lead urban ones")
    if low <= 0 <= high:
        return say("narrative.attribution.staffing_share.gap_by_which_how", zh, direction=direction)
    if explained["share"] < 0:  # staffing differences point the other way
        return say("narrative.attribution.staffing_share.differences_teacher_shortage_out", zh,
                   direction=direction, share=share, minus_high=pct(-high, 0),
                   minus_low=pct(-low, 0), direction_capitalize=direction.capitalize())
    return say("narrative.attribution.staffing_share.about_gap_by_which", zh, direction=direction,
               share=share, low=pct(low, 0), high=pct(high, 0))


def attribution_summary(sequence, gelbach_table: pd.DataFrame | None, language: str = "zh",
                        rural_schools: int | None = None,
                        gaps: pd.DataFrame | None = None) -> str:
    """The headline: the rural gap, and the share that goes with staffing, with its CI; with
    fewer than MIN_CLUSTERS rural schools, the number it rests on and no verdict.

    With ``gaps`` (:func:`eduqa.indicators.group_gap`) the gap is the very figure of the
    landing page and the 02 page (one figure per quantity); without, the M1 coefficient."""
    zh = language != "en"
    coef = sequence.coefficients.set_index(["model", "term"])
    models = sequence.models.set_index("model")
    parts = []
    icc = models.loc["M0", "icc"]
    parts.append(say("narrative.attribution.attribution_summary.variance_students_total_scores", zh,
                     icc=pct(icc)))
    gap = _row({"gaps": gaps}, "gaps", subject="total", indicator="mean", category="rural")
    if gap is not None:
        parts.append(gap_phrase(gap, language) + say("narrative.attribution.attribution_summary.text",
                                                     zh))
    elif ("M1", "rural") in coef.index:
        m1 = coef.loc[("M1", "rural")]
        ahead = m1["estimate"] > 0
        few = rural_schools is not None and rural_schools < MIN_CLUSTERS
        clear = m1["ci_low"] > 0 or m1["ci_high"] < 0
        size = abs(m1["estimate"])
        if zh:
            interval = f"95% 置信区间为乡村{span(m1['ci_low'], m1['ci_high'])}"
            text = (f"不考虑其他因素时，乡村学校学生平均比城区学校{'高' if ahead else '低'} "
                    f"{size:.2f} 个标准差（{interval}）" if clear or few else
                    f"不考虑其他因素时，乡村学校与城区学校学生平均差异不明显（乡村"
                    f"{'高' if ahead else '低'} {size:.2f} 个标准差；{interval}）")
        else:
            interval = f"95% CI: rural {span(m1['ci_low'], m1['ci_high'], 'en')}"
            text = (f"Without other factors, rural students score {size:.2f} SD "
                    f"{'above' if ahead else 'below'} urban students ({interval})" if clear or few
                    else "Without other factors, rural and urban students do not differ "
                    f"clearly (rural {size:.2f} SD {'above' if ahead else 'below'}; {interval})")
        if rural_schools is not None and rural_schools < MIN_CLUSTERS:
            text += say("narrative.attribution.attribution_summary.text_", zh) + few_schools_note(rural_schools, language=language,
                                                             randomization=False)
        parts.append(text + say("narrative.attribution.attribution_summary.text", zh))
    if gelbach_table is not None and len(gelbach_table):
        terms = gelbach_table.set_index("term")
        if "explained" in terms.index and "base" in terms.index:
            sentence = staffing_share(terms.loc["explained"], terms.loc["base"], language,
                                      rural_schools)
            if sentence:
                parts.append(sentence)
    parts.append(CAUTION[1 if not zh else 0])
    return ("".join(parts)) if zh else " ".join(parts)


def _coincided(term: str, how: dict | None, language: str) -> str:
    """One sentence on a model term left out, saying what it coincided with this season."""
    zh = language != "en"
    name = term_label(term, language)
    how = how or {}
    if "constant" in how:
        value = how["constant"]
        if value in (0.0, 1.0):  # a yes/no term
            return (f"本季所有学校{'都是' if value else '都不是'}“{name}”学校，无法估计这一项的作用，"
                    "已从模型中去掉。" if zh else
                    f"{'Every' if value else 'No'} school is '{name}' this season, so its effect "
                    "cannot be estimated; it was left out.")
        return say("narrative.attribution.coincided.same_for_every_school", zh, name=name,
                   value=num(value))
    others = [term_label(t, language) for t in how.get("combination", [])]
    if others:
        return say("narrative.attribution.coincided.exact_combination_this_season", zh, name=name,
                   others=list(others), others2=_and(others))
    return say("narrative.attribution.coincided.coincides_exactly_with_other", zh, name=name)


def models_overview(models: pd.DataFrame, dropped: list[str], language: str = "zh",
                    coincides: dict | None = None) -> str:
    """The model sequence in words; each term left out is explained by what it coincided
    with (``coincides``, from :class:`eduqa.attribution.ModelSequence`)."""
    zh = language != "en"
    coincides = coincides or {}
    by_model = models.set_index("model")
    reduction = by_model["group_var_reduction"]
    dropped_text = [_coincided(t, coincides.get(t), language) for t in dropped]
    if not np.isfinite(reduction.to_numpy(float)).all():  # (1 − τ²_M / 0: M0's τ² is 0)
        text = say("narrative.attribution.models_overview.between_school_variance_null", zh)
    elif zh:
        text = (f"与空模型 M0 相比，校际方差在加入城乡类别（M1）后{_change(reduction['M1'], zh)}，"
                f"再加入缺编率和教非所学比例（M2）后{_change(reduction['M2'], zh)}，"
                f"加入其他控制变量（M3）后{_change(reduction['M3'], zh)}。")
    else:
        text = (f"Against the null model M0, the between-school variance is "
                f"{_change(reduction['M1'], zh)} with urban-rural status (M1), "
                f"{_change(reduction['M2'], zh)} with staffing added (M2), and with the other "
                f"controls (M3) {_change(reduction['M3'], zh)}.")
    return text + "".join(dropped_text) if zh else " ".join([text, *dropped_text])


def _change(reduction: float, zh: bool) -> str:
    """「减少 12%」/「增加 3%」 (lower by 12% / higher by 3%): the change in the school variance
    against the null model, in words that agree with its sign (adding a term can raise the
    REML estimate of the school variance)."""
    if reduction < 0:
        return say("narrative.attribution.change.higher_by", zh, minus_reduction=pct(-reduction, 0))
    return say("narrative.attribution.change.lower_by", zh, reduction=pct(reduction, 0))


def plan_note(plan, language: str = "zh") -> str:
    """One sentence per model term the rural-gap decompositions leave out this season, and
    why (:class:`eduqa.attribution.GapPlan`); '' when nothing is left out."""
    zh = language != "en"
    parts = []
    for term, reason in plan.left_out.items():
        name = term_label(term, language)
        if reason == "no_rural":
            parts.append(say("narrative.attribution.plan_note.this_season_has_no", zh))
        elif reason == "no_urban":
            parts.append(say("narrative.attribution.plan_note.this_season_has_no_", zh))
        elif term in ("town", "rural"):  # (a place term the model section explains)
            continue
        elif reason == "absent":
            parts.append(say("narrative.attribution.plan_note.staffing_file_has_no", zh, name=name))
        elif reason == "constant":
            parts.append(say("narrative.attribution.plan_note.same_every_school_so", zh, name=name,
                             name_capitalize=name.capitalize()))
        elif reason == "collinear":
            parts.append(say("narrative.attribution.plan_note.coincides_exactly_with_terms", zh,
                             name=name, name_capitalize=name.capitalize()))
        elif reason == "too_few_schools":
            parts.append(say("narrative.attribution.plan_note.with_only_schools_cannot", zh,
                             n_schools=plan.n_schools, name=name))
    if plan.focal is not None and not plan.mediators and not any(
            r in ("no_rural", "no_urban") for r in plan.left_out.values()):
        parts.append(say("narrative.attribution.plan_note.no_staffing_term_can", zh))
    return ("".join(parts) if zh else " ".join(parts)) + ("\n\n" if parts else "")


def oaxaca_overview(table: pd.DataFrame, language: str = "zh",
                    rural_schools: int | None = None) -> str:
    """The Oaxaca–Blinder decomposition in words: the gap with its interval, the explained
    part and its share only when the gap is clearly one way, and why the unexplained part is
    shown only as a total. '' for an empty table (the decomposition was not run: the page's
    summary says why)."""
    zh = language != "en"
    if table.empty:
        return ""
    rows = table.set_index(["part", "term"])
    gap = rows.loc[("gap", "all")]
    explained = rows.loc[("explained", "all")]
    clear = gap["ci_low"] > 0 or gap["ci_high"] < 0
    ahead = gap["estimate"] < 0
    draws = int(gap.get("draws", 0) or 0)
    bounded = bool(np.isfinite([gap["ci_low"], gap["ci_high"]]).all())
    if zh:
        interval = (f"95% 区间为乡村{span(-gap['ci_high'], -gap['ci_low'])}" if bounded
                    else "学校太少，无法给出区间")
        word = "高" if ahead else "低"
        text = (f"乡村学生总分标准分平均比城区学生{word} {abs(gap['estimate']):.2f} 个标准差"
                f"（{interval}）。" if clear or not bounded or (
                    rural_schools is not None and rural_schools < MIN_CLUSTERS) else
                f"乡村学生与城区学生总分标准分平均差异不明显（乡村{word} {abs(gap['estimate']):.2f}"
                f" 个标准差；{interval}）。")
        if rural_schools is not None and rural_schools < MIN_CLUSTERS:
            text += few_schools_note(rural_schools, language=language) + "，也不计算可解释部分所占的比例。"
        elif not clear:
            text += "这一差距在统计上不明显，因此不计算可解释部分所占的比例。"
        elif np.isfinite(explained.get("share_low", np.nan)):
            text += (f"其中 {explained['estimate']:.2f} 个标准差（约 {pct(explained['share'], 0)}，"
                     f"区间 {pct(explained['share_low'], 0)} 至 {pct(explained['share_high'], 0)}）"
                     "与两类学校在师资等条件上的差异相关。")
        else:
            text += "学校太少或自助样本大多无法识别，可解释部分给不出可靠区间，不作比例判断。"
        text += ("未解释部分只给合计：把某个变量整体平移（例如规模改用“百人”为单位），各变量的未解释分项就会改变，"
                 "单独解读没有意义。")
        if draws:
            text += f"自助法共 {draws} 次有效抽样（无法识别的抽样已剔除）。"
        return text
    interval = (f"95% CI: rural {span(-gap['ci_high'], -gap['ci_low'], 'en')}"
                if bounded else "too few schools for an interval")
    text = (f"Rural students' mean standardised total is {abs(gap['estimate']):.2f} SD "
            f"{'above' if ahead else 'below'} urban students' ({interval}). ")
    if rural_schools is not None and rural_schools < MIN_CLUSTERS:
        text += (few_schools_note(rural_schools, language=language).capitalize()
                 + "; no explained share is given. ")
    elif not clear:
        text += "The gap is not statistically clear, so no explained share is given. "
    elif np.isfinite(explained.get("share_low", np.nan)):
        text += (f"{explained['estimate']:.2f} SD (about {pct(explained['share'], 0)}, interval "
                 f"{pct(explained['share_low'], 0)} to {pct(explained['share_high'], 0)}) goes "
                 "with differences in staffing and the other predictors. ")
    else:
        text += ("With too few schools or too many unidentified resamples, the explained part "
                 "has no reliable interval and no share is given. ")
    text += ("The unexplained part is shown only as a total: its per-predictor pieces change "
             "when a predictor is shifted by a constant, so they have no meaning on their own.")
    if draws:
        text += f" {draws} usable bootstrap draws (unidentified resamples dropped)."
    return text


def shapley_overview(table: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    rows = table.set_index("factor")
    total = rows.loc["all", "r2_share"]
    parts = [say("narrative.attribution.shapley_overview.text", zh, name=name,
                 row_r2_share=pct(row["r2_share"]))
             for name, row in rows.drop(index="all").iterrows()]
    adjusted = rows.loc["all"].get("rsquared_adj", np.nan)
    schools = rows.loc["all"].get("n_schools", np.nan)
    if zh:
        text = (f"学校层面模型解释了各校平均标准分差异的 {pct(total)}（R²），其中" + "，".join(parts)
                + "。各部分之和等于总 R²。")
        if np.isfinite(adjusted):
            text += (f"只有 {int(schools)} 所学校，按变量个数调整后的 R² 为 {pct(adjusted)}，"
                     "学校少、变量多时 R² 会偏高。")
        return text
    text = (f"The school-level model explains {pct(total)} of the variance in school means (R²): "
            + ", ".join(parts) + "; the parts add up to R².")
    if np.isfinite(adjusted):
        text += (f" With {int(schools)} schools, the R² adjusted for the number of terms is "
                 f"{pct(adjusted)}: with few schools and many terms R² runs high.")
    return text


def above_below(effects: pd.DataFrame) -> tuple[int, int]:
    """How many schools are flagged clearly above and clearly below expectation."""
    return int((effects["flag"] == "above").sum()), int((effects["flag"] == "below").sum())


def effects_overview(effects: pd.DataFrame, matched: float | None, language: str = "zh") -> str:
    zh = language != "en"
    above, below = above_below(effects)
    if zh:
        text = (f"在考虑城乡、师资和其他条件后，{above} 所学校明显高于预期，{below} 所明显低于预期（95% 区间不含 0）；"
                f"其余 {len(effects) - above - below} 所学校与预期没有可分辨的差异，不宜据此排名或问责。")
        if matched is not None:
            text += (f"本季 {pct(matched)} 的学生与上一学年成绩匹配，因此这里比较的是学生的进步（未匹配的学生不参与比较），"
                     "并考虑了各校上一学年的平均成绩（生源），以免把生源好坏当作学校办得好坏。"
                     "动态跟踪页的增值评价只比较同等起点、同等生源的学生一年来的进步，不考虑城乡、师资等学校条件，"
                     "所以两页标出的学校可以不同：本页回答“在同等条件下学校做得如何”，动态跟踪页回答“学生进步多少”。")
        else:
            text += "本季没有可匹配的上一学年成绩，这里比较的是成绩水平，不是进步（增值）。"
        return text
    text = (f"After urban-rural status, staffing and other conditions, {above} schools are "
            f"above and {below} below expectation (95% interval excludes 0); the other "
            f"{len(effects) - above - below} cannot be told apart from expectation and should "
            "not be ranked or held to account on this basis.")
    if matched is not None:
        text += (f" {pct(matched)} of students are linked to last year's scores, so this "
                 "compares progress (unlinked students are left out), allowing for each "
                 "school's mean score last year (intake) so that intake is not taken for how "
                 "well the school does. "
                 "The trends page's value added compares only students of the same start and "
                 "intake, without school conditions such as urban-rural status or staffing, so "
                 "the two pages may flag different schools: this page asks how a school does "
                 "given its conditions, the trends page how much its students progressed.")
    else:
        text += (" No prior season is linked, so this compares levels of attainment, not "
                 "progress (value added).")
    return text


def classes_overview(classes: pd.DataFrame, balance: pd.DataFrame, cv_limit: float,
                     min_group_size: int, language: str = "zh") -> str:
    """How many classes were ranked, the lowest-ranked class, and the schools whose parallel
    classes are unbalanced (each with its highest and lowest class); ``classes`` and
    ``balance`` are of the total."""
    zh = language != "en"
    if classes.empty:
        return say("narrative.attribution.classes_overview.score_export_has_no", zh)
    ranked = classes[classes["rank"].notna()].sort_values(["rank", "school_code", "class"])
    small = int(classes["small_group"].sum())
    if zh:
        text = f"全县共 {len(classes)} 个班级，其中 {len(ranked)} 个参与全县排名"
        text += (f"（{small} 个班参考人数不足 {min_group_size} 人，只列出不排名）。" if small else "。")
    else:
        text = (f"The county has {len(classes)} classes; {len(ranked)} are ranked"
                + (f" ({small} with fewer than {min_group_size} pupils are listed, not "
                   "ranked)." if small else "."))
    if len(ranked):
        last = ranked.iloc[-1]
        text += say("narrative.attribution.classes_overview.lowest_composite_index_mean", zh,
                    last_school_name=last["school_name"], last_class=last["class"],
                    last_mean=num(last["mean"]))
    if balance.empty:
        return text + say("narrative.attribution.classes_overview.no_school_has_two", zh)
    unbalanced = balance[balance["unbalanced"].astype(bool)].sort_values("cv", ascending=False)
    limit = display_number(cv_limit, "precise")
    if unbalanced.empty:
        return text + say("narrative.attribution.classes_overview.all_schools_with_parallel", zh,
                          n_balance=len(balance), limit=limit)
    names = [say("narrative.attribution.classes_overview.cv", zh,
                 row_school_name=row["school_name"], row_cv=display_number(row["cv"], "precise"),
                 row_highest_class=row["highest_class"], row_highest=num(row["highest"]),
                 row_lowest_class=row["lowest_class"], row_lowest=num(row["lowest"])) for _, row in unbalanced.iterrows()]
    if zh:
        return text + (f"{len(balance)} 所有平行班的学校中，{len(unbalanced)} 所平行班之间的差异系数超过 "
                       f"{limit}，标为不均衡：{'、'.join(names)}。班级之间的差别也可能来自分班时的生源，"
                       "宜结合入学成绩看。")
    return text + (f" Of {len(balance)} schools with parallel classes, {len(unbalanced)} have "
                   f"a CV of class means above {limit} and are flagged unbalanced: "
                   f"{'; '.join(names)}. Differences may come from how pupils were placed; "
                   "read them with intake scores.")


def levels_overview(levels: pd.DataFrame, language: str = "zh") -> str:
    """How the variance of the standardised total splits between schools, between classes of a
    school and within classes (three-level model)."""
    zh = language != "en"
    if levels.empty:
        return say("narrative.attribution.levels_overview.no_school_has_two", zh)
    share = dict(zip(levels["level"], levels["share"]))
    school, klass, within = (share["between_schools"], share["between_classes"],
                             share["within_classes"])
    if zh:
        text = (f"学生总分标准分的差异中，{pct(school)} 在学校之间，{pct(klass)} 在同一学校的班级之间，"
                f"{pct(within)} 在同一班级的学生之间。")
        text += ("同校班级之间的差异大于学校之间的差异，说明校内分班与教学的差别值得先看。" if klass > school else
                 "学校之间的差异大于同校班级之间的差异。")
        return text
    text = (f"Of the variance of pupils' standardised totals, {pct(school)} lies between "
            f"schools, {pct(klass)} between classes of the same school and {pct(within)} "
            "between pupils of a class. ")
    text += ("Classes of a school differ more than schools do: look inside schools first."
             if klass > school else "Schools differ more than the classes of a school do.")
    return text


def teachers_overview(teachers: pd.DataFrame, enabled: bool, language: str = "zh") -> str:
    """The teacher view's explanation, or that it is switched off."""
    zh = language != "en"
    if not enabled:
        return say("narrative.attribution.teachers_overview.teacher_view_off_internal", zh)
    if teachers.empty:
        return say("narrative.attribution.teachers_overview.no_teacher_record_file", zh)
    above = int((teachers["flag"] == "above").sum())
    below = int((teachers["flag"] == "below").sum())
    if zh:
        return (f"本节仅供内部使用，不应出现在公开材料中。每位教师的数值是其任教班级相对本校其他班级的效应"
                f"（按学生人数加权）及 95% 区间，按教师编号排列，不是排名：区间重叠的教师之间没有可分辨的差别。"
                f"{len(teachers)} 位（次）教师中，{above} 位的区间在 0 以上，{below} 位在 0 以下；"
                "分班时的生源差别也会反映在这里，不能据此单独评价教师。")
    return (f"Internal use only: not for public papers. Each figure is the teacher's classes "
            "against the school's other classes (pupil-weighted) with a 95% interval, listed "
            "by code, not ranked: teachers whose intervals overlap cannot be told apart. Of "
            f"{len(teachers)} teacher entries, {above} have intervals above 0 and {below} "
            "below; how pupils were placed into classes shows here too, so this alone cannot "
            "judge a teacher.")


#: What the appendix is, in one paragraph, for the reader who stops before it.
APPENDIX_NOTE = (
    "以下是上面结论所依据的模型和分解结果，供统计人员核对，会议材料一般不需要引用。模型的变量名、公式和方法名称只出现在这里。",
    "Below are the models and decompositions the conclusions above rest on, for statisticians to "
    "check; meeting papers normally need not cite them. Variable names, formulas and method "
    "names appear only here.")


def appendix_intro(language: str = "zh") -> str:
    """The appendix heading with its one-paragraph note."""
    return (attribution_section("appendix", language) + "\n\n"
            + APPENDIX_NOTE[0 if language != "en" else 1])
