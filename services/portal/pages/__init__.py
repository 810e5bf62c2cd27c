"""One module per task area; each has a `router` whose paths the navigation links to."""
