"""Named sets of words (key -> (Chinese, English)): headings, section titles, terms."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "indicators.quality.actions.exclude_row": (
        "排除整行",
        "row excluded"),
    "indicators.quality.actions.recode": (
        "规范文本",
        "text normalised"),
    "indicators.quality.actions.status": (
        "状态标记",
        "status marked"),
    "indicators.quality.actions.set_invalid": (
        "判为无效",
        "set invalid"),
    "indicators.quality.actions.recompute_total": (
        "重算总分",
        "total recomputed"),
    "indicators.quality.actions.map_school": (
        "学校别名",
        "alias"),
    "indicators.quality.actions.skip_title": (
        "跳过标题行",
        "title line skipped"),
    "indicators.quality.actions.drop_column": (
        "删除个人信息列",
        "personal column dropped"),
    "indicators.quality.actions.ignore_column": (
        "未使用的列",
        "column not used"),
    "indicators.quality.actions.not_examined": (
        "学科未考",
        "subject not examined"),
    "indicators.quality.actions.missing_staffing": (
        "缺少师资数据",
        "no staffing row"),
    "paper.text.paper_sections.title": (
        "试卷分析",
        "The papers"),
    "paper.text.paper_sections.papers": (
        "一、试卷总体：难度与信度",
        "1. The papers: difficulty and reliability"),
    "paper.text.paper_sections.questions": (
        "二、小题分析：哪些题需要复查",
        "2. Question by question: what to review"),
    "paper.text.paper_sections.options": (
        "三、客观题选项分析",
        "3. The options of the objective questions"),
    "paper.text.paper_sections.points": (
        "四、知识点与能力层级",
        "4. Knowledge points and ability levels"),
    "paper.text.paper_sections.dif": (
        "五、城乡学生在哪些题上差得更多（项目功能差异）",
        "5. Where rural pupils lose more than their level predicts (DIF)"),
    "paper.text.paper_sections.irt": (
        "六、项目反应理论（IRT）视角",
        "6. An item response theory view"),
    "project.build.page_titles.01-clean": (
        "数据清洗与质量",
        "Data cleaning"),
    "project.build.page_titles.02-indicators": (
        "成绩指标",
        "Indicators"),
    "project.build.page_titles.03-attribution": (
        "差距与哪些条件有关",
        "What the gaps go with"),
    "project.build.page_titles.04-trends": (
        "动态跟踪",
        "Trends"),
    "project.build.page_titles.05-paper": (
        "试卷分析",
        "The papers"),
    "narrative.attribution.attribution_sections.summary": (
        "一、主要结论",
        "1. Summary"),
    "narrative.attribution.attribution_sections.effects": (
        "二、考虑办学条件后，哪些学校高于或低于预期",
        "2. Schools above or below expectation, given their conditions"),
    "narrative.attribution.attribution_sections.classes": (
        "三、学校之间与班级之间的差异",
        "3. Between schools and between classes"),
    "narrative.attribution.attribution_sections.teachers": (
        "四、任课教师（内部使用）",
        "4. Teachers of record (internal use)"),
    "narrative.attribution.attribution_sections.appendix": (
        "技术附录（供统计人员核对）",
        "Technical appendix (for statisticians)"),
    "narrative.attribution.attribution_sections.models": (
        "附录一、多层模型 M0–M3",
        "A1. Multilevel models M0–M3"),
    "narrative.attribution.attribution_sections.gelbach": (
        "附录二、乡村差距中有多少与缺编相关（Gelbach 分解）",
        "A2. How much of the rural gap goes with staffing (Gelbach)"),
    "narrative.attribution.attribution_sections.oaxaca": (
        "附录三、城乡差距分解（Oaxaca–Blinder）",
        "A3. Urban–rural gap decomposition (Oaxaca–Blinder)"),
    "narrative.attribution.attribution_sections.shapley": (
        "附录四、校际差异的来源（Shapley R² 分解）",
        "A4. What explains differences between schools (Shapley R²)"),
    "narrative.cleaning.line_names.pass_line": (
        "及格",
        "pass"),
    "narrative.cleaning.line_names.good": (
        "良好",
        "good"),
    "narrative.cleaning.line_names.excellent": (
        "优秀",
        "excellent"),
    "narrative.cleaning.line_names.low": (
        "低分",
        "low-score"),
    "narrative.common.headings.clean": (
        "数据清洗与数据质量",
        "Data cleaning and data quality"),
    "narrative.common.headings.rows": (
        "原始数据行的去向",
        "What happened to every raw row"),
    "narrative.common.headings.changes": (
        "单元格修改与标记",
        "Cells changed or marked"),
    "narrative.common.headings.absence_subject": (
        "各学科缺考情况",
        "Absence by subject"),
    "narrative.common.headings.absence_school": (
        "缺考率较高的学校",
        "Schools with the highest absence"),
    "narrative.common.headings.aliases": (
        "通过别名匹配的学校",
        "Schools matched through an alias"),
    "narrative.common.headings.checks": (
        "运行前检查",
        "Checks before the run"),
    "narrative.common.headings.indicators": (
        "成绩指标分析",
        "Exam indicators"),
    "narrative.common.headings.county": (
        "全县总体情况",
        "County overview"),
    "narrative.common.headings.schools": (
        "各学校一分三率",
        "Schools: mean and rates"),
    "narrative.common.headings.distribution": (
        "各学科分数分布",
        "Score distributions"),
    "narrative.common.headings.attribution": (
        "差距与哪些条件有关：城乡、教师缺编与教非所学（关联分析）",
        "What the gaps go with: rural status, teacher shortage, out-of-field teaching "
        "(associations)"),
    "narrative.indicators.section_headings.overview": (
        "一、全县总体情况",
        "1. County overview"),
    "narrative.indicators.section_headings.schools": (
        "二、各学校一分三率与进退步",
        "2. Schools: results, rank and progress"),
    "narrative.indicators.section_headings.groups": (
        "三、乡镇与城乡比较",
        "3. Townships and urban–rural"),
    "narrative.indicators.section_headings.bands": (
        "四、分数段分布",
        "4. Score bands"),
    "narrative.indicators.section_headings.balance": (
        "五、学科均衡与学科短板",
        "5. Subject balance"),
    "narrative.indicators.section_headings.cv": (
        "六、校际差异系数",
        "6. Between-school coefficients of variation"),
    "narrative.indicators.section_headings.staffing": (
        "七、师资配置",
        "7. Teacher staffing"),
    "narrative.indicators.section_headings.targets": (
        "八、目标责任状完成情况",
        "8. Targets"),
    "narrative.indicators.section_headings.near": (
        "九、临界生",
        "9. Students near the lines"),
    "narrative.indicators.section_headings.classes": (
        "十、班级：一分三率、名次与平行班均衡",
        "10. Classes: results, rank and parallel-class balance"),
    "narrative.indicators.section_headings.tiers": (
        "十一、梯次评价",
        "11. Tiers: schools judged among their peers"),
    "narrative.trends.trend_sections.title": (
        "动态跟踪",
        "Trends"),
    "narrative.trends.trend_sections.same_grade": (
        "一、与往年同年级比较",
        "1. Against the same grade in earlier years"),
    "narrative.trends.trend_sections.changes": (
        "二、进步与退步超出偶然范围的学校",
        "2. Schools that moved more than chance explains"),
    "narrative.trends.trend_sections.cohort": (
        "三、同一批学生一年来的进步（增值评价）",
        "3. The same students a year on (value added)"),
    "narrative.trends.trend_sections.targets": (
        "四、目标完成情况的变化",
        "4. Targets over the seasons"),
}

#: What a params value should be (the English of eduqa.config.reading's messages) in Chinese.
EXPECTED_IN_CHINESE = {
    "a display name": "显示名称（文字）", "a list of model terms (text)": "模型项的列表（文字）",
    "a list of model terms": "模型项的列表", "a list of scores": "分数的列表",
    "true or false": "true（是）或 false（否）",
    "a mapping of subject to full marks": "“学科: 满分”的列表", "a mapping of term lists": "各组模型项",
    "a mapping": "“键: 值”的列表", "a number between 0 and 1": "0 到 1 之间的数",
    "a number": "数字", "a path": "文件路径", "a season id": "考试季名称", "a whole number": "整数",
    "full marks (a number)": "满分（数字）", "students per teacher": "生师比（数字）",
    "the county's name": "县名", "the season id": "考试季名称",
}

#: The kinds of input file (as eduqa.intake.readers names them in English) in Chinese.
FILE_KINDS_IN_CHINESE = {"school roster": "学校名单", "scores file": "成绩表",
                         "staffing file": "师资表", "targets file": "目标责任状表",
                         "blueprint": "双向细目表", "item scores file": "小题分表",
                         "teacher file": "任课安排表", "table": "表格"}
