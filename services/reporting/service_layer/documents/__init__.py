"""Documents: each module builds one kind of printable Layout from the read models."""
