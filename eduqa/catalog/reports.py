"""The sentences of the written reports — the county's 质量分析报告 (eduqa.text.narrative.report)
and each school's 校本报告 (eduqa.text.narrative.school) — key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the county's 质量分析报告 (eduqa.text.narrative.report)
    "narrative.report.basic_rates": (
        "全县总分平均分 {mean}，及格率 {pass_rate}，良好率 {good}，优秀率 {excellent}，低分率 {low}。",
        "The county's mean total is {mean}; pass rate {pass_rate}, good rate {good}, "
        "excellent rate {excellent}, low rate {low}."),
    "narrative.report.best_subject": (
        "各学科中{subject}得分率最高（{rate}），优秀率 {excellent}。",
        "Of the subjects, {subject} has the highest score rate ({rate}), excellent rate {excellent}."),
    "narrative.report.leading_schools": (
        "按综合指数，{n} 所排名学校中居前的是{names}（第一名综合指数 {composite}）。",
        "By composite index, the leading schools of the {n} ranked are {names} (the first at {composite})."),
    "narrative.report.improved": (
        "与上次相比明显进步的学校有 {n} 所：{names}等。",
        "{n} school(s) improved clearly against last time: {names}."),
    "narrative.report.tier_awards": (
        "梯次评价中综合指数明显高于本梯次整体的学校有 {n} 所：{names}。",
        "{n} school(s) are clearly above their tier's composite index: {names}."),
    "narrative.report.targets_met": (
        "有目标责任状的 {given} 所学校中，{met} 所完成了全部目标。",
        "Of the {given} schools with target contracts, {met} met every target."),
    "narrative.report.no_achievements": (
        "本季没有明显好于上次或好于全县的学科和学校可以列举。",
        "No subject or school stands out clearly this season."),
    "narrative.report.weakest_subject": (
        "{subject}是全县的薄弱学科：得分率 {rate}，及格率 {pass_rate}。",
        "{subject} is the county's weakest subject: score rate {rate}, pass rate {pass_rate}."),
    "narrative.report.weak_schools": (
        "综合指数最低的学校是{names}（最低者综合指数 {composite}，平均分 {mean}）。",
        "The schools with the lowest composite index are {names} (the lowest at {composite}, mean {mean})."),
    "narrative.report.fell_back": (
        "与上次相比明显退步的学校有 {n} 所：{names}等。",
        "{n} school(s) fell back clearly against last time: {names}."),
    "narrative.report.point": ("{subject}“{point}”（{rate}）", "{subject} '{point}' ({rate})"),
    "narrative.report.weak_points": (
        "全县得分率最低的知识点：{listed}。",
        "The knowledge points with the county's lowest score rates: {listed}."),
    "narrative.report.question": ("{subject}第 {question} 题（{rate}）", "{subject} Q{question} ({rate})"),
    "narrative.report.hard_questions": (
        "失分最多的小题：{listed}。",
        "The questions most marks were lost on: {listed}."),
    "narrative.report.near": (
        "全县有 {n} 名学生距及格线不足一个临界分，{excellent} 名距优秀线不足一个临界分。",
        "{n} pupils are just below the pass line and {excellent} just below the excellent line."),
    "narrative.report.no_problems": (
        "本季没有突出的薄弱学科、学校或差距。",
        "No weak subject, school or gap stands out this season."),
    "narrative.report.association": (
        "以上为相关分析，说明差距与哪些条件同时出现，不能直接当作因果结论。",
        "These are associations: they say which conditions go with the gaps, not what causes them."),
    "narrative.report.no_models": (
        "本季没有可用的模型结果。",
        "No model results this season."),
    "narrative.report.suggest.subject": (
        "针对薄弱学科，组织全县学科教研，由教研员牵头分析失分原因，开展专题研讨和示范课。",
        "For the weak subject, hold county-wide subject research led by the teaching "
        "researchers: analyse where marks were lost, with seminars and model lessons."),
    "narrative.report.suggest.schools": (
        "对综合指数偏低或退步的学校开展结对帮扶和跟踪视导，帮助学校制定改进计划（见各校的校本报告）。",
        "Pair the schools with a low or falling composite index with stronger ones and follow "
        "their improvement plans (see each school's own report)."),
    "narrative.report.suggest.gap": (
        "缩小城乡差距：推进城乡学校共同体、送教下乡和乡村教师培训，优先保障乡村学校的师资。",
        "Narrow the urban–rural gap: urban–rural school partnerships, teaching visits and "
        "training for rural teachers, staffing rural schools first."),
    "narrative.report.suggest.balance": (
        "推进优质均衡：对差异系数超出督导标准的指标，调整教师配置和办学资源。",
        "Work towards balance: for the indicators beyond the inspection limits, rebalance "
        "teachers and resources."),
    "narrative.report.suggest.points": (
        "针对得分率最低的知识点，在下一学期的教学中安排专项复习，并在下次监测中跟踪。",
        "Plan targeted teaching of the knowledge points with the lowest score rates next term, "
        "and follow them in the next assessment."),
    "narrative.report.suggest.questions": (
        "组织阅卷教师和教研员对失分最多的小题逐题讲评，找出共性错误。",
        "Have markers and researchers go through the questions most marks were lost on, "
        "question by question, for the common errors."),
    "narrative.report.suggest.near": (
        "各校对临界生建立名单，逐人制定帮扶计划，提高及格率和优秀率。",
        "Each school to list its pupils near the lines and plan support for each, to raise "
        "the pass and excellent rates."),
    "narrative.report.suggest.staffing": (
        "教师缺编和教非所学与乡村学校的差距相关：补足缺编、按学科配齐教师。",
        "Teacher shortage and out-of-field teaching go with the rural gap: fill the posts and "
        "staff each subject with teachers trained for it."),
    "narrative.report.suggest.keep": (
        "保持现有做法，在下次监测中继续跟踪各项指标。",
        "Keep the current practice and follow every indicator in the next assessment."),
    # 校本报告: a school's own report (eduqa.text.narrative.school)
    "narrative.school.level_with_county": ("与全县持平", "level with the county"),
    "narrative.school.above_county": ("高于全县 {shown} {unit}", "{shown}{unit} above the county"),
    "narrative.school.below_county": ("低于全县 {shown} {unit}", "{shown}{unit} below the county"),
    "narrative.school.no_total": (
        "{name}本次没有总分成绩。",
        "{name} has no total score this season."),
    "narrative.school.too_few": (
        "{name}本次总分实考 {n} 人，少于 {below} 人，为保护学生个人成绩，本报告不公布本校的成绩数字。",
        "{name} had {n} pupil(s) with a total this season, fewer than {below}: to protect "
        "individual results this report publishes none of the school's figures."),
    "narrative.school.basic": (
        "{name}本次总分实考 {n} 人，平均分 {mean}（全县 {county_mean}，{versus}），及格率 {pass_rate}（全县 {county_pass}），优秀率 {excellent}（全县 {county_excellent}），低分率 {low}（全县 {county_low}），综合指数 {composite}",
        "{name}: {n} pupils sat; mean total {mean} (county {county_mean}, {versus}), pass "
        "rate {pass_rate} (county {county_pass}), excellent rate {excellent} (county "
        "{county_excellent}), low rate {low} (county {county_low}), composite index "
        "{composite}"),
    "narrative.school.rank": (
        "，在全县 {n} 所排名学校中列第 {rank} 名。",
        ", ranked {rank} of the county's {n} ranked schools."),
    "narrative.school.not_ranked": (
        "；人数少于 {size} 人，不参加全县排名。",
        "; with fewer than {size} pupils it is not ranked."),
    "narrative.school.rank_fixed": ("名次区间即第 {rank} 名", "the rank interval is rank {rank} alone"),
    "narrative.school.rank_span": ("名次区间第 {low}–{high} 名", "rank interval {low}–{high}"),
    "narrative.school.tier": (
        "在{tier}梯次的 {schools} 所学校中排第 {rank} 名（{span}），综合指数{verdict}。",
        " Among the {schools} schools of its tier ({tier}) it ranks {rank} ({span}); its "
        "composite index is {verdict}."),
    "narrative.school.verdict.tier_above": ("明显高于本梯次整体", "clearly above its tier's"),
    "narrative.school.verdict.tier_below": ("明显低于本梯次整体", "clearly below its tier's"),
    "narrative.school.verdict.tier_level": ("与本梯次整体无明显差别", "not clearly different from its tier's"),
    "narrative.school.tier_alone": (
        "本校所在的{tier}梯次没有其他可比较的学校，不作梯次排名。",
        " Its tier ({tier}) has no other school to compare with: no rank in the tier."),
    "narrative.school.no_figures": (
        "人数过少，不作判断。",
        "Too few pupils to judge."),
    "narrative.school.subject_rate": ("{subject}（超均率 {rate}）", "{subject} (above-mean rate {rate})"),
    "narrative.school.subjects_above": (
        "高于全县平均的学科：{listed}。",
        "Subjects above the county mean: {listed}."),
    "narrative.school.rank_up": (
        "总分名次比上次前进 {k} 位（上次第 {previous} 名）。",
        "The total's rank rose {k} place(s) (rank {previous} last time)."),
    "narrative.school.quality_award": (
        "综合指数明显高于{tier}梯次整体，列入本梯次质量奖名单。",
        "The composite index is clearly above its tier's ({tier}): on the tier's quality award list."),
    "narrative.school.progress_award": (
        "增值明显高于{tier}梯次平均，列入本梯次进步奖名单。",
        "Value added is clearly above its tier's mean ({tier}): on the tier's progress award list."),
    "narrative.school.value_added_above": (
        "同一批学生一年来的进步明显大于全县同等起点的学生。",
        "The same pupils progressed clearly more over the year than pupils of the same starting point county-wide."),
    "narrative.school.targets": (
        "目标责任状的 {total} 项指标中完成 {met} 项。",
        "{met} of the {total} targets of the responsibility contract were met."),
    "narrative.school.targets_unmet": (
        "目标责任状的 {total} 项指标中有 {unmet} 项未完成。",
        "{unmet} of the {total} targets of the responsibility contract were not met."),
    "narrative.school.no_strengths": (
        "本次没有明显高于全县或本梯次的指标。",
        "No figure is clearly above the county's or the tier's this season."),
    "narrative.school.subjects_below": (
        "低于全县平均的学科：{listed}。",
        "Subjects below the county mean: {listed}."),
    "narrative.school.point": (
        "{subject}“{point}”（得分率 {rate}，比全县低 {gap} 个百分点）",
        "{subject} '{point}' (score rate {rate}, {gap} percentage points below the county)"),
    "narrative.school.points_below": (
        "与全县差距最大的知识点：{listed}。",
        "Knowledge points furthest below the county: {listed}."),
    "narrative.school.question": ("{subject}第 {question} 题", "{subject} Q{question}"),
    "narrative.school.question_gap": (
        "{question}（得分率 {rate}，比全县低 {gap} 个百分点）",
        "{question} (score rate {rate}, {gap} percentage points below the county)"),
    "narrative.school.questions_below": (
        "与全县差距最大的小题：{listed}。",
        "Questions furthest below the county: {listed}."),
    "narrative.school.low_rate": (
        "低分率 {low}，高于全县的 {county_low}。",
        "The low rate, {low}, is above the county's {county_low}."),
    "narrative.school.unbalanced": (
        "平行班之间不均衡：平均分差异系数 {cv}，超过 {limit}（最高{high_class} {high} 分，最低{low_class} {low} 分）。",
        "Parallel classes are unbalanced: the CV of their means is {cv}, above {limit} "
        "(highest {high_class} {high}, lowest {low_class} {low})."),
    "narrative.school.tier_below": (
        "综合指数明显低于{tier}梯次整体。",
        "The composite index is clearly below its tier's ({tier})."),
    "narrative.school.value_added_below": (
        "同一批学生一年来的进步明显小于全县同等起点的学生。",
        "The same pupils progressed clearly less over the year than pupils of the same starting point county-wide."),
    "narrative.school.no_problems": (
        "本次没有明显低于全县的学科、知识点或小题。",
        "No subject, knowledge point or question is clearly below the county this season."),
    "narrative.school.staffing": (
        "本校缺编率 {shortage}（全县 {county_shortage}），教非所学比例 {out_of_field}（全县 {county_out}）。",
        "The school's staff shortage rate is {shortage} (county {county_shortage}); its "
        "out-of-field share {out_of_field} (county {county_out})."),
    "narrative.school.effect": (
        "在考虑城乡、师资和学校规模之后，本校学生总分{verdict}（学校效应 {effect} 个标准差，95% 区间 {low} 至 {high}）。",
        "After allowing for urban–rural type, staffing and size, the school's pupils score "
        "{verdict} (school effect {effect} SD, 95% interval {low} to {high})."),
    "narrative.school.effect_verdict.above": ("高于预期", "above expectation"),
    "narrative.school.effect_verdict.below": ("低于预期", "below expectation"),
    "narrative.school.effect_verdict.as_expected": ("与预期无明显差别", "as expected"),
    "narrative.school.value_added": (
        "与上一学年相比，同一批学生的进步{verdict}（增值 {effect} 个标准差，95% 区间 {low} 至 {high}）。",
        "Against last year, the same pupils' progress was {verdict} (value added {effect} SD, "
        "95% interval {low} to {high})."),
    "narrative.school.va_verdict.above": ("明显大于全县同等起点的学生", "clearly more than pupils of the same starting point"),
    "narrative.school.va_verdict.below": ("明显小于全县同等起点的学生", "clearly less than pupils of the same starting point"),
    "narrative.school.va_verdict.as_expected": ("与全县同等起点的学生无明显差别", "not clearly different from pupils of the same starting point"),
    "narrative.school.no_reasons": (
        "本季没有可用于本校原因分析的师资或模型结果。",
        "This season has no staffing or model results to analyse the school by."),
    "narrative.school.association": (
        "以上是本校条件与成绩的对照和相关关系，不是因果结论；全县的模型结果见“差距与哪些条件有关”页。",
        "These are the school's conditions beside its results, and associations, not causes; "
        "the county's models are on the page 'What the gaps go with'."),
    "narrative.school.plan_hidden": (
        "人数过少，本报告不给出针对成绩的建议；请结合本校学生的实际情况制定计划。",
        "Too few pupils for advice from the figures; plan from what is known of the pupils."),
    "narrative.school.plan_point": (
        "把{subject}“{point}”作为本学期校本教研的重点：本校得分率比全县低 {gap} 个百分点，可对照试卷分析页的小题与选项逐题讲评。",
        "Make {subject} '{point}' the focus of this term's school-based teaching research: "
        "the school's score rate is {gap} percentage points below the county's; go through "
        "its questions and options on the paper page."),
    "narrative.school.plan_subject": (
        "把{subject}作为重点学科（超均率 {rate}），由教研组分析原因并制定提高措施。",
        "Make {subject} the focus subject (above-mean rate {rate}): its teaching group to "
        "analyse why and plan how to raise it."),
    "narrative.school.plan_excellent": (
        "各学科均不低于全县平均：巩固优势，着重提高优秀率（本校 {excellent}，全县 {county_excellent}）。",
        "No subject is below the county mean: keep the lead and work on the excellent rate "
        "(school {excellent}, county {county_excellent})."),
    "narrative.school.near_most": ("，其中{class_name}最多（{n} 人）", ", most of them in {class_name} ({n})"),
    "narrative.school.plan_near": (
        "对及格线下 {near_pass} 名、优秀线下 {near_excellent} 名临界生逐人制定帮扶计划{most}。",
        "Make a plan for each of the {near_pass} pupils just below the pass line and the "
        "{near_excellent} just below the excellent line{most}."),
    "narrative.school.plan_no_near": (
        "本次没有临界生：关注低分学生（低分率 {low}），逐人分析原因。",
        "No pupil is just below a line: attend to the low scorers (low rate {low}), pupil by pupil."),
    "narrative.school.plan_unbalanced": (
        "平行班差异系数 {cv} 偏大：检查分班与任课安排，重点跟踪{low_class}。",
        "The parallel classes' CV of {cv} is high: review how classes and teachers are "
        "assigned, and follow {low_class} closely."),
    "narrative.school.plan_lowest_class": (
        "{class_name}综合指数在本校最低（{composite}），下学期作为重点跟踪班级。",
        "{class_name} has the school's lowest composite index ({composite}): follow it "
        "closely next term."),
    "narrative.school.plan_baseline": (
        "以本报告的一分三率为基线，下次监测逐项对照，检查改进措施的效果。",
        "Take this report's rates as the baseline and check the next season against them."),
    "narrative.school.separator": ("、", "; "),
    "narrative.school.trend.improved": (
        "与上次同年级相比，本校总分平均标准分提高 {change}（95% 区间 {low} 至 {high}），进步明显。",
        " Against the same grade last time, the school's mean total z rose {change} (95% "
        "interval {low} to {high}): a clear improvement."),
    "narrative.school.trend.fell_back": (
        "与上次同年级相比，本校总分平均标准分下降 {change}（95% 区间 {low} 至 {high}），退步明显。",
        " Against the same grade last time, the school's mean total z fell {change} (95% "
        "interval {low} to {high}): a clear fall."),
    "narrative.school.trend.no_clear_change": (
        "与上次同年级相比，本校总分平均标准分变化不明显（变化 {change}，95% 区间 {low} 至 {high}）。",
        " Against the same grade last time, the school's mean total z changed by no clear "
        "amount (change {change}, 95% interval {low} to {high})."),
    "narrative.school.improved": (
        "与上次同年级相比进步明显（平均标准分提高 {change}）。",
        "Clearly better than the same grade last time (mean z up {change})."),
    "narrative.school.fell_back": (
        "与上次同年级相比退步明显（平均标准分下降 {change}）。",
        "Clearly behind the same grade last time (mean z down {change})."),
}
