"""The pages' sentences (eduqa.text.narrative), key -> (Chinese, English): what each page says
about the numbers, written by key with :func:`eduqa.catalog.say`."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "narrative.attribution.staffing_share.about_gap_by_which": (
        "{direction}的差距中约有 {share} 与教师缺编和教非所学相关（学校聚类自助法 95% 区间 {low} 至 {high}；这是相关关系，不等于因果）。",
        "About {share} of the gap by which {direction} goes with teacher shortage and "
        "out-of-field teaching (cluster-bootstrap 95% interval {low} to {high}; an association, "
        "not a proven cause)."),
    "narrative.attribution.coincided.coincides_exactly_with_other": (
        "本季数据中“{name}”与其他变量完全重合，无法单独估计，已从模型中去掉。",
        "'{name}' coincides exactly with other terms this season and was left out."),
    "narrative.attribution.change.lower_by": (
        "减少 {reduction}",
        "lower by {reduction}"),
    "narrative.attribution.staffing_share.with_only_rural_schools": (
        "乡村学校只有 {rural_schools} 所，无法可靠估计城乡差距中有多少与教师缺编和教非所学相关。",
        "With only {rural_schools} rural schools, how much of the gap goes with teacher "
        "shortage and out-of-field teaching cannot be estimated reliably."),
    "narrative.attribution.staffing_share.rural_gap_itself_not": (
        "城乡差距本身在统计上不明显，因此不计算其中与教师缺编和教非所学相关的比例。",
        "The rural gap itself is not statistically clear, so no share of it is attributed to "
        "teacher shortage and out-of-field teaching."),
    "narrative.attribution.staffing_share.how_much_rural_gap": (
        "城乡差距中有多少与教师缺编和教非所学相关，目前的数据还无法确定（学校聚类自助法无法给出可靠区间）。",
        "How much of the rural gap goes with teacher shortage and out-of-field teaching cannot "
        "be told from these data (the cluster bootstrap gives no reliable interval)."),
    "narrative.attribution.staffing_share.gap_by_which_how": (
        "{direction}的差距中有多少与教师缺编和教非所学相关，目前的数据还无法确定（学校聚类自助法的 95% 区间包含 0，数值见“差距与哪些条件有关”页的技术附录）。",
        "The gap by which {direction}: how much of it goes with teacher shortage and "
        "out-of-field teaching cannot be told from these data (the cluster-bootstrap 95% "
        "interval includes 0; figures in the technical appendix of the 'What the gaps go with' "
        "page)."),
    "narrative.attribution.staffing_share.differences_teacher_shortage_out": (
        "{direction}；教师缺编和教非所学的差异与这一差距方向相反：考虑这些条件后，差距反而扩大约 {share}（学校聚类自助法 95% 区间 {minus_high} 至"
        " {minus_low}；这是相关关系，不等于因果）。",
        "{direction_capitalize}; differences in teacher shortage and out-of-field teaching "
        "point the other way: allowing for them widens the gap by about {share} "
        "(cluster-bootstrap 95% interval {minus_high} to {minus_low}; an association, not a "
        "proven cause)."),
    "narrative.attribution.attribution_summary.variance_students_total_scores": (
        "学校之间的差异占全部 {n:,} 名参考学生总分差异的 {icc}（组内相关系数）。",
        "{icc} of the variance in the total scores of all {n:,} students who sat lies between "
        "schools (intra-class correlation)."),
    "narrative.attribution.coincided.same_for_every_school": (
        "本季所有学校的“{name}”都相同（{value}），无法估计这一项的作用，已从模型中去掉。",
        "'{name}' is the same for every school this season ({value}), so its effect cannot be "
        "estimated; it was left out."),
    "narrative.attribution.coincided.exact_combination_this_season": (
        "本季数据中“{name}”恰好可由{others}算出，与它们完全重合，无法单独估计，已从模型中去掉。",
        "'{name}' is an exact combination of {others2} this season, so its effect cannot be "
        "told apart; it was left out."),
    "narrative.attribution.models_overview.between_school_variance_null": (
        "本次考试学校之间的差异（空模型 M0 的校际方差）估计为 0：学生成绩的差异几乎全部在学校内部，因此不比较各模型减少了多少校际方差。",
        "The between-school variance of the null model M0 is estimated at 0: nearly all the "
        "variation in scores lies within schools, so the models are not compared by how much of "
        "it they remove."),
    "narrative.attribution.change.higher_by": (
        "增加 {minus_reduction}",
        "higher by {minus_reduction}"),
    "narrative.attribution.shapley_overview.text": (
        "{name}占 {row_r2_share}",
        "{name} {row_r2_share}"),
    "narrative.attribution.classes_overview.score_export_has_no": (
        "成绩表中没有班级信息（或每所学校只有一个班），没有班级分析。",
        "The score export has no classes, so there is no class analysis."),
    "narrative.attribution.classes_overview.lowest_composite_index_mean": (
        "综合指数最低的是{last_school_name}{last_class}（平均分 {last_mean}）。",
        " The lowest composite index is {last_school_name} {last_class} (mean {last_mean})."),
    "narrative.attribution.classes_overview.cv": (
        "{row_school_name}（差异系数 {row_cv}，{row_highest_class} {row_highest} 分、{row_lowest_class} "
        "{row_lowest} 分）",
        "{row_school_name} (CV {row_cv}; {row_highest_class} {row_highest}, {row_lowest_class} "
        "{row_lowest})"),
    "narrative.attribution.levels_overview.no_school_has_two": (
        "没有学校有两个以上的班级（或成绩表没有班级），无法区分学校之间和班级之间的差异。",
        "No school has two classes (or the export has no classes), so differences between "
        "schools and between classes cannot be told apart."),
    "narrative.attribution.teachers_overview.teacher_view_off_internal": (
        "任课教师分析未开启（仅供内部使用，需在县级参数文件 county.yaml 的 classes 一节中开启），本报告不含任何教师的数据。",
        "The teacher view is off (internal use only; it is switched on under classes in "
        "county.yaml): this report holds no teacher's data."),
    "narrative.attribution.teachers_overview.no_teacher_record_file": (
        "没有任课安排文件，或任课安排与成绩表的班级对不上，没有可列的任课教师。",
        "No teacher-of-record file, or its classes do not match the score export: no teacher to "
        "show."),
    "narrative.attribution.plan_note.no_staffing_term_can": (
        "没有可以纳入的师资条件，不做差距中与师资相关部分的分解。",
        "No staffing term can be used, so the gap is not decomposed by staffing."),
    "narrative.attribution.classes_overview.no_school_has_two": (
        "没有哪所学校有两个以上可比较的平行班。",
        " No school has two comparable parallel classes."),
    "narrative.attribution.classes_overview.all_schools_with_parallel": (
        "{n_balance} 所有平行班的学校，平行班之间总分平均分的差异系数都不超过 {limit}。",
        " In all {n_balance} schools with parallel classes the CV of the class means is at most "
        "{limit}."),
    "narrative.attribution.plan_note.this_season_has_no": (
        "本次考试没有乡村学校，不做乡村与城区差距的分解。",
        "This season has no rural school, so the rural–urban gap is not decomposed."),
    "narrative.attribution.plan_note.this_season_has_no_": (
        "本次考试没有城区学校，不做乡村与城区差距的分解（乡村与镇区学校的比较见指标页）。",
        "This season has no urban school, so the rural–urban gap is not decomposed (the "
        "indicators page compares rural with town schools)."),
    "narrative.attribution.plan_note.staffing_file_has_no": (
        "师资表中没有“{name}”，模型未纳入这一项。",
        "The staffing file has no {name}, so the models leave it out."),
    "narrative.attribution.plan_note.same_every_school_so": (
        "各校的“{name}”都相同，无法估计它与成绩的关系，模型未纳入。",
        "{name_capitalize} is the same in every school, so its association with scores cannot "
        "be estimated and the models leave it out."),
    "narrative.attribution.plan_note.coincides_exactly_with_terms": (
        "“{name}”与前面的条件完全重合，无法单独估计，分解中未纳入。",
        "{name_capitalize} coincides exactly with the terms before it and is left out of the "
        "decomposition."),
    "narrative.attribution.plan_note.with_only_schools_cannot": (
        "学校只有 {n_schools} 所，不足以同时估计“{name}”，分解中未纳入。",
        "With only {n_schools} schools, {name} cannot be estimated as well and is left out of "
        "the decomposition."),
    "narrative.cleaning.check_notes.checks_before_run_left": (
        "运行前检查有 {n_warnings} 条提醒，报告照常生成，但请核对：",
        "The checks before the run left {n_warnings} warning(s); the report is built as usual, "
        "but please check:"),
    "narrative.cleaning.check_notes.checks_before_run_full": (
        "运行前检查（满分设置、各校各学科是否有成绩、模型项、及格与优秀线）没有发现问题。",
        "The checks before the run (full marks, a score in every subject at every school, model "
        "terms, pass and excellent lines) found nothing to report."),
    "narrative.cleaning.lines_used.total": (
        "总分 {value1} 分",
        "total {value1}"),
    "narrative.cleaning.lines_used.total_each_subject": (
        "总分 {value1} 分，各科 {value2} 分",
        "total {value1}, each subject {value2}"),
    "narrative.cleaning.lines_used.text": (
        "满分 {m:g} 分的学科 {value1} 分",
        "{value1} of {m:g}"),
    "narrative.common.span.from_lower_higher": (
        "低 {minus_low} 至 高 {high}{unit_zh}",
        "from {minus_low}{unit_en} lower to {high}{unit_en} higher"),
    "narrative.common.signed.unchanged": (
        "持平",
        "unchanged"),
    "narrative.common.span.higher": (
        "高 {low} 至 {high}{unit_zh}",
        "{low} to {high}{unit_en} higher"),
    "narrative.common.span.lower": (
        "低 {minus_high} 至 {minus_low}{unit_zh}",
        "{minus_high} to {minus_low}{unit_en} lower"),
    "narrative.indicators.gap_overview.intervals_allow_for_pupils": (
        "置信区间已考虑同一学校的学生成绩彼此相近的情况：参与比较的学校越少，区间越宽。",
        "Intervals allow for pupils of one school being alike: the fewer the schools compared, "
        "the wider the interval."),
    "narrative.indicators.cv_overview.cvs_enrolment_weighted_as": (
        "差异系数按各校在校生数加权计算（督导评估办法的公式），师资配置的差异系数不计学生不足 50 人的教学点。",
        "CVs are weighted by each school's enrolment, as in the inspection formula; the "
        "staffing CVs leave out teaching points under 50 pupils."),
    "narrative.indicators.cv_overview.scores_by_sitters": (
        "成绩的差异系数因名册未给出全部学校的在校生数，按各校实考人数加权；师资配置的差异系数按在校生数加权（督导评估办法的公式），不计学生不足 50 人的教学点。",
        "The score CVs are weighted by the pupils who sat, as the roster does not give every "
        "school's enrolment; the staffing CVs are enrolment-weighted as in the inspection "
        "formula and leave out teaching points under 50 pupils."),
    "narrative.indicators.cv_overview.sitters_differ": (
        "（按实考人数加权为 {value:.3f}：缺考集中在部分学校时，两种加权的结果不同）",
        " ({value:.3f} weighted by the pupils who sat: absence concentrated in some schools "
        "makes the two weights differ)"),
    "narrative.indicators.school_overview.no_school_can_be": (
        "没有可排名的学校。",
        "No school can be ranked."),
    "narrative.indicators.comparison_overview.there_no_comparison_season": (
        "本次没有可比较的上年同年级考试（可在本考试季的参数文件中指定对比的考试）。",
        "There is no comparison season (one can be named in this season's params file)."),
    "narrative.indicators.progress_overview.no_school_rank_changed": (
        "与上次相比，各校名次没有变化。",
        "No school's rank changed since last time."),
    "narrative.indicators.gap_phrase.only_students_so_read": (
        "；{name_zh}学生只有 {row_n_students} 人，人数过少，结论需谨慎",
        "; only {row_n_students} {name_en} students, so read with caution"),
    "narrative.indicators.gap_overview.every_school_this_season": (
        "本次参加考试的学校都是{name_zh}学校，没有可以比较的城乡差距。",
        "Every school in this season is {name_en}: there is no urban–rural gap to compare."),
    "narrative.indicators.balance_overview.no_school_has_clearly": (
        "没有学校存在明显的学科短板。",
        "No school has a clearly weak subject."),
    "narrative.indicators.targets_overview.no_targets_were_given": (
        "本次没有目标责任状数据。",
        "No targets were given for this season."),
    "narrative.indicators.progress_overview.rose_most_places": (
        "进步最大的是{up_school_name}（上升 {up_rank_change:.0f} 名）",
        "{up_school_name} rose most ({up_rank_change:.0f} places)"),
    "narrative.indicators.progress_overview.fell_most_places": (
        "退步最大的是{down_school_name}（下降 {minus_down_rank_change:.0f} 名）",
        "{down_school_name} fell most ({minus_down_rank_change:.0f} places)"),
    "narrative.indicators.bands_overview.students_at_or_above": (
        "总分 {line:g} 分及以上 {n_at_or_above:,} 人（{share}）",
        "{n_at_or_above:,} students ({share}) at or above {line:g}"),
    "narrative.indicators.cv_overview.between_school_cv_mean": (
        "学校间总分平均分的差异系数为 {value:.3f}",
        "the between-school CV of the mean total is {value:.3f}"),
    "narrative.indicators.targets_overview.schools_met_target": (
        "{indicator}目标 {n_part} 所学校中 {met} 所完成",
        "{indicator}: {met} of {n_part} schools met the target"),
    "narrative.landing.weakest_finding.weakest_subject_score_rate": (
        "得分率最低的学科是{weakest_subject}（得分率 {weakest_score_rate}，及格率 {weakest_pass_rate}）。",
        "The weakest subject is {weakest_subject} (score rate {weakest_score_rate}, pass rate "
        "{weakest_pass_rate})."),
    "narrative.landing.balance_finding.coefficient_variation_school_mean": (
        "各校总分平均的差异系数为 {cv_cv:.3f}",
        "The coefficient of variation of school mean totals is {cv_cv:.3f}"),
    "narrative.landing.effects_finding.after_urban_rural_status": (
        "考虑城乡、师资等条件后，{above} 所学校明显高于预期，{below} 所明显低于预期，其余 {value1} 所与预期没有可分辨的差异。",
        "After urban-rural status, staffing and other conditions, {above} schools are clearly "
        "above and {below} clearly below expectation; the other {value1} cannot be told apart "
        "from it."),
    "narrative.landing.small_finding.schools_too_small_rank": (
        "{small} 所学校参考人数过少，在各表中标注“人数过少”，不参与排名。",
        "{small} schools are too small to rank; they are flagged in every table."),
    "narrative.trends.trend_overview.there_no_earlier_season": (
        "没有更早的同年级考试季可以比较：这是该年级在 eduqa 中的第一个考试季。",
        "There is no earlier season of this grade to compare with: this is the first."),
    "narrative.trends.change_overview.with_no_earlier_season": (
        "没有更早的同年级考试季，无法判断学校的进退步。",
        "With no earlier season of this grade, progress cannot be judged."),
    "narrative.trends.cohort_overview.no_earlier_season_same": (
        "本考试季没有设置同一批学生的上一学年考试（可在参数文件中指定），无法计算增值。",
        "No earlier season of the same students is named in the params file, so there is no "
        "value added for this season."),
    "narrative.attribution.attribution_summary.ci_rural": (
        "95% 置信区间为乡村{span}",
        "95% CI: rural {span}"),
    "narrative.attribution.models_overview.against_null_model_m": (
        "与空模型 M0 相比，校际方差在加入城乡类别（M1）后{reduction_M1}，再加入缺编率和教非所学比例（M2）后{reduction_M2}，加入其他控制变量（M3）"
        "后{reduction_M3}。",
        "Against the null model M0, the between-school variance is {reduction_M1} with "
        "urban-rural status (M1), {reduction_M2} with staffing added (M2), and with the other "
        "controls (M3) {reduction_M3}."),
    "narrative.attribution.shapley_overview.school_level_model_explains": (
        "学校层面模型解释了各校平均标准分差异的 {total}（R²），其中",
        "The school-level model explains {total} of the variance in school means (R²): "),
    "narrative.attribution.shapley_overview.separator": (
        "，",
        ", "),
    "narrative.attribution.shapley_overview.parts_add_up_r": (
        "。各部分之和等于总 R²。",
        "; the parts add up to R²."),
    "narrative.attribution.shapley_overview.with_schools_r_adjusted": (
        "只有 {schools} 所学校，按变量个数调整后的 R² 为 {adjusted}，学校少、变量多时 R² 会偏高。",
        " With {schools} schools, the R² adjusted for the number of terms is {adjusted}: with "
        "few schools and many terms R² runs high."),
    "narrative.attribution.effects_overview.after_urban_rural_status": (
        "在考虑城乡、师资和其他条件后，{above} 所学校明显高于预期，{below} 所明显低于预期（95% 区间不含 0）；其余 {value1} 所学校与预期没有可分辨的差异"
        "，不宜据此排名或问责。",
        "After urban-rural status, staffing and other conditions, {above} schools are above and "
        "{below} below expectation (95% interval excludes 0); the other {value1} cannot be told "
        "apart from expectation and should not be ranked or held to account on this basis."),
    "narrative.common.none_judged": (
        "本季只有 {n} 所学校，没有可以比较的学校，不给出高于或低于预期的判断。",
        "There is only {n} school this season: with no other school to compare with, none is "
        "judged above or below expectation."),
    "narrative.indicators.tiers.none": (
        "本季没有可以分梯次评价的学校。",
        "No school can be judged within a tier this season."),
    "narrative.indicators.tiers.key.urban_rural": ("城乡", "urban–rural type"),
    "narrative.indicators.tiers.key.school_type": ("学校类型", "school type"),
    "narrative.indicators.tiers.key.boarding": ("是否寄宿", "boarding"),
    "narrative.indicators.tiers.key.size": ("学校规模", "school size"),
    "narrative.indicators.tiers.key.baseline": ("上次综合指数（基线）", "last season's composite (baseline)"),
    "narrative.indicators.tiers.tiered": (
        "按{keys}把 {schools} 所学校分为 {tiers} 个梯次，每所学校只与本梯次的学校比较。",
        "The {schools} schools are tiered by {keys} ({tiers} tier(s) in all); each school is "
        "compared only with the schools of its own tier."),
    "narrative.indicators.tiers.not_set": (
        "未设置梯次（county.yaml 的 tiers:），{schools} 所学校作为一个梯次比较。",
        "No tiers are set (tiers: in county.yaml): the {schools} schools are compared as one tier."),
    "narrative.indicators.tiers.separator": ("；", "; "),
    "narrative.indicators.tiers.in_tier": (
        "{tier}：{names}",
        "{tier}: {names}"),
    "narrative.indicators.tiers.quality": (
        "质量奖（综合指数的 95% 区间整体高于本梯次整体水平）：{listed}。",
        " Quality award (composite index clearly above its tier's, by a 95% interval): {listed}."),
    "narrative.indicators.tiers.no_quality": (
        "没有学校的综合指数明显高于本梯次整体水平，不评质量奖。",
        " No school's composite index is clearly above its tier's: no quality award."),
    "narrative.indicators.tiers.no_value_added": (
        "本季没有同一批学生上一学年的成绩可以匹配，无法计算增值，不评进步奖。",
        " This season has no earlier scores of the same pupils to link, so no value added and no "
        "progress award."),
    "narrative.indicators.tiers.progress": (
        "进步奖（增值的 95% 区间整体高于本梯次平均）：{listed}。",
        " Progress award (value added clearly above its tier's mean, by a 95% interval): "
        "{listed}."),
    "narrative.indicators.tiers.no_progress": (
        "没有学校的增值明显高于本梯次平均，不评进步奖。",
        " No school's value added is clearly above its tier's mean: no progress award."),
    "narrative.indicators.tiers.lone": (
        "{tiers}没有两所以上可以评价的学校，不排名、不评奖。",
        " No rank and no award where a tier has fewer than two schools that can be judged: "
        "{tiers}."),
    "narrative.indicators.tiers.rank_intervals": (
        "名次区间由本梯次学校两两比较得出；{ranked} 所排名学校中有 {overlap} 所的名次区间不止一个名次，名次区间重叠的学校之间没有可靠的先后，不应据此排队。",
        " Rank intervals come from comparing the schools of a tier pairwise; {overlap} of the "
        "{ranked} ranked schools have an interval of more than one rank, and schools whose "
        "intervals overlap are in no reliable order: do not line them up by rank."),
    "narrative.landing.tiers_finding.quality": (
        "梯次评价：综合指数明显高于本梯次整体的有 {n} 所学校（{names}）",
        "Within tiers, {n} school(s) have a composite index clearly above their tier's ({names})"),
    "narrative.landing.tiers_finding.no_quality": (
        "梯次评价：没有学校的综合指数明显高于本梯次整体",
        "Within tiers, no school's composite index is clearly above its tier's"),
    "narrative.landing.tiers_finding.progress": (
        "；增值明显高于本梯次平均的有 {n} 所（{names}）",
        "; {n} school(s) added clearly more than their tier's mean ({names})"),
    "narrative.landing.tiers_finding.no_progress": (
        "；没有学校的增值明显高于本梯次平均",
        "; no school added clearly more than its tier's mean"),
    "narrative.landing.tiers_finding.caution": (
        "。名次区间重叠的学校之间不分先后。",
        ". Schools whose rank intervals overlap are in no reliable order."),
    "narrative.indicators.tiers.chance": (
        "即使各校实际没有差别，按 95% 的标准，这 {judged} 个判断中也可能有约 {expected:.1f} 个因偶然落在“明显高于”或“明显低于”；名单只是提示，宜结合学校实际确认。",
        " Even if no school truly differed, about {expected:.1f} of these {judged} verdicts "
        "could fall 'clearly above' or 'clearly below' by chance at the 95% standard: the lists "
        "are prompts, to be checked against what is known of the schools."),
    "narrative.common.chance_note": (
        "即使各校实际没有差别，按 95% 的标准，{judged} 所学校中也可能有多至约 {expected:.1f} 所因偶然被标出（收缩估计标出的通常更少）；标注只是提示，不是结论。",
        " Even if no school truly differed, up to about {expected:.1f} of the {judged} schools "
        "could be flagged by chance at the 95% standard (shrunken estimates usually flag "
        "fewer): flags are prompts, not verdicts."),
    "narrative.attribution.effects_overview.students_linked_last_year": (
        "本季 {matched} 的学生与上一学年成绩匹配，因此这里比较的是学生的进步（未匹配的学生不参与比较），并考虑了各校上一学年的平均成绩（生源），以免把生源好坏当作学校办得好"
        "坏。动态跟踪页的增值评价只比较同等起点、同等生源的学生一年来的进步，不考虑城乡、师资等学校条件，所以两页标出的学校可以不同：本页回答“在同等条件下学校做得如何”，动态跟踪页回"
        "答“学生进步多少”。",
        " {matched} of students are linked to last year's scores, so this compares progress "
        "(unlinked students are left out), allowing for each school's mean score last year "
        "(intake) so that intake is not taken for how well the school does. The trends page's "
        "value added compares only students of the same start and intake, without school "
        "conditions such as urban-rural status or staffing, so the two pages may flag different "
        "schools: this page asks how a school does given its conditions, the trends page how "
        "much its students progressed."),
    "narrative.attribution.effects_overview.no_prior_season_linked": (
        "本季没有可匹配的上一学年成绩，这里比较的是成绩水平，不是进步（增值）。",
        " No prior season is linked, so this compares levels of attainment, not progress (value "
        "added)."),
    "narrative.attribution.classes_overview.schools_with_parallel_classes": (
        "{n_balance} 所有平行班的学校中，{n_unbalanced} 所平行班之间的差异系数超过 {limit}，标为不均衡：{names}。班级之间的差别也可能来自分班"
        "时的生源，宜结合入学成绩看。",
        " Of {n_balance} schools with parallel classes, {n_unbalanced} have a CV of class means "
        "above {limit} and are flagged unbalanced: {names:; }. Differences may come from how "
        "pupils were placed; read them with intake scores."),
    "narrative.attribution.levels_overview.variance_pupils_standardised_totals": (
        "学生总分标准分的差异中，{school} 在学校之间，{klass} 在同一学校的班级之间，{within} 在同一班级的学生之间。",
        "Of the variance of pupils' standardised totals, {school} lies between schools, {klass} "
        "between classes of the same school and {within} between pupils of a class. "),
    "narrative.attribution.levels_overview.classes_school_differ_more": (
        "同校班级之间的差异大于学校之间的差异，说明校内分班与教学的差别值得先看。",
        "Classes of a school differ more than schools do: look inside schools first."),
    "narrative.attribution.levels_overview.schools_differ_more_than": (
        "学校之间的差异大于同校班级之间的差异。",
        "Schools differ more than the classes of a school do."),
    "narrative.attribution.teachers_overview.internal_use_only_not": (
        "本节仅供内部使用，不应出现在公开材料中。每位教师的数值是其所教学生相对本校其他教师的效应及 95% 区间（学校、教师、班级三层模型：一位教师所教的几个班共享这位教师"
        "的效应，区间已计入这一点），按教师编号排列，不是排名：区间重叠的教师之间没有可分辨的差别。{n_teachers} 位（次）教师中，{above} 位的区间在 0 以上，{below} 位在 0 以下；"
        "分班时的生源差别也会反映在这里，不能据此单独评价教师。",
        "Internal use only: not for public papers. Each figure is the teacher's pupils against "
        "the school's other teachers with a 95% interval (a model of schools, teachers and "
        "classes: a teacher's classes share the teacher's effect, and the interval allows for "
        "it), listed by code, not ranked: teachers whose intervals overlap cannot be told "
        "apart. Of {n_teachers} teacher entries, {above} have intervals above 0 and {below} "
        "below; how pupils were placed into classes shows here too, so this alone cannot judge "
        "a teacher."),
    "narrative.attribution.teachers_overview.variance_at_zero": (
        "{subjects}：教师之间的差别没有超出学生随机变化所能解释的范围（教师层面的方差估计为 0），表中给出的是每位教师所教学生的平均分与本校平均分之差（固定效应对比）及其区间。",
        " In {subjects} the teachers differ no more than the pupils' chance variation explains "
        "(the teacher variance is estimated at 0): there each figure is the teacher's pupils' "
        "mean against the school's (a fixed-effect contrast), with its interval."),
    "narrative.attribution.teachers_overview.not_estimable": (
        "{n} 位（次）教师是本校该学科唯一的任课教师，且教师层面的方差估计为 0，无法与本校其他教师比较，表中不给数值。",
        " {n} teacher entries are their school's only teacher of the subject while the teacher "
        "variance is estimated at 0: there is no one to compare them with, and no figure is "
        "given."),
    "narrative.cleaning.clean_summary.raw_score_rows_were": (
        "本次共读入原始成绩 {rows_in:,} 行，保留 {kept:,} 行",
        "{rows_in:,} raw score rows were read and {kept:,} kept"),
    "narrative.cleaning.clean_summary.were_excluded": (
        "，排除 {value1:,} 行（{parts:；}）",
        "; {value1:,} were excluded ({parts:; })"),
    "narrative.cleaning.clean_summary.none_was_excluded": (
        "，没有排除任何行",
        "; none was excluded"),
    "narrative.cleaning.clean_summary.cells_were_normalised_or": (
        "。另有 {changed:,} 个单元格被规范或标记。每一处改动和排除都记录在清洗日志中，原始文件未作任何修改。",
        ". {changed:,} cells were normalised or marked. Every change and exclusion is in the "
        "cleaning log; the raw files are unchanged."),
    "narrative.common.few_schools_note.this_comparison_rests_only": (
        "这一比较只依据 {n_schools} 所{name_zh}学校，学校太少，不作“差距是否明显”的判断",
        "this comparison rests on only {n_schools} {name_en} schools, too few for a verdict on "
        "whether the gap is real"),
    "narrative.common.few_schools_note.interval_from_randomization_over": (
        "（区间来自对学校的随机化检验）",
        " (interval from randomization over schools)"),
    "narrative.indicators.county_overview.enrolled_students_sat_every": (
        "全县应考学生 {enrolled:,} 人，其中 {some}{row_n_sat:,} 人各科全部参考，总分平均 {row_mean} 分（满分 "
        "{full_marks_total:g}），及格率 {row_pass_rate}，优秀率 {row_excellent_rate}，低分率 {row_low_rate}。",
        "Of {enrolled:,} enrolled students, {some}{row_n_sat:,} sat every subject; the mean "
        "total is {row_mean} of {full_marks_total:g}, with pass rate {row_pass_rate}, excellent "
        "rate {row_excellent_rate} and low-score rate {row_low_rate}."),
    "narrative.indicators.county_overview.weakest_subject_by_score": (
        "得分率最低的学科是{weakest_subject}（{weakest_score_rate}，及格率 {weakest_pass_rate}），最高的是"
        "{strongest_subject}（{strongest_score_rate}）。",
        "The weakest subject by score rate is {weakest_subject} ({weakest_score_rate}, pass "
        "rate {weakest_pass_rate}); the strongest is {strongest_subject} ("
        "{strongest_score_rate})."),
    "narrative.indicators.school_overview.by_composite_index_best": (
        "按综合指数，{n_ranked} 所学校中最高的是{best_school_name}（{best_composite}，平均分 {best_mean}），最低的是"
        "{worst_school_name}（{worst_composite}，平均分 {worst_mean}），两校平均分相差 {spread} 分。",
        "By composite index, the best of {n_ranked} schools is {best_school_name} ("
        "{best_composite}, mean {best_mean}) and the weakest is {worst_school_name} ("
        "{worst_composite}, mean {worst_mean}), {spread} points apart."),
    "narrative.indicators.school_overview.schools_with_fewer_than": (
        "另有 {small} 所学校参考人数不足 {min_group_size} 人，只列出不排名。",
        " {small} schools with fewer than {min_group_size} students are listed but not ranked."),
    "narrative.indicators.comparison_overview.against_mean_total_pass": (
        "与{previous_name}相比，总分平均分{mean}，及格率{rate}（两次试卷不同，分数变化只作参考，排名与标准分更可比）。",
        "Against {previous_name}, the mean total is {mean} and the pass rate {rate} (the papers "
        "differ, so ranks and standardised scores compare better than raw points)."),
    "narrative.indicators.progress_overview.compared_with_last_time": (
        "与上次相比，",
        "Compared with last time, "),
    "narrative.indicators.progress_overview.text": (
        "，",
        " and "),
    "narrative.indicators.gap_phrase.ci": (
        "95% 置信区间为{name_zh}{low}",
        "95% CI: {name_en} {low}"),
    "narrative.indicators.gap_phrase.too_few_schools_for": (
        "学校太少，无法给出置信区间",
        "too few schools for an interval"),
    "narrative.indicators.balance_overview.schools_have_weak_subject": (
        "{n_schools} 所学校存在学科短板（某科平均标准分比本校各科平均低 {margin:.1f} 个标准差及以上），出现最多的是{top}（{value1} 所学校）。",
        "{n_schools} schools have a weak subject (at least {margin:.1f} SD below their own "
        "average); the most common is {top} ({value1} schools)."),
    "narrative.indicators.cv_overview.cv_which_inspection_limit": (
        "{indicator}的差异系数为 {cv:.3f}，{verdict}督导评估标准（≤{limit:.2f}）",
        "{indicator}: CV {cv:.3f}, which {verdict} the inspection limit ({limit:.2f})"),
    "narrative.indicators.staffing_overview.rural_schools_shortage_rate": (
        "乡村学校缺编率 {rural_shortage_rate}，城区学校 {urban_shortage_rate}（缺编 {rural_shortage} 人对 "
        "{urban_shortage} 人，超编 {value1} 人对 {value2} 人；人数取整数，按编制标准计算的应配教师数四舍五入）；教非所学比例乡村 "
        "{rural_out_of_field_share}，城区 {urban_out_of_field_share}；生师比乡村 "
        "{rural_students_per_teacher}，城区 {urban_students_per_teacher}。",
        "Rural schools' shortage rate is {rural_shortage_rate} against {urban_shortage_rate} in "
        "urban schools (short by {rural_shortage} teachers against {urban_shortage}, over by "
        "{value1} against {value2}; whole teachers, the establishment from the norms rounded "
        "half up); out-of-field teaching {rural_out_of_field_share} against "
        "{urban_out_of_field_share}; students per teacher {rural_students_per_teacher} against "
        "{urban_students_per_teacher}."),
    "narrative.landing.balance_finding.every_staffing_indicator_within": (
        "；师资配置各项差异系数均达到督导标准",
        "; every staffing indicator is within the inspection limit"),
    "narrative.landing.balance_finding.staffing_indicator_exceed_inspection": (
        "；师资配置有 {n_failing} 项差异系数超过督导标准",
        "; {n_failing} staffing indicator(s) exceed the inspection limit"),
    "narrative.trends.trend_overview.from_county_score_rate": (
        "从{first_season}到{last_season}，全县总分得分率由 {first_score_rate} 变为 {last_score_rate}，及格率由 "
        "{first_pass_rate} 变为 {last_pass_rate}。各年试卷不同，原始分数的变化只作参考；学校位置的变化用标准分比较（见下节）。",
        "From {first_season} to {last_season} the county's score rate on the total went from "
        "{first_score_rate} to {last_score_rate} and the pass rate from {first_pass_rate} to "
        "{last_pass_rate}. Papers differ between years, so schools are compared on standardised "
        "scores below."),
    "narrative.trends.change_overview.standardised_scores_schools_improved": (
        "以标准分衡量，{improved} 所学校的进步、{fell} 所学校的退步超出了学生随机变化所能解释的范围（95% 区间不含 0）；其余学校的变化可能只是不同届学生的正常波"
        "动。参与判断的 {judged} 所学校中，即使各校实际都没有变化，按 5% 的偶然概率也会有约 {expected:.1f} 所被标为进步或退步，标注只是提示，不是结论。",
        "On standardised scores, {improved} schools improved and {fell} fell back by more than "
        "cohort-to-cohort chance explains (95% interval excludes 0); the other changes may be "
        "ordinary variation between year groups. Among the {judged} schools judged, about "
        "{expected:.1f} would be flagged by chance alone even if none had changed: flags are "
        "prompts, not verdicts."),
    "narrative.trends.change_overview.schools_too_small_for": (
        "{small} 所学校人数过少，只列出区间，不作判断。",
        " {small} schools are too small for a verdict; only their intervals are shown."),
    "narrative.trends.change_overview.schools_appear_only_now": (
        "另有 {new} 所学校只出现在本次、{gone} 所只出现在上次，无法比较。",
        " {new} schools appear only now and {gone} only before, so cannot be compared."),
    "narrative.trends.cohort_overview.students_linked_last_year": (
        "{matched} 的学生通过学籍号的加密编号与上一学年成绩匹配；未匹配的学生（转入、上一学年缺考等）不参与增值计算，各校未匹配人数见下表。在上一学年成绩相同、学校生源（上一"
        "学年平均成绩）相同的学生中，{above} 所学校的进步明显高于全县，{below} 所明显低于全县（95% 区间不含 0）。上一学年成绩只是一次考试，有测量误差，所以同时考"
        "虑了学校的平均起点，以免把生源好的学校误判为增值高。“差距与哪些条件有关”页的学校效应还考虑了城乡、师资等学校条件，两页标出的学校可以不同。",
        "{matched} of students are linked to last year's scores by their keyed id; unlinked "
        "students (arrivals, absent last year) are left out of the value added and counted per "
        "school below. Among students with the same prior score in schools of the same intake "
        "(mean prior score), {above} schools progressed clearly more and {below} clearly less "
        "than the county. The prior score is one test with measurement error, so the school's "
        "mean start is allowed for too, lest a strong intake pass for value added. The school "
        "effects of the 'What the gaps go with' page also allow for school conditions (urban-rural "
        "status, staffing), so the two pages may flag different schools."),
    "narrative.attribution.staffing_share.rural_trail": (
        "乡村学校落后于城区学校",
        "rural schools trail urban ones"),
    "narrative.attribution.staffing_share.rural_lead": (
        "乡村学校领先于城区学校",
        "rural schools lead urban ones"),
    "narrative.attribution.attribution_summary.m1_gap_clear": (
        "不考虑其他因素时，乡村学校学生平均比城区学校{side} {size:.2f} 个标准差（{interval}）",
        "Without other factors, rural students score {size:.2f} SD {side} urban students ("
        "{interval})"),
    "narrative.attribution.attribution_summary.m1_gap_unclear": (
        "不考虑其他因素时，乡村学校与城区学校学生平均差异不明显（乡村{side} {size:.2f} 个标准差；{interval}）",
        "Without other factors, rural and urban students do not differ clearly (rural {size:.2f}"
        " SD {side}; {interval})"),
    "narrative.attribution.coincided.every_school": (
        "本季所有学校都是“{name}”学校，无法估计这一项的作用，已从模型中去掉。",
        "Every school is '{name}' this season, so its effect cannot be estimated; it was left "
        "out."),
    "narrative.attribution.coincided.no_school": (
        "本季所有学校都不是“{name}”学校，无法估计这一项的作用，已从模型中去掉。",
        "No school is '{name}' this season, so its effect cannot be estimated; it was left out."),
    "narrative.attribution.oaxaca_overview.interval": (
        "95% 区间为乡村{span}",
        "95% CI: rural {span}"),
    "narrative.attribution.oaxaca_overview.no_interval": (
        "学校太少，无法给出区间",
        "too few schools for an interval"),
    "narrative.attribution.oaxaca_overview.gap": (
        "乡村学生总分标准分平均比城区学生{side} {size:.2f} 个标准差（{interval}）。",
        "Rural students' mean standardised total is {size:.2f} SD {side} urban students' ("
        "{interval}). "),
    "narrative.attribution.oaxaca_overview.gap_unclear": (
        "乡村学生与城区学生总分标准分平均差异不明显（乡村{side} {size:.2f} 个标准差；{interval}）。",
        "Rural students' mean standardised total is {size:.2f} SD {side} urban students' ("
        "{interval}). "),
    "narrative.attribution.oaxaca_overview.few_schools": (
        "{note}，也不计算可解释部分所占的比例。",
        "{note}; no explained share is given. "),
    "narrative.attribution.oaxaca_overview.not_clear": (
        "这一差距在统计上不明显，因此不计算可解释部分所占的比例。",
        "The gap is not statistically clear, so no explained share is given. "),
    "narrative.attribution.oaxaca_overview.explained": (
        "其中 {estimate:.2f} 个标准差（约 {share}，区间 {low} 至 {high}）与两类学校在师资等条件上的差异相关。",
        "{estimate:.2f} SD (about {share}, interval {low} to {high}) goes with differences in "
        "staffing and the other predictors. "),
    "narrative.attribution.oaxaca_overview.no_reliable_interval": (
        "学校太少或自助样本大多无法识别，可解释部分给不出可靠区间，不作比例判断。",
        "With too few schools or too many unidentified resamples, the explained part has no "
        "reliable interval and no share is given. "),
    "narrative.attribution.oaxaca_overview.unexplained_total": (
        "未解释部分只给合计：把某个变量整体平移（例如规模改用“百人”为单位），各变量的未解释分项就会改变，单独解读没有意义。",
        "The unexplained part is shown only as a total: its per-predictor pieces change when a "
        "predictor is shifted by a constant, so they have no meaning on their own."),
    "narrative.attribution.oaxaca_overview.draws": (
        "自助法共 {draws} 次有效抽样（无法识别的抽样已剔除）。",
        " {draws} usable bootstrap draws (unidentified resamples dropped)."),
    "narrative.attribution.classes_overview.ranked": (
        "全县共 {classes} 个班级，其中 {ranked} 个参与全县排名",
        "The county has {classes} classes; {ranked} are ranked"),
    "narrative.attribution.classes_overview.small_not_ranked": (
        "（{small} 个班参考人数不足 {min_group_size} 人，只列出不排名）。",
        " ({small} with fewer than {min_group_size} pupils are listed, not ranked)."),
    "narrative.attribution.appendix_note": (
        "以下是上面结论所依据的模型和分解结果，供统计人员核对，会议材料一般不需要引用。模型的变量名、公式和方法名称只出现在这里。",
        "Below are the models and decompositions the conclusions above rest on, for "
        "statisticians to check; meeting papers normally need not cite them. Variable names, "
        "formulas and method names appear only here."),
    "narrative.indicators.township_overview.among_townships_highest_mean": (
        "各乡镇中，总分平均最高的是{best_township}（{best_mean} 分），最低的是{worst_township}（{worst_mean} 分）。",
        "Among townships the highest mean total is {best_township} ({best_mean}) and the lowest "
        "{worst_township} ({worst_mean})."),
    "narrative.indicators.near_overview.students_within_full_marks": (
        "全县总分距及格线不足满分 {margin:.0%} 的及格临界生 {total_near_pass:,} 人，优秀临界生 {total_near_excellent:,} 人"
        "。报告只列人数，不显示学生姓名。",
        "{total_near_pass:,} students are within {margin:.0%} of full marks below the pass line "
        "on the total, and {total_near_excellent:,} below the excellent line: counts only, no "
        "names are shown."),
    "narrative.indicators.county_overview.some_sat": (
        "{sat:,} 人至少参加一科、",
        "{sat:,} sat at least one subject and "),
    "narrative.common.signed.up": (
        "提高 {shown} {unit}",
        "up {shown}{unit}"),
    "narrative.common.signed.down": (
        "下降 {shown} {unit}",
        "down {shown}{unit}"),
    "narrative.common.units.points": (
        "分",
        " points"),
    "narrative.common.units.percentage_points": (
        "个百分点",
        " percentage points"),
    "narrative.common.units.sd": (
        " 个标准差",
        " SD"),
    "narrative.common.places.urban": (
        "城区",
        "urban"),
    "narrative.common.places.town": (
        "镇区",
        "town"),
    "narrative.common.places.rural": (
        "乡村",
        "rural"),
    "narrative.indicators.gap_phrase.clear": (
        "{name_zh}学校学生总分平均比{ref_zh}学校{side} {points} 分（{sd} 个标准差；{interval}）",
        "{name_en_capitalized} students' mean total is {points} points {side} {ref_en} "
        "students' ({sd} SD; {interval})"),
    "narrative.indicators.gap_phrase.unclear": (
        "{name_zh}学校与{ref_zh}学校学生总分平均差异不明显（{name_zh}{side} {points} 分、{sd} 个标准差；{interval}）",
        "{name_en_capitalized} and {ref_en} students' mean totals do not differ clearly ("
        "{name_en} {points} points {side}, {sd} SD; {interval})"),
    "narrative.indicators.bands_overview.rates": (
        "全县总分低分率为 {low_rate}，优秀率为 {excellent_rate}。",
        "The county's low-score rate on the total is {low_rate} and its excellent rate "
        "{excellent_rate}."),
    "narrative.indicators.bands_overview.lines": (
        "{parts:；}。",
        " {parts:; }."),
    "narrative.indicators.bands_overview.table": (
        "下表按分数列出各段人数和占比：每段含下限、不含上限，满分计入最高一段。",
        " The table gives each band in points with its pupils and share: a band includes its "
        "lower bound, not its upper, and full marks fall in the top band."),
    "narrative.indicators.cv_overview.meets": (
        "达到",
        "meets"),
    "narrative.indicators.cv_overview.does_not_meet": (
        "未达到",
        "does not meet"),
    "narrative.indicators.parts": (
        "{parts:；}",
        "{parts:; }"),
    "narrative.indicators.end_note": (
        "。{note}",
        ". {note}"),
    "narrative.common.caution": (
        "以上都是相关关系，不能证明缺编或乡村条件就是成绩差距的原因：没有观测到的因素（如生源、家庭条件）也可能同时影响两者。学校数量较少时区间较宽，应结合实际情况解读。",
        "These are associations, not proven causes: unobserved factors (intake, family "
        "background) may drive both. With few schools the intervals are wide; read them with "
        "local knowledge."),
    "narrative.cleaning.clean_summary.kind_rows": (
        "{kind} {n:,} 行",
        "{kind} {n:,} rows"),
    "narrative.cleaning.lines_used.total_and_each": (
        "总分 {total} 分；{each}",
        "total {total}; {each}"),
    "narrative.cleaning.lines_used.line": (
        "{name_zh}线 {share}（{inside}）",
        "{name_en} {share} ({inside})"),
    "narrative.cleaning.lines_used.low_line": (
        "{name_zh}线 {share}（{inside}，低于此线为低分）",
        "{name_en} below {share} ({inside})"),
    "narrative.cleaning.lines_used.lines": (
        "本期分数线（满分的比例，括号内为对应分数）：{parts:，}。",
        "Lines this season (shares of full marks; the points in brackets): {parts:; }."),
    "narrative.cleaning.lines_used.named_line": (
        "{name}线",
        "{name} line"),
    "narrative.cleaning.lines_used.points": (
        "{points} 分",
        "{points}"),
    "narrative.cleaning.lines_used.set_in_points": (
        "其中{lines}按参数设定为总分 {points}，各科按同一比例换算。",
        " The {lines} was set in points of the total ({points}); each subject uses the same "
        "share of its full marks."),
    "narrative.landing.change_finding": (
        "与去年同年级相比，总分平均{mean_side} {mean:.1f} 分，及格率{rate_side} {rate:.1f} 个百分点（两次试卷不同，只作参考）。",
        "Against the same grade last year the mean total is {mean:.1f} points {mean_side} and "
        "the pass rate {rate:.1f} points {rate_side} (different papers: a rough guide)."),
    "narrative.common.glossary.term.sd": (
        "标准差",
        "standard deviation (SD)"),
    "narrative.common.glossary.term.ci": (
        "95% 置信区间",
        "95% confidence interval"),
    "narrative.common.glossary.term.bootstrap": (
        "学校聚类自助法",
        "cluster bootstrap"),
    "narrative.common.glossary.term.cv": (
        "差异系数",
        "coefficient of variation"),
    "narrative.common.glossary.term.icc": (
        "组内相关系数",
        "intra-class correlation"),
    "narrative.common.glossary.term.expectation": (
        "高于/低于预期",
        "above/below expectation"),
    "narrative.common.glossary.explained.sd": (
        "衡量学生成绩分散程度的单位。差距用“个标准差”表示，便于不同学科、不同满分的考试之间比较：0.2 个标准差算小的差距，0.5 个左右算中等，0.8 个以上算大。",
        "the unit of how spread out pupils' scores are. Gaps in SD compare across subjects and "
        "full marks: 0.2 SD is a small gap, about 0.5 medium, 0.8 or more large."),
    "narrative.common.glossary.explained.ci": (
        "考虑到成绩的偶然波动，真实差距大致所在的范围。区间不包含 0，说明差距的方向是明确的；包含 0，就写作“差异不明显”。",
        "the range in which the true gap plausibly lies, given chance variation. An interval "
        "that excludes 0 means the direction is clear; one that includes 0 is reported as no "
        "clear difference."),
    "narrative.common.glossary.explained.bootstrap": (
        "把各校作为整体反复重新抽样、重复计算，以得到“缺编相关比例”等数值的可信范围；学校少时范围很宽。",
        "re-drawing whole schools many times and recomputing, to get the plausible range of "
        "figures such as the share of a gap that goes with staffing; with few schools the range "
        "is wide."),
    "narrative.common.glossary.explained.cv": (
        "各校数值的标准差除以平均值，反映学校之间的均衡程度：越小越均衡。",
        "the SD of the schools' figures divided by their mean: the smaller, the more even the "
        "schools."),
    "narrative.common.glossary.explained.icc": (
        "学生成绩的差异中，有多少是学校之间的差异。",
        "the part of the differences between pupils that lies between schools."),
    "narrative.common.glossary.explained.expectation": (
        "在城乡、师资、规模等条件相同的学校中比较，一所学校的成绩明显高于或低于这些条件下的平均水平。",
        "a school scoring clearly above or below the average of schools with the same "
        "conditions (urban-rural status, staffing, size)."),
}
