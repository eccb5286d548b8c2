"""Captions of the tables and figures on the pages (key -> (kind, Chinese, English)), and
the words that introduce one (表：/ Table:). :func:`eduqa.text.captions.caption` fills them in.
"""

from __future__ import annotations

#: key → (kind, Chinese, English); kind is ``table`` or ``figure``. Fields: ``{rows}``,
#: ``{schools}``, ``{students}`` (from the frame) and any passed by name.
CAPTIONS: dict[str, tuple[str, str, str]] = {
    # 01-clean
    "rows": ("table", "成绩表共读入 {read:,} 行，每一行的去向（保留或排除及原因）",
             "Where each of the {read:,} rows read from the score export went (kept, or "
             "excluded and why)"),
    "changes": ("table", "按类型统计的单元格修改与标记（共 {cells:,} 处；逐条记录在清洗日志中）",
                "Cells changed or marked, by kind ({cells:,} in all; each is in the cleaning "
                "log)"),
    "absence_subject": ("table", "各学科应考、实考和缺考人数（按学科分别计；缺考率 = 缺考人数 ÷ 应考人数）",
                        "Enrolled, sat and absent by subject (counted per subject; absence rate "
                        "= absent ÷ enrolled)"),
    "absence_school": ("table", "总分缺考率最高的 {rows} 所学校（全县 {all_schools} 所学校；按应考人数）",
                       "The {rows} schools with the highest absence (of {all_schools}; "
                       "counted over enrolled pupils)"),
    "aliases": ("table", "成绩表中通过别名对应到学校名单的 {rows} 种写法",
                "The {rows} spellings in the score export matched to the roster through an "
                "alias"),
    # 02-indicators
    "county_subjects": ("table", "全县各学科成绩指标：应考 {enrolled:,} 人，实考 {sat:,} 人（至少一科），"
                                 "各科全部参考 {sat_all:,} 人（总分的人数）；平均分和各率按各学科实考学生计算",
                        "County indicators by subject: {enrolled:,} enrolled, {sat:,} sat at "
                        "least one subject, {sat_all:,} sat every subject (the total's N); "
                        "means and rates over each subject's pupils who sat"),
    "county_comparison": ("table", "与{previous}相比，全县各学科平均分、及格率和优秀率的变化",
                          "Change in the county's mean, pass and excellent rates by subject "
                          "since {previous}"),
    "school_total": ("table", "各校总分指标与名次：{schools} 所学校，总分实考 {students:,} 人；"
                              "人数少于 {min_group} 人的学校不排名",
                     "Schools' total: {schools} schools, {students:,} pupils who sat every "
                     "subject; schools under {min_group} pupils are not ranked"),
    "township_table": ("table", "各乡镇总分指标：{rows} 个乡镇，总分实考 {students:,} 人",
                       "Townships' total: {rows} townships, {students:,} pupils who sat every "
                       "subject"),
    "urban_rural_table": ("table", "城区、镇区、乡村学校各学科指标（各行人数为该学科实考人数）",
                          "Urban, town and rural schools by subject (each row's N is the pupils "
                          "who sat that subject)"),
    "gap_means": ("table", "城区与镇区、乡村的平均分差距（城区减比较组）及 95% 置信区间（按学校聚类）；"
                           "各行学校数、学生数为比较的两组合计",
                  "Mean gaps, urban minus town and rural, with 95% intervals clustered by "
                  "school; each row's schools and pupils are both groups together"),
    "gap_rates": ("table", "总分及格率、优秀率、低分率的城乡差距（城区减比较组）及 95% 置信区间",
                  "Gaps in the total's pass, excellent and low-score rates (urban minus the "
                  "other group), with 95% intervals"),
    "bands": ("table", "各学科分数段人数与比例（实考学生；每段宽为满分的 {width}）",
              "Score bands by subject (pupils who sat; each band {width} of full marks)"),
    "score_lines": ("table", "达到各分数线的人数与比例（实考学生）",
                    "Pupils at or above each score line (pupils who sat)"),
    "score_distributions": ("figure", "各学科实考成绩的分布（{students:,} 名学生；虚线为及格线和优秀线，"
                                      "实线为全县平均分）",
                            "Scores by subject ({students:,} pupils who sat; dashed lines: "
                            "pass and excellent, solid: county mean)"),
    "balance_heatmap": ("figure", "各校各学科相对本校平均的强弱（全县标准差单位，{schools} 所学校；"
                                  "人数过少的学校不列）",
                        "Each school's subjects against its own average (county SD units, "
                        "{schools} schools; small schools left out)"),
    "weak_subjects": ("table", "各校的学科短板：低于本校各科平均 {margin} 个标准差以上的学科",
                      "Weak subjects: more than {margin} SD below the school's own average"),
    "score_cv": ("table", "各学科校际差异系数（{schools} 所学校，按各校在校生数加权，即督导评估办法的公式；按实考人数加权的结果与之相差超过 5% 时列在旁边）",
                 "Between-school CV by subject ({schools} schools, weighted by each school's "
                 "enrolment as in the inspection formula; the CV weighted by the pupils who sat "
                 "is shown beside it where the two differ by more than 5%)"),
    "score_cv_sitters": ("table", "各学科校际差异系数（{schools} 所学校；名册未给出全部学校的在校生数，按各校实考人数加权）",
                         "Between-school CV by subject ({schools} schools; weighted by the "
                         "pupils who sat, as the roster does not give every school's "
                         "enrolment)"),
    "resource_cv": ("table", "师资配置的校际差异系数与督导评估标准（学校数见表）",
                    "Between-school CV of staffing against the inspection limit (schools in "
                    "the table)"),
    "staffing_groups": ("table", "城区、镇区、乡村学校的师资（本期有学生的 {schools} 所学校；教师为整数人）",
                        "Staffing of urban, town and rural schools ({schools} schools with "
                        "pupils; whole teachers)"),
    "staffing_schools": ("table", "各校师资（{rows} 所学校，按缺编率从高到低）",
                         "Staffing by school ({rows} schools, highest shortage rate first)"),
    "staffing_subjects": ("table", "各校分学科师资（{rows} 行）",
                          "Staffing by school and subject ({rows} rows)"),
    "targets": ("table", "各校目标责任状完成情况（{rows} 所学校）",
                "Targets met by school ({rows} schools)"),
    "tier_table": ("table", "梯次评价：{schools} 所学校按梯次排列；梯次内名次按综合指数，名次区间为与本梯次各校两两比较（95%）后可能的名次范围；"
                            "与梯次整体之差及其 95% 区间决定“明显高于/低于本梯次”；增值为同一批学生一年来的进步与本梯次平均之差；"
                            "人数少于 {min_group} 人的学校不排名、不判断",
                   "Tiers: {schools} schools by tier; rank in tier by composite index, the rank "
                   "interval the ranks possible after comparing the tier's schools pairwise "
                   "(95%); the difference from the tier and its 95% interval decide 'clearly "
                   "above/below its tier'; value added is the same pupils' progress over a year "
                   "against the tier's mean; schools under {min_group} pupils are neither "
                   "ranked nor judged"),
    "near_school": ("table", "各校总分临界生：距及格线、优秀线不足满分 {margin} 的学生人数（{schools} 所学校）",
                    "Pupils near the lines on the total: within {margin} of full marks below "
                    "the pass or excellent line ({schools} schools)"),
    "near_subject": ("table", "各校各学科临界生人数",
                     "Pupils near the lines by school and subject"),
    "class_total": ("table", "各班总分指标与名次：{rows} 个班，总分实考 {students:,} 人；全县名次与校内名次按综合指数，"
                             "人数少于 {min_group} 人的班不排名",
                    "Classes' total: {rows} classes, {students:,} pupils who sat every "
                    "subject; county and school ranks by composite index, classes under "
                    "{min_group} pupils not ranked"),
    "class_lowest": ("table", "综合指数最低的 {rows} 个班（全县共 {all_classes:,} 个班，全部班级见工作簿）",
                     "The {rows} classes with the lowest composite index (of {all_classes:,}; "
                     "every class is in the workbook)"),
    "parallel_classes": ("table", "各校平行班总分平均分的均衡情况（{rows} 所学校；差异系数 = 各班平均分的标准差 ÷ "
                                  "平均，超过 {limit} 标为不均衡；人数过少的班不计）",
                         "Balance of parallel classes on the total ({rows} schools; CV = SD of "
                         "the class means ÷ their mean, above {limit} flagged; small classes "
                         "left out)"),
    # 03-attribution
    "effects_figure": ("figure", "各校学校效应（收缩估计）及 95% 区间：{schools} 所学校，{students:,} 名"
                                 "学生（总分标准分）",
                       "School effects (shrunken) with 95% intervals: {schools} schools, "
                       "{students:,} pupils (standardised total)"),
    "effects": ("table", "各校学校效应：考虑城乡、师资等条件后的差异（{schools} 所学校，{students:,} 名学生）",
                "School effects after place and staffing ({schools} schools, {students:,} "
                "pupils)"),
    "models": ("table", "模型序列概要：每一步加入的变量与校际方差的变化（{students:,} 名学生）",
               "The model sequence: terms added at each step and the between-school variance "
               "({students:,} pupils)"),
    "models_linked": ("table", "模型序列概要：每一步加入的变量与校际方差的变化（仅与上次考试相连的 {students:,} 名学生，"
                               "各模型用同一样本；全部参考学生的组内相关系数见上文）",
                      "The model sequence: terms added at each step and the between-school "
                      "variance (only the {students:,} pupils linked to the prior season, one "
                      "sample for every model; the ICC of all pupils who sat is given above)"),
    "variance_levels": ("table", "学生总分标准分的方差在学校之间、同校班级之间和班级内部的分解（三层随机截距模型，"
                                 "{students:,} 名有班级的学生）",
                        "The variance of pupils' standardised totals between schools, between "
                        "classes of a school and within classes (three-level random-intercept "
                        "model, {students:,} pupils with a class)"),
    "teacher_table": ("table", "任课教师所教班级的效应及 95% 区间（仅供内部使用；{rows} 位（次）教师，按编号排列，不是排名）",
                      "The effects of each teacher's classes with 95% intervals (internal use "
                      "only; {rows} entries, by code, not a ranking)"),
    "coefficients": ("table", "各模型的系数及 95% 置信区间（总分标准分，按学校的自由度）",
                     "Coefficients of each model with 95% intervals (standardised total, "
                     "school-level degrees of freedom)"),
    "gelbach": ("table", "Gelbach 分解：乡村差距中与师资各项相关的部分（学校整群自助法区间）",
                "Gelbach decomposition: the part of the rural gap that goes with each "
                "staffing term (school cluster bootstrap)"),
    "oaxaca": ("table", "Oaxaca–Blinder 分解：城区与乡村学生差距中条件不同与回报不同的部分",
               "Oaxaca–Blinder decomposition of the urban–rural gap: endowments and returns"),
    "shapley": ("table", "Shapley 分解：各组条件对校际差异（学校平均，{rows} 组）的解释份额",
                "Shapley decomposition: each group of terms' share of the explained "
                "between-school variance ({rows} groups)"),
    # 05-paper
    "paper_summary": ("table", "各学科试卷的总体情况（{rows} 份试卷）：信度 α、测量标准误和分布形状按全部小题都有分数的"
                               "学生计算，小题分不全的学生另列",
                      "The papers as a whole ({rows} papers): α, the standard error of "
                      "measurement and the shape use the pupils with every question scored; the "
                      "others are counted apart"),
    "item_map": ("figure", "各小题的难度（得分率）与区分度（{rows} 道小题；虚线为复查标准，红点为需复查的题）",
                 "Each question's difficulty (score rate) against its discrimination ({rows} "
                 "questions; dashed: the review rules; red: flagged for review)"),
    "question_table": ("table", "各小题的得分率、满分率、零分率、区分度（该题与其余各题总分的相关）和鉴别指数 D"
                                "（高、低分组各 {share}）；{rows} 道小题，标“是”的按复查标准需要复查",
                       "Each question's score rate, full-marks and zero rates, discrimination "
                       "(correlation with the rest of the paper) and high–low index D (top and "
                       "bottom {share}); {rows} questions, those marked yes are flagged for "
                       "review"),
    "option_table": ("table", "客观题各选项的选择比例：全体学生与高、低分组（各 {share}）；高分组比低分组选得多的"
                              "错误选项标“是”，需要看题目或答案是否有歧义",
                     "The options of the objective questions: all pupils and the high and low "
                     "groups (top and bottom {share}); a wrong option the high group chose more "
                     "than the low group is marked yes: check the question and its key"),
    "option_wide": ("table", "客观题各选项的选择比例（{rows} 道题；高分组、低分组各 {share}）；最后一列为高分组比低分组"
                             "选得多的错误选项，需要看题目或答案是否有歧义（各组比例见工作簿）",
                    "The share choosing each option of the objective questions ({rows} "
                    "questions; high and low groups the top and bottom {share}); the last "
                    "column names the wrong options the high group chose more than the low "
                    "group (the groups' shares are in the workbook)"),
    "knowledge_points": ("table", "各知识点的得分率：全县与城区、镇区、乡村学校（{rows} 个知识点；一题涉及几个"
                                  "知识点时，在每个知识点都计入）",
                         "Score rate by knowledge point: the county and urban, town and rural "
                         "schools ({rows} points; a question on several points counts in each)"),
    "ability_levels": ("table", "各能力层级的得分率：全县与城区、镇区、乡村学校（{rows} 个层级）",
                       "Score rate by ability level: the county and urban, town and rural "
                       "schools ({rows} levels)"),
    "knowledge_below": ("table", "知识点得分率低于全县最多的 {rows} 项（{level}；人数过少的不列，全部见工作簿）",
                        "The {rows} knowledge points furthest below the county ({level}; small "
                        "groups left out; all in the workbook)"),
    "dif_table": ("table", "城乡项目功能差异：总分相同的{reference}学生与{focal}学生在各题上的差别"
                           "（按对错给分的题用 Mantel–Haenszel，ETS 等级 A 可忽略、B 中等、C 较大；多分值题用 Mantel 检验与标准化均值差/标准差，AA 可忽略、BB 中等、CC 较大）",
                  "Urban–rural differential item functioning: {reference} against {focal} "
                  "pupils of the same total (right/wrong questions by Mantel–Haenszel, ETS "
                  "class A negligible, B moderate, C large; questions scored in steps by "
                  "Mantel's test and SMD/SD, AA negligible, BB moderate, CC large)"),
    "item_curves": ("figure", "各客观题的项目特征曲线（两参数模型，{students:,} 名学生；红线为需复查的题）",
                    "Item characteristic curves of the objective questions (2PL, {students:,} "
                    "pupils; red: flagged for review)"),
    "irt_graded": ("table", "按步骤给分的题（解答题等）的等级反应模型参数：区分度 a，及达到每一分数所需的能力（等级难度，能力标准差单位；{rows} 行）",
                   "Graded response model of the questions scored in steps: discrimination a, and "
                   "the ability needed to reach each score (step difficulty, in ability SD; "
                   "{rows} rows)"),
    "category_curves": ("figure", "按步骤给分的题的得分等级曲线（等级反应模型，{students:,} 名学生）：不同能力的学生得到各分数的概率",
                        "Score category curves of the questions scored in steps (graded "
                        "response model, {students:,} pupils): the chance of each score by "
                        "ability"),
    "irt_fit": ("table", "Rasch 模型与两参数模型的比较（AIC、BIC 越小越好）",
                "Rasch against the 2PL (lower AIC and BIC fit better)"),
    "irt_items": ("table", "各客观题的 IRT 参数：区分度 a 与难度 b（能力标准差单位）及标准误（{rows} 行）",
                  "IRT parameters of the objective questions: discrimination a and difficulty "
                  "b (ability SD units) with their errors ({rows} rows)"),
    # 04-trends
    "county_trend": ("table", "历次同年级考试的全县总分指标（{rows} 次）",
                     "The county's total in each same-grade season ({rows} seasons)"),
    "rank_history": ("table", "各校历次总分名次（{rows} 所学校）",
                     "Schools' rank on the total in each season ({rows} schools)"),
    "school_change": ("table", "各校总分标准分的变化（与上次同年级考试相比，{schools} 所学校；"
                               "各行人数为两次的实考人数）",
                      "Change in schools' standardised total since the last same-grade season "
                      "({schools} schools; each row's N is pupils who sat each time)"),
    "value_added_figure": ("figure", "各校增值及 95% 区间（同一批学生，{schools} 所学校、{students:,} "
                                     "名匹配到上次成绩的学生）",
                           "Value added with 95% intervals (the same pupils: {schools} "
                           "schools, {students:,} pupils matched to their earlier scores)"),
    "value_added": ("table", "各校增值评价（{schools} 所学校，{students:,} 名匹配学生）",
                    "Value added by school ({schools} schools, {students:,} matched pupils)"),
    "target_trend": ("table", "各校历次目标完成的比例（{rows} 所学校）",
                     "Share of targets met by school and season ({rows} schools)"),
}

#: The word before a caption, by kind.
_PREFIXES = {"caption.table": ("表：{text}", "Table: {text}"),
             "caption.figure": ("图：{text}", "Figure: {text}")}

MESSAGES: dict[str, tuple[str, str]] = {
    **_PREFIXES, **{f"caption.{key}": (zh, en) for key, (_, zh, en) in CAPTIONS.items()}}
