"""Search attributes of the workflow processes, registered by the launcher and the test fixtures so
operators can filter cases in the Temporal UI by journal, teacher, department, faculty, step, overdue
(e.g. `Step = "review" AND Overdue = true AND FacultyId = "..."`)."""

from temporalio.common import SearchAttributeKey

SEARCH_ATTRIBUTES: dict[str, str] = {
    "JournalId": "Keyword",
    "TeacherId": "Keyword",
    "DepartmentId": "Keyword",
    "FacultyId": "Keyword",
    "Step": "Keyword",
    "Overdue": "Bool",
    "ControlEventId": "Keyword",
}

NAMESPACE = "ejournal"
TASK_QUEUE = "ejournal-workflow"

JOURNAL_ID = SearchAttributeKey.for_keyword("JournalId")
TEACHER_ID = SearchAttributeKey.for_keyword("TeacherId")
DEPARTMENT_ID = SearchAttributeKey.for_keyword("DepartmentId")
FACULTY_ID = SearchAttributeKey.for_keyword("FacultyId")
STEP = SearchAttributeKey.for_keyword("Step")
OVERDUE = SearchAttributeKey.for_bool("Overdue")
CONTROL_EVENT_ID = SearchAttributeKey.for_keyword("ControlEventId")
