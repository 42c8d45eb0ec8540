"""`coach` in the terminal: the parser, starting the page and `coach sync` (`main`), the other
commands (`commands`, and `checkin` for the morning check-in), the setup checklist (`doctor`),
whether the page's port is free (`ports`) and the connection log (`egress`)."""
