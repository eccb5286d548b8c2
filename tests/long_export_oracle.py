"""The long item export widened row by row: the implementation of eduqa.intake.items before it
worked on codes (issue 34), kept as an oracle for tests/test_paper.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.config.schema import normalize_text
from eduqa.intake.items import _unknown_questions, question_id


class RowWiseLongExport:
    """A long item-score export (one row per pupil and question) turned into the wide layout
    the cleaner reads: one row per pupil id, one text column per question (the option when
    the row gives one, else the score). Raw rows that cannot go into it — no question, the
    same question twice for a pupil — are set aside with their reasons, so that every raw row
    is kept (with its pupil) or logged."""

    def __init__(self, frame: pd.DataFrame, source_row: np.ndarray, id_column: str,
                 long_found: dict, blueprint: pd.DataFrame, path: Path, source: str):
        self.n_rows = len(frame)
        self.score_column = long_found["item_score"]
        ids = frame[id_column].map(normalize_text)
        question = frame[long_found["question"]].map(question_id)
        score = frame[self.score_column].map(normalize_text)
        option = (frame[long_found["option"]].map(normalize_text) if "option" in long_found
                  else pd.Series("", index=frame.index))
        cell = option.where(option != "", score)
        rows = pd.Series(source_row, index=frame.index)
        known = set(blueprint["question"])
        unknown = sorted({q for q in question.dropna() if q not in known}, key=str)
        if unknown:  # (the message is not what the oracle checks: eduqa's own)
            raise _unknown_questions(unknown, source, path, long_found["question"])
        aside = []
        no_question = question.isna()
        aside.append(pd.DataFrame({"source_row": rows[no_question].to_numpy(),
                                   "kind": "item_no_question", "detail": None,
                                   "reason": "no question number on the row"}))
        usable = ~no_question & (ids != "")
        keyed = pd.DataFrame({"id": ids, "question": question, "cell": cell, "row": rows})
        part = keyed[usable]
        repeated = part.duplicated(["id", "question"], keep="first")
        same = part.duplicated(["id", "question", "cell"], keep="first")
        aside.append(pd.DataFrame({"source_row": part.loc[same, "row"].to_numpy(),
                                   "kind": "duplicate_row", "detail": None,
                                   "reason": "the same pupil and question again with the same "
                                             "entry"}))
        conflicting_ids = set(part.loc[repeated & ~same, "id"])
        self.aside = pd.concat([a for a in aside if len(a)], ignore_index=True) if any(
            len(a) for a in aside) else pd.DataFrame(columns=["source_row", "kind", "detail",
                                                              "reason"])
        part = part[~same]
        # the pupils: one wide row each, in the order of their first raw row; rows without an
        # id stay one pupil-row each (the cleaner excludes them as "no student id")
        blank = keyed[~no_question & (ids == "")]
        pupils = list(dict.fromkeys(part["id"]))
        pupil_rows = part.groupby("id", sort=False)["row"].agg(list).reindex(pupils)
        first = frame.loc[part.drop_duplicates("id").index]  # (pupils in the same order)
        columns = {c: first[c].to_numpy() for c in frame.columns
                   if c not in (long_found["question"], self.score_column,
                                long_found.get("option"))}
        wide = pd.DataFrame(columns, index=range(len(pupils)))
        # a pupil with a question given twice differently keeps the first entry here and is
        # then excluded as a whole (all of its rows), with its rows named
        firsts = part.drop_duplicates(["id", "question"])
        grid = firsts.pivot(index="id", columns="question", values="cell").reindex(pupils)
        at = firsts.pivot(index="id", columns="question", values="row").reindex(pupils)
        self.cell_row = {}
        for q in dict.fromkeys(blueprint["question"]):
            wide[q] = (grid[q].fillna("").to_numpy() if q in grid else "")
            self.cell_row[q] = pd.Series(at[q].to_numpy() if q in at else np.nan,
                                         index=wide.index)
        self.members = list(pupil_rows.to_numpy())
        self.conflicting = [p in conflicting_ids for p in pupils]
        self.first_row = np.asarray([min(r) for r in self.members], dtype=np.int64)
        if len(blank):
            extra = frame.loc[blank.index, [c for c in wide.columns if c in frame.columns]]
            extra = extra.reset_index(drop=True).reindex(columns=wide.columns, fill_value="")
            wide = pd.concat([wide, extra], ignore_index=True)
            self.members += [[r] for r in blank["row"]]
            self.conflicting += [False] * len(blank)
            self.first_row = np.concatenate([self.first_row, blank["row"].to_numpy()])
            for q in self.cell_row:
                self.cell_row[q] = pd.Series(np.concatenate([
                    self.cell_row[q].to_numpy(dtype=float), blank["row"].to_numpy(dtype=float)]),
                    index=wide.index)
        for q in self.cell_row:
            self.cell_row[q] = self.cell_row[q].astype("Int64")
        self.wide = wide.fillna("")

    def every_row(self, excluded: pd.DataFrame, dropped: np.ndarray) -> pd.DataFrame:
        """The exclusions of pupil-rows spread over each pupil's raw rows, with the rows set
        aside before widening."""
        members = [m for m, d in zip(self.members, dropped) if d]
        spread = excluded.loc[excluded.index.repeat([len(m) for m in members])].reset_index(
            drop=True)
        spread["source_row"] = [r for m in members for r in sorted(m)]
        return pd.concat([spread, self.aside], ignore_index=True).sort_values(
            "source_row", kind="stable").reset_index(drop=True)
