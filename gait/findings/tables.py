"""Markdown tables of the knowledge base, for docs/symptoms.md and reviews (rendered from the data).

    python -m gait.findings.tables      # prints the tables
"""
from __future__ import annotations

from .catalog import cite
from .kb import knowledge
from .text import weeks_words


def _source_name(c: dict[str, str]) -> str:
    if "citation" in c:
        return c["citation"].split(" (")[0].split(",")[0]
    return c["title"] if c["publisher"].startswith("publisher not stated") else c["publisher"]


def _source_names(ids) -> str:
    names: list[str] = []
    for c in cite(ids):
        if (name := _source_name(c)) not in names:
            names.append(name)
    return "; ".join(names)


NO_PATTERN_ROWS = (("no pattern matched; pain and a measured pelvic drop", "hip_abductor"),
                   ("no pattern matched; pain, no measured drop", "gentle_general"),
                   ("no pain reported (any findings)", "maintenance"))


def _phases_words(plan_id: str) -> tuple[str, list[str]]:
    k = knowledge()
    plan = k.plan(plan_id)
    if plan.referral is not None:
        return f"referral ({k.urgency(plan.referral.urgency).title.lower()})", list(plan.referral.sources)
    steps = [f"{k.education_item(e).title} (week 1)" for e in plan.education]
    steps += [f"{p.name} ({weeks_words(p.weeks)})" for p in plan.phases]
    if plan.return_to_run_from_week:
        steps.append(f"{k.return_to_run.name} (from week {plan.return_to_run_from_week})")
    if plan.running_changes_from_week:
        steps.append(f"running changes one at a time from week {plan.running_changes_from_week}")
    return "; ".join(steps), [*plan.sources, *(s for p in plan.phases for s in p.sources)]


def plan_table() -> str:
    """pattern -> plan -> phases (weeks) -> sources."""
    k = knowledge()
    rows = ["| pattern | plan | phases (weeks) | sources |", "|---|---|---|---|"]
    cases = [(c.name, c.plan, list(c.sources)) for c in k.conditions]
    cases += [(label, plan_id, []) for label, plan_id in NO_PATTERN_ROWS]
    for label, plan_id, ids in cases:
        phases, plan_ids = _phases_words(plan_id)
        rows.append(f"| {label} | {k.plan(plan_id).title} | {phases} | {_source_names(ids + plan_ids)} |")
    return "\n".join(rows)


def red_flag_table() -> str:
    """red flag -> intake answer -> urgency -> interim advice."""
    k = knowledge()
    rows = ["| warning sign | intake answer | urgency | meanwhile |", "|---|---|---|---|"]
    for flag in k.red_flags:
        answer = (f"`{flag.field}`: {', '.join(flag.any_of)}" if flag.any_of else
                  f"`{flag.field}` yes" if flag.is_true else f"`{flag.field}` >= {flag.at_least:g}")
        interim = " ".join(k.interim_advice(i).text for i in flag.interim)
        rows.append(f"| {flag.label} | {answer} | {k.urgency(flag.urgency).title} | {interim} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(plan_table(), "\n")
    print(red_flag_table(), "\n")
    print(knowledge().gating_statement)
