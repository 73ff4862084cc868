"""Editorial: the publishing workflow, the editorial admin, preview links, the Editors group."""
