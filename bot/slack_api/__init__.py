"""Reading from Slack's Web API: shared by the handlers and the scheduler, free of rules."""
