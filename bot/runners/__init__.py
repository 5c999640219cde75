"""How the app meets Slack: an HTTP server, or a Socket Mode connection."""
