"""Search attributes of the workflow processes, registered by the launcher and the test fixtures so
operators can filter cases in the Temporal UI by journal, teacher, department, faculty, step, overdue."""

SEARCH_ATTRIBUTES: dict[str, str] = {
    "JournalId": "Keyword",
    "TeacherId": "Keyword",
    "DepartmentId": "Keyword",
    "FacultyId": "Keyword",
    "Step": "Keyword",
    "Overdue": "Bool",
}

NAMESPACE = "ejournal"
TASK_QUEUE = "ejournal-workflow"
